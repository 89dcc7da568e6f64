import { describe, expect, it } from 'vitest';
import { safeParseClientEvent, safeParseEvent } from '../src/index.ts';

const fix = (eventId: string) => ({
  eventId,
  type: 'VehiclePositionReported',
  occurredAt: '2026-03-02T08:00:00+08:00',
  data: { vehicleId: 'V1', lon: 121.42, lat: 28.65, speedKmh: 0 },
});

describe('client event ids', () => {
  it('accepts the ids gateways and seeds use', () => {
    for (const id of ['p-1', 'jt808:13912344329:1772409600000', 'sim-V0001-3600', 'zone-seg.g104', 'a_b@c~d+e=f#g', 'x'.repeat(200)]) {
      expect(safeParseClientEvent(fix(id)).ok, id).toBe(true);
    }
  });

  it('refuses a client id in the namespace of derived ids, so a detection id cannot be squatted', () => {
    const r = safeParseClientEvent(fix('p-1/AccidentSegmentEntered/seg-g104'));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.issues).toEqual([expect.objectContaining({ path: 'eventId' })]);
    // The record may hold derived ids: reading it stays lenient.
    expect(safeParseEvent(fix('p-1/AccidentSegmentEntered/seg-g104')).ok).toBe(true);
  });

  it('refuses CR, LF and other control characters in any event id', () => {
    for (const id of ['p-1\r\n', 'p\u0000', 'p\u0085x']) {
      expect(safeParseEvent(fix(id)).ok, JSON.stringify(id)).toBe(false);
      expect(safeParseClientEvent(fix(id)).ok, JSON.stringify(id)).toBe(false);
    }
  });

  it('refuses ids that are too long, empty or outside the character set, naming eventId once', () => {
    for (const id of ['x'.repeat(201), '', 'p 1', '浙J·12345-1', 'p"1']) {
      const r = safeParseClientEvent(fix(id));
      expect(r.ok, id).toBe(false);
      if (!r.ok) expect(r.error.issues.filter((i) => i.path === 'eventId')).toHaveLength(1);
    }
  });

  it('reports the id and the data problems of one event together', () => {
    const r = safeParseClientEvent({ ...fix('a/b'), data: { vehicleId: 'V1', lon: 500, lat: 28, speedKmh: 0 } });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.issues.map((i) => i.path)).toEqual(['eventId', 'data.lon']);
  });
});
