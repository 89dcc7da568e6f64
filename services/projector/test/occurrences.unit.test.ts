import type { DetectionEvent } from '@dgt/events';
import { advisoryView, alertView, type AdvisoryView, type ViolationView, violationView } from '@dgt/readmodels';
import { describe, expect, it } from 'vitest';
import { alertOf } from '../src/projection/alerts.ts';
import { type OccurrenceContext, occurrenceChange, type OpenRows } from '../src/projection/occurrences.ts';

/*
 * The projector's plumbing for the rules of issue 15, fed hand-made detections as the contract
 * (libs/events detections.ts) defines them: rows and alerts before the engine emits them.
 */

const at = (hhmm: string) => `2026-03-02T${hhmm}:00+08:00`;
const fix = { lon: 121.43, lat: 28.68 };
const names: Record<string, string> = { 'ra-centre': 'Jiaojiang city centre', 'seg-bridge': 'Taizhou Bay bridge' };
const ctx: OccurrenceContext = { plateNo: '浙J·12345', vehicleCarrier: 'C1', owner: 'C1', zoneName: (id) => names[id] ?? null };
const none: OpenRows = { open: [], advisories: [] };

const restrictedStarted: DetectionEvent = {
  eventId: 'p7/RestrictedEntryStarted/ra-centre',
  type: 'RestrictedEntryStarted',
  occurredAt: at('22:10'),
  data: { vehicleId: 'V1', zoneId: 'ra-centre', rule: 'banned-hours', waybillNo: 'W1', carrierId: 'C1', speedKmh: 32, evidence: ['w-l', 'p7'] },
};
const restrictedEnded = (zoneId: string): DetectionEvent => ({
  eventId: `p20/RestrictedEntryEnded/${zoneId}`,
  type: 'RestrictedEntryEnded',
  occurredAt: at('22:40'),
  data: { vehicleId: 'V1', zoneId, startedAt: at('22:10'), endedAt: at('22:40'), durationS: 1800, evidence: ['p20', 'p21'] },
});
const overspeedStarted: DetectionEvent = {
  eventId: 'q3/OverspeedStarted',
  type: 'OverspeedStarted',
  occurredAt: at('09:02'),
  data: { vehicleId: 'V1', limitKmh: 60, zoneId: 'seg-bridge', since: at('09:01'), speedKmh: 74, laden: true, waybillNo: 'W1', carrierId: 'C1', evidence: ['q1', 'q2', 'q3'] },
};
const overspeedEnded: DetectionEvent = {
  eventId: 'q9/OverspeedEnded',
  type: 'OverspeedEnded',
  occurredAt: at('09:06'),
  data: { vehicleId: 'V1', since: at('09:01'), endedAt: at('09:06'), maxSpeedKmh: 88, durationS: 300 },
};
const passage: DetectionEvent = {
  eventId: 'q2/AccidentSegmentEntered/seg-bridge',
  type: 'AccidentSegmentEntered',
  occurredAt: at('09:01'),
  data: { vehicleId: 'V1', zoneId: 'seg-bridge', laden: true, waybillNo: 'W1', carrierId: 'C1', speedKmh: 70, evidence: ['q2'], interpolated: true },
};

function opened(d: DetectionEvent): ViolationView {
  const change = occurrenceChange(d, none, ctx, fix);
  if (change?.category !== 'violation' || change.op !== 'open') throw new Error(`${d.type} opened no violation`);
  return change.row;
}

