import { canonicalJson, safeParseEvent } from '@dgt/events';
import type { LocationInput, LocationReport } from '@dgt/jt808';
import { decodeFrame, encodeLocationReport } from '@dgt/jt808';
import { describe, expect, it } from 'vitest';
import { positionEventFromReport, positionEventsFromReports, positionMessage, simulatedFix } from '../src/index.ts';

const T0 = Date.parse('2025-03-01T00:00:00Z');
function report(k: number, over: Partial<LocationInput> = {}): LocationReport {
  const frame = encodeLocationReport({ flavour: '2013', phone: '013912344329', serial: k }, { ...simulatedFix(3, k, T0 + k * 1000), ...over });
  const r = decodeFrame(frame);
  if (!r.ok || r.value.kind !== 'message' || r.value.message.type !== 'location') throw new Error('fixture must decode');
  return r.value.message;
}
const origin = { phone: '13912344329', vehicleId: '浙J·12345', flavour: '2013' as const, serial: 12 };

describe('positionEventFromReport', () => {
  it('maps a fix to a schema-valid VehiclePositionReported with alarm and status bits in meta', () => {
    const r = report(97, { alarm: (1 << 1) | (1 << 19), status: 0b11 | (3 << 8), extras: { fuelL: 12.5, satellites: 9 } });
    const o = positionEventFromReport(r, origin, { publishUnfixed: false });
    if (!o.ok) throw new Error(o.reason);
    const parsed = safeParseEvent(JSON.parse(canonicalJson(o.event)));
    expect(parsed.ok).toBe(true);
    expect(o.event.eventId).toBe(`jt808:13912344329:${T0 + 97_000}`);
    expect(o.event.occurredAt).toBe(new Date(T0 + 97_000).toISOString());
    expect(o.event.meta).toEqual({
      source: 'jt808',
      phone: '13912344329',
      flavour: '2013',
      serial: 12,
      alarm: (1 << 1) | (1 << 19),
      status: 0b11 | (3 << 8),
      alarms: ['overspeed', 'parkingTimeout'],
      acc: true,
      fixed: true,
      loadState: 'full',
      altitudeM: r.altitudeM,
      fuelL: 12.5,
      satellites: 9,
    });
  });

  it('gives a re-sent fix (new serial) the same event id', () => {
    const a = positionEventFromReport(report(5), { ...origin, serial: 1 }, { publishUnfixed: false });
    const b = positionEventFromReport(report(5), { ...origin, serial: 2 }, { publishUnfixed: false });
    expect(a.ok && b.ok && a.event.eventId === b.event.eventId).toBe(true);
  });

  it('skips fixes without GNSS positioning unless configured to publish them', () => {
    const r = report(1, { status: 0 });
    expect(positionEventFromReport(r, origin, { publishUnfixed: false })).toEqual({ ok: false, reason: 'no-fix' });
    expect(positionEventFromReport(r, origin, { publishUnfixed: true }).ok).toBe(true);
  });

  it('skips speeds the event schema cannot hold and omits headings above 360°', () => {
    expect(positionEventFromReport(report(1, { speedKmh: 450 }), origin, { publishUnfixed: false })).toEqual({ ok: false, reason: 'out-of-range' });
    const o = positionEventFromReport(report(1, { direction: 400 }), origin, { publishUnfixed: false });
    expect(o.ok && o.event.data.headingDeg === undefined).toBe(true);
  });

  it('numbers fixes that share a timestamp inside one frame, stably', () => {
    const same = [report(4), report(4), report(5)];
    const ids = positionEventsFromReports(same, origin, false).map((o) => (o.ok ? o.event.eventId : o.reason));
    expect(ids).toEqual([`jt808:13912344329:${T0 + 4000}`, `jt808:13912344329:${T0 + 4000}:2`, `jt808:13912344329:${T0 + 5000}`]);
  });
});

describe('positionMessage', () => {
  it('is keyed by vehicle, carries canonical JSON bytes and the event headers', () => {
    const o = positionEventFromReport(report(2), origin, { publishUnfixed: false });
    if (!o.ok) throw new Error(o.reason);
    const m = positionMessage(o.event, '2025-03-01T00:00:05.123Z');
    expect(m.key).toBe('浙J·12345');
    expect(Buffer.isBuffer(m.value) && m.value.toString('utf8')).toBe(canonicalJson(o.event));
    expect(m.headers).toEqual({ 'dgt-event-type': 'VehiclePositionReported', 'dgt-event-id': o.event.eventId, 'dgt-ingested-at': '2025-03-01T00:00:05.123Z' });
  });
});
