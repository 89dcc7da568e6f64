import { describe, expect, it } from 'vitest';
import { canonicalJson, eventTypes, parseEvent, parseNdjsonLine, safeParseEvent, upcast } from '../src/index.ts';

const position = {
  eventId: 'p-1',
  type: 'VehiclePositionReported',
  occurredAt: '2026-03-02T08:00:00+08:00',
  data: { vehicleId: 'V1', lon: 121.42, lat: 28.65, speedKmh: 42.5, headingDeg: 90 },
};

function issuesOf(input: unknown) {
  const r = safeParseEvent(input);
  if (r.ok) throw new Error('expected a validation error');
  return r.error.issues;
}

describe('event contract', () => {
  it('parses a valid position and keeps fields the schema does not list', () => {
    const e = parseEvent({ ...position, data: { ...position.data, odometerKm: 1234 }, meta: { source: 'jt808' } });
    expect(e.type).toBe('VehiclePositionReported');
    expect((e.data as Record<string, unknown>).odometerKm).toBe(1234);
    expect(e.meta).toEqual({ source: 'jt808' });
  });

  it('names the field path and reason of an invalid field', () => {
    const issues = issuesOf({ ...position, data: { ...position.data, lat: 95 } });
    expect(issues).toEqual([expect.objectContaining({ path: 'data.lat' })]);
    expect(issues[0]?.message).toMatch(/90/);
  });

  it('names nested paths inside arrays', () => {
    const issues = issuesOf({
      eventId: 'c-1',
      type: 'ConsignmentDeclared',
      occurredAt: '2026-03-02T08:00:00Z',
      data: {
        waybillNo: 'W1', consignorId: 'C', origin: { name: 'a', lon: 121, lat: 28 }, destination: { name: 'b', lon: 121, lat: 28 },
        goods: [{ unNumber: '1230', name: 'methanol', hazardClass: '3', quantityKg: 10 }, { unNumber: 'UN1090', name: 'acetone', hazardClass: '3', quantityKg: 10 }],
      },
    });
    expect(issues.map((i) => i.path)).toEqual(['data.goods.1.unNumber']);
  });

  it('treats an unknown type as an error, not a silent drop', () => {
    expect(issuesOf({ ...position, type: 'VehicleTeleported' })).toEqual([{ path: 'type', message: 'unknown event type "VehicleTeleported"' }]);
  });

  it('requires an offset on occurredAt', () => {
    expect(issuesOf({ ...position, occurredAt: '2026-03-02T08:00:00' })[0]?.path).toBe('occurredAt');
    expect(safeParseEvent({ ...position, occurredAt: '2026-03-02T00:00:00.123Z' }).ok).toBe(true);
  });

  it('rejects unknown envelope fields but allows meta', () => {
    expect(issuesOf({ ...position, extra: 1 })[0]?.message).toMatch(/extra/);
  });

  it('requires a polygon for lots and a path with a buffer for accident segments', () => {
    const zone = { eventId: 'z', type: 'ZoneDesignated', occurredAt: '2026-03-02T08:00:00Z' };
    expect(issuesOf({ ...zone, data: { zoneId: 'l', kind: 'parking-lot', name: 'L', datum: 'WGS84' } }).map((i) => i.path)).toEqual(['data.polygon']);
    expect(issuesOf({ ...zone, data: { zoneId: 's', kind: 'accident-segment', name: 'S', datum: 'GCJ02', path: [[121, 28], [121.1, 28]] } }).map((i) => i.path)).toEqual(['data.bufferM']);
    expect(issuesOf({ ...zone, data: { zoneId: 'l', kind: 'parking-lot', name: 'L', datum: 'WGS84', polygon: [[121, 28], [121, 28], [121.1, 28], [121, 28]] } })[0]?.message).toMatch(/distinct/);
    expect(issuesOf({ ...zone, data: { zoneId: 'l', kind: 'parking-lot', name: 'L', datum: 'BD09', polygon: [[121, 28], [121.1, 28], [121, 28.1]] } })[0]?.path).toBe('data.datum');
  });

  it('refuses a schema version newer than this build', () => {
    expect(issuesOf({ ...position, schemaVersion: 2 })).toEqual([expect.objectContaining({ path: 'schemaVersion' })]);
  });

  it('lifts data through each registered upcaster step in turn', () => {
    const registry = {
      VehiclePositionReported: {
        1: (d: Record<string, unknown>) => ({ ...d, speedKmh: (d.speedMps as number) * 3.6 }),
        2: (d: Record<string, unknown>) => ({ ...d, source: 'v3' }),
      },
    };
    const lifted = upcast('VehiclePositionReported', { speedMps: 10 }, 1, 3, registry);
    expect(lifted).toEqual({ ok: true, data: { speedMps: 10, speedKmh: 36, source: 'v3' } });
    expect(upcast('VehiclePositionReported', {}, 1, 4, registry)).toEqual({ ok: false, missing: 3 });
  });

  it('has a schema for every type in the catalog', () => {
    expect(eventTypes).toEqual(expect.arrayContaining(['ZoneDesignated', 'VehiclePositionReported', 'IllegalParkingStarted', 'AccidentSegmentExited']));
  });
});

describe('canonical NDJSON', () => {
  it('gives the same bytes whatever the key order of the input', () => {
    const a = parseEvent(position);
    const shuffled = parseEvent({ data: { speedKmh: 42.5, headingDeg: 90, lat: 28.65, lon: 121.42, vehicleId: 'V1' }, occurredAt: position.occurredAt, type: position.type, eventId: 'p-1' });
    expect(canonicalJson(shuffled)).toBe(canonicalJson(a));
    expect(canonicalJson(a)).toBe('{"eventId":"p-1","type":"VehiclePositionReported","occurredAt":"2026-03-02T08:00:00+08:00","data":{"headingDeg":90,"lat":28.65,"lon":121.42,"speedKmh":42.5,"vehicleId":"V1"}}');
  });

  it('round-trips through parseNdjsonLine', () => {
    const line = canonicalJson(parseEvent(position));
    const r = parseNdjsonLine(line);
    expect(r.ok && canonicalJson(r.event)).toBe(line);
  });

  it('reports a JSON syntax error as a validation error on the line', () => {
    const r = parseNdjsonLine('{"eventId":');
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error.issues[0]?.message).toMatch(/not valid JSON/);
  });
});

describe('canonical form of plain fixes', () => {
  it('writes the same bytes as the general form, and leaves every other shape to it', async () => {
    const { sortedCanonicalJson } = await import('../src/ndjson.ts');
    const samples: Record<string, unknown>[] = [
      position,
      { ...position, data: { vehicleId: '浙J·"A"\\1', lon: -0, lat: 1e-7, speedKmh: 0 } },
      { ...position, data: { ...position.data, headingDeg: undefined } },
      { ...position, data: { ...position.data, odometerKm: 3 } },
      { ...position, meta: { source: 'jt808' } },
      { ...position, schemaVersion: 1 },
      { ...position, data: { ...position.data, lon: Number.NaN } },
    ];
    for (const s of samples) expect(canonicalJson(s)).toBe(sortedCanonicalJson(s));
  });
});