describe('projector occurrences: rows of the new violations, and passages as advisories', () => {
  it('opens a restricted entry as a violation with its zone, rule and load, placed at the fix that raised it, and owned by the register', () => {
    const row = opened(restrictedStarted);
    expect(violationView.parse(row)).toEqual(row);
    expect(row).toMatchObject({
      violationId: restrictedStarted.eventId,
      kind: 'restricted-entry',
      severity: 'high',
      status: 'open',
      zoneId: 'ra-centre',
      zoneName: 'Jiaojiang city centre',
      rule: 'banned-hours',
      laden: true,
      waybillNo: 'W1',
      carrierId: 'C1',
      plateNo: '浙J·12345',
      lon: fix.lon,
      lat: fix.lat,
      speedKmh: 32,
    });
  });

  it('closes a restricted entry only at the end of its own zone', () => {
    const rows: OpenRows = { open: [opened(restrictedStarted)], advisories: [] };
    expect(occurrenceChange(restrictedEnded('ra-other'), rows, ctx, fix)).toBeNull();
    const change = occurrenceChange(restrictedEnded('ra-centre'), rows, ctx, fix);
    expect(change).toMatchObject({ category: 'violation', op: 'close', row: { status: 'closed', endedAt: at('22:40'), durationS: 1800, evidence: ['w-l', 'p7', 'p20', 'p21'] } });
    expect(change?.row.detectionEventIds).toEqual([restrictedStarted.eventId, 'p20/RestrictedEntryEnded/ra-centre']);
  });

  it('opens an overspeed with the limit and the zone that set it, and closes it with the fastest speed', () => {
    const row = opened(overspeedStarted);
    expect(row).toMatchObject({ kind: 'overspeed', limitKmh: 60, zoneId: 'seg-bridge', zoneName: 'Taizhou Bay bridge', since: at('09:01'), speedKmh: 74, laden: true });
    const closed = occurrenceChange(overspeedEnded, { open: [row], advisories: [] }, ctx, fix);
    expect(closed?.row).toMatchObject({ status: 'closed', maxSpeedKmh: 88, durationS: 300, endedAt: at('09:06') });
  });

  it('makes a laden segment passage an advisory, interpolated entry kept, never a violation', () => {
    const change = occurrenceChange(passage, none, ctx, fix);
    expect(change?.category).toBe('advisory');
    const row = change!.row as AdvisoryView;
    expect(advisoryView.parse(row)).toEqual(row);
    expect(row).toMatchObject({ advisoryId: passage.eventId, kind: 'segment-passage', severity: 'low', laden: true, interpolated: true, zoneName: 'Taizhou Bay bridge' });
  });
});

describe('projector alerts: every alert says violation or advisory, and its kind', () => {
  const alert = (d: DetectionEvent) => alertOf(d, { plateNo: '浙J·12345', carrierId: 'C1', laden: true, zoneName: ctx.zoneName }, fix);

  it('classifies and words restricted entries, overspeed and passages', () => {
    const cases: [DetectionEvent, Record<string, unknown>][] = [
      [restrictedStarted, { category: 'violation', kind: 'restricted-entry', severity: 'high', zoneName: 'Jiaojiang city centre', message: '浙J·12345 entered restricted area Jiaojiang city centre laden (waybill W1) at 32 km/h: inside its banned hours' }],
      [restrictedEnded('ra-centre'), { category: 'violation', kind: 'restricted-entry', message: '浙J·12345 out of restricted area Jiaojiang city centre after 30 min' }],
      [overspeedStarted, { category: 'violation', kind: 'overspeed', message: `浙J·12345 over the 60 km/h limit of Taizhou Bay bridge since ${at('09:01')}: 74 km/h laden (waybill W1)` }],
      [overspeedEnded, { category: 'violation', kind: 'overspeed', zoneId: null, message: '浙J·12345 back within the limit after 5 min over it (fastest 88 km/h)' }],
      [passage, { category: 'advisory', kind: 'segment-passage', severity: 'low', message: '浙J·12345 entered accident-prone segment Taizhou Bay bridge laden (waybill W1) at 70 km/h (between two fixes, time interpolated)' }],
    ];
    for (const [d, expected] of cases) {
      const a = alert(d);
      expect(alertView.parse(a)).toEqual(a);
      expect(a).toMatchObject({ alertId: d.eventId, type: d.type, ...expected });
    }
  });
});
