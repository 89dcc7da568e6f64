import { canonicalJson, safeParseEvent } from '@dgt/events';
import type { LocationInput, LocationReport } from '@dgt/jt808';
import { decodeFrame, encodeLocationReport } from '@dgt/jt808';
import { describe, expect, it } from 'vitest';
import type { PositionOutcome } from '../src/index.ts';
import { positionEventFromReport, positionEventsFromReports, positionMessage, simulatedFix } from '../src/index.ts';

const T0 = Date.parse('2025-03-01T00:00:00Z');
function report(k: number, over: Partial<LocationInput> = {}): LocationReport {
  const frame = encodeLocationReport({ flavour: '2013', phone: '013912344329', serial: k }, { ...simulatedFix(3, k, T0 + k * 1000), ...over });
  const r = decodeFrame(frame);
  if (!r.ok || r.value.kind !== 'message' || r.value.message.type !== 'location') throw new Error('fixture must decode');
  return r.value.message;
}
const origin = { phone: '13912344329', vehicleId: '浙J·12345', flavour: '2013' as const, serial: 12 };
const window = { maxFutureSkewMs: 300_000, backfillWindowMs: 7 * 86_400_000 };
// Received shortly after the fixture fixes (k ≤ 100 s after T0).
const opts = { publishUnfixed: false, receivedMs: T0 + 120_000, window };
const eventOf = (o: PositionOutcome) => {
  if (o.kind !== 'event') throw new Error(`${o.kind}: ${o.reason}`);
  return o.event;
};

describe('positionEventFromReport', () => {
  it('maps a fix to a schema-valid VehiclePositionReported with alarm and status bits in meta', () => {
    const r = report(97, { alarm: (1 << 1) | (1 << 19), status: 0b11 | (3 << 8), extras: { fuelL: 12.5, satellites: 9 } });
    const event = eventOf(positionEventFromReport(r, origin, opts));
    const parsed = safeParseEvent(JSON.parse(canonicalJson(event)));
    expect(parsed.ok).toBe(true);
    expect(event.eventId).toBe(`jt808:13912344329:${T0 + 97_000}`);
    expect(event.occurredAt).toBe(new Date(T0 + 97_000).toISOString());
    expect(event.meta).toEqual({
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
    const a = eventOf(positionEventFromReport(report(5), { ...origin, serial: 1 }, opts));
    const b = eventOf(positionEventFromReport(report(5), { ...origin, serial: 2 }, opts));
    expect(a.eventId).toBe(b.eventId);
  });

  it('skips fixes without GNSS positioning unless configured to publish them', () => {
    const r = report(1, { status: 0 });
    expect(positionEventFromReport(r, origin, opts)).toEqual({ kind: 'skipped', reason: 'no-fix' });
    expect(positionEventFromReport(r, origin, { ...opts, publishUnfixed: true }).kind).toBe('event');
  });

  it('skips an unfixed report whose BCD time is all zeros, and refuses a positioned one with that time', () => {
    const zeroTime = (status: number) => {
      const frame = encodeLocationReport({ flavour: '2013', phone: '013912344329', serial: 1 }, { ...simulatedFix(3, 1, T0), status });
      frame.fill(0, 1 + 12 + 22, 1 + 12 + 28);
      // Re-checksum after zeroing the time (frame = 7e | header 12 | body | xor | 7e, nothing escaped here).
      let x = 0;
      for (let i = 1; i < frame.length - 2; i++) x ^= frame[i]!;
      frame[frame.length - 2] = x;
      const d = decodeFrame(frame);
      if (!d.ok || d.value.kind !== 'message' || d.value.message.type !== 'location') throw new Error('fixture must decode');
      return d.value.message;
    };
    expect(zeroTime(0b01).timeMs).toBeUndefined();
    expect(positionEventFromReport(zeroTime(0b01), origin, opts)).toEqual({ kind: 'skipped', reason: 'no-fix' });
    expect(positionEventFromReport(zeroTime(0b01), origin, { ...opts, publishUnfixed: true })).toEqual({ kind: 'skipped', reason: 'no-fix' });
    expect(positionEventFromReport(zeroTime(0b11), origin, opts)).toEqual({ kind: 'refused', reason: 'bad-time' });
  });

  it('refuses fixes dated beyond the future skew or older than the back-fill window, relative to receipt', () => {
    const r = report(10); // dated T0 + 10 s
    const at = (receivedMs: number) => positionEventFromReport(r, origin, { ...opts, receivedMs });
    expect(at(T0 + 10_000 - 300_000).kind).toBe('event'); // exactly the skew ahead
    expect(at(T0 + 10_000 - 300_001)).toEqual({ kind: 'refused', reason: 'future' });
    expect(at(T0 + 10_000 + 7 * 86_400_000).kind).toBe('event'); // exactly the window behind
    expect(at(T0 + 10_000 + 7 * 86_400_000 + 1)).toEqual({ kind: 'refused', reason: 'too-old' });
    // An unfixed report with an implausible time is still only skipped.
    expect(positionEventFromReport(report(10, { status: 0 }), origin, { ...opts, publishUnfixed: true, receivedMs: T0 - 86_400_000 })).toEqual({ kind: 'skipped', reason: 'no-fix' });
  });

  it('skips speeds the event schema cannot hold and omits headings above 360°', () => {
    expect(positionEventFromReport(report(1, { speedKmh: 450 }), origin, opts)).toEqual({ kind: 'skipped', reason: 'out-of-range' });
    expect(eventOf(positionEventFromReport(report(1, { direction: 400 }), origin, opts)).data.headingDeg).toBeUndefined();
  });

  it('numbers fixes that share a timestamp inside one frame, stably', () => {
    const same = [report(4), report(4), report(5)];
    const ids = positionEventsFromReports(same, origin, opts).map((o) => eventOf(o).eventId);
    expect(ids).toEqual([`jt808:13912344329:${T0 + 4000}`, `jt808:13912344329:${T0 + 4000}:2`, `jt808:13912344329:${T0 + 5000}`]);
  });
});

describe('positionMessage', () => {
  it('is keyed by vehicle, carries canonical JSON bytes and the event headers', () => {
    const event = eventOf(positionEventFromReport(report(2), origin, opts));
    const m = positionMessage(event, '2025-03-01T00:00:05.123Z');
    expect(m.key).toBe('浙J·12345');
    expect(Buffer.isBuffer(m.value) && m.value.toString('utf8')).toBe(canonicalJson(event));
    expect(m.headers).toEqual({ 'dgt-event-type': 'VehiclePositionReported', 'dgt-event-id': event.eventId, 'dgt-ingested-at': '2025-03-01T00:00:05.123Z' });
  });
});
