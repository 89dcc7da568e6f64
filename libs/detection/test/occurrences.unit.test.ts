import type { DetectionEvent } from '@dgt/events';
import { describe, expect, it } from 'vitest';
import { closeOccurrence, closes, OccurrenceTracker, openOccurrence } from '../src/occurrences.ts';

/** Hand-made detections as the contract defines them (libs/events detections.ts). */
const at = (hhmm: string) => `2026-03-02T${hhmm}:00+08:00`;
const fix = { lon: 121.5, lat: 28.6 };

const overspeedStarted = (id: string, zoneId: string | null): DetectionEvent => ({
  eventId: `${id}/OverspeedStarted`,
  type: 'OverspeedStarted',
  occurredAt: at('08:02'),
  data: { vehicleId: 'V1', limitKmh: 60, zoneId, since: at('08:01'), speedKmh: 72, laden: false, evidence: ['p1', id] },
});
const overspeedEnded: DetectionEvent = {
  eventId: 'p9/OverspeedEnded',
  type: 'OverspeedEnded',
  occurredAt: at('08:05'),
  data: { vehicleId: 'V1', since: at('08:01'), endedAt: at('08:05'), maxSpeedKmh: 81, durationS: 240 },
};
const restricted = (zoneId: string, interpolated?: true): DetectionEvent => ({
  eventId: `r1/RestrictedEntryStarted/${zoneId}`,
  type: 'RestrictedEntryStarted',
  occurredAt: at('22:10'),
  data: { vehicleId: 'V1', zoneId, rule: 'banned-hours', waybillNo: 'WB1', carrierId: 'C1', speedKmh: 30, evidence: ['r1'], ...(interpolated && { interpolated }) },
});
const restrictedEnded = (zoneId: string): DetectionEvent => ({
  eventId: `r5/RestrictedEntryEnded/${zoneId}`,
  type: 'RestrictedEntryEnded',
  occurredAt: at('22:30'),
  data: { vehicleId: 'V1', zoneId, startedAt: at('22:10'), endedAt: at('22:30'), durationS: 1200 },
});
const entered: DetectionEvent = {
  eventId: 's1/AccidentSegmentEntered/seg',
  type: 'AccidentSegmentEntered',
  occurredAt: at('09:00'),
  data: { vehicleId: 'V1', zoneId: 'seg', laden: false, speedKmh: 55, lon: 121.3, lat: 28.5, evidence: ['s1'] },
};
const exited: DetectionEvent = { eventId: 's4/AccidentSegmentExited/seg', type: 'AccidentSegmentExited', occurredAt: at('09:03'), data: { vehicleId: 'V1', zoneId: 'seg', evidence: ['s4', 's5'] } };

describe('occurrences: one row per opened violation or advisory, closed by its closer', () => {
  it('opens an overspeed with its limit, the zone that set it and the run start, placed at the fix that raised it', () => {
    const o = openOccurrence(overspeedStarted('p3', 'seg'), fix);
    expect(o).toMatchObject({ id: 'p3/OverspeedStarted', kind: 'overspeed', category: 'violation', severity: 'high', zoneId: 'seg', limitKmh: 60, since: at('08:01'), startedAt: at('08:02'), laden: false, lon: 121.5, lat: 28.6 });
    const c = closeOccurrence(o, overspeedEnded);
    expect(c).toMatchObject({ endedAt: at('08:05'), durationS: 240, maxSpeedKmh: 81, detectionIds: ['p3/OverspeedStarted', 'p9/OverspeedEnded'] });
    expect(o.endedAt).toBeNull();
  });

  it('closes an overspeed whatever zone set its limit (a run goes on across zones), but a restricted entry only in its own zone', () => {
    expect(closes(openOccurrence(overspeedStarted('p3', 'seg'), fix), overspeedEnded)).toBe(true);
    expect(closes(openOccurrence(overspeedStarted('p3', null), fix), overspeedEnded)).toBe(true);
    const inA = openOccurrence(restricted('area-A'), fix);
    expect(closes(inA, restrictedEnded('area-B'))).toBe(false);
    expect(closes(inA, restrictedEnded('area-A'))).toBe(true);
    expect(closes(inA, exited)).toBe(false);
  });

  it('makes a restricted entry laden with its rule and keeps an interpolated entry marked', () => {
    const o = openOccurrence(restricted('area-A', true), fix);
    expect(o).toMatchObject({ kind: 'restricted-entry', rule: 'banned-hours', laden: true, waybillNo: 'WB1', interpolated: true, speedKmh: 30 });
  });

  it('keeps an empty passage an advisory, placed at its own position, with a duration from entry to exit', () => {
    const t = new OccurrenceTracker();
    t.apply(entered, fix);
    expect(t.openOf('V1').map((o) => o.id)).toEqual([entered.eventId]);
    t.apply(exited, fix);
    expect(t.openOf('V1')).toEqual([]);
    expect(t.all()).toMatchObject([{ kind: 'segment-passage', category: 'advisory', laden: false, lon: 121.3, lat: 28.5, endedAt: at('09:03'), durationS: 180, evidence: ['s1', 's4', 's5'] }]);
  });

  it('ignores a closer whose opener it never saw, and refuses a closer passed as an opener', () => {
    const t = new OccurrenceTracker();
    t.apply(overspeedEnded, fix);
    expect(t.all()).toEqual([]);
    expect(() => openOccurrence(overspeedEnded, fix)).toThrow(/OverspeedEnded closes an occurrence \(overspeed\)/);
  });
});
