import { classifyDetection, type DetectionKind } from '@dgt/detection';
import { type DetectionEvent, epochMs } from '@dgt/events';
import type { Detected, Expected } from './scoring.ts';
import type { GroundTruth } from './truth.ts';

/*
 * How each kind of the violation catalogue is scored: which truth it is measured against, where
 * its start is read, and which attributes must agree. Detections are grouped into kinds by the
 * catalogue (`classifyDetection`), never by a list of types here, so eval counts exactly what
 * the desk and replay count; a kind added to the catalogue without a reader here fails to compile.
 */

interface KindReader {
  /** The opening detection as a scored item, and the key its closing detection will carry. */
  open(d: DetectionEvent): { item: Detected; closeKey: string };
  /** The key of the occurrence a closing detection ends, and when. */
  close(d: DetectionEvent): { closeKey: string; endMs: number };
  expected(truth: GroundTruth): Expected[];
  /** How the start is measured, for the report. */
  startRule: string;
}

function unexpected(kind: DetectionKind, d: DetectionEvent): never {
  throw new Error(`${d.type} is catalogued as ${kind} but eval does not know how to read it`);
}

const readers: Readonly<Record<DetectionKind, KindReader>> = {
  'illegal-parking': {
    startRule: 'IllegalParkingStarted.stoppedSince vs the moment the wheels stopped',
    open(d) {
      if (d.type !== 'IllegalParkingStarted') return unexpected('illegal-parking', d);
      const { vehicleId, stoppedSince } = d.data;
      return { item: { vehicleId, zoneId: '', startMs: epochMs(stoppedSince), endMs: null, start: stoppedSince, attributes: {} }, closeKey: `${vehicleId}@${stoppedSince}` };
    },
    close(d) {
      if (d.type !== 'IllegalParkingEnded') return unexpected('illegal-parking', d);
      return { closeKey: `${d.data.vehicleId}@${d.data.stoppedSince}`, endMs: epochMs(d.data.endedAt) };
    },
    expected: (t) => t.parking.map((p) => ({ vehicleId: p.vehicleId, zoneId: '', startMs: p.startMs, endMs: p.endMs, start: p.start, attributes: {}, group: 'roadside' })),
  },
  'restricted-entry': {
    startRule: 'RestrictedEntryStarted time vs the first inside fix breaking the ban (or the interpolated entry)',
    open(d) {
      if (d.type !== 'RestrictedEntryStarted') return unexpected('restricted-entry', d);
      const { vehicleId, zoneId, rule, waybillNo } = d.data;
      const item = { vehicleId, zoneId, startMs: epochMs(d.occurredAt), endMs: null, start: d.occurredAt, attributes: { rule, waybillNo, interpolated: d.data.interpolated === true } };
      return { item, closeKey: `${vehicleId}@${zoneId}@${epochMs(d.occurredAt)}` };
    },
    close(d) {
      if (d.type !== 'RestrictedEntryEnded') return unexpected('restricted-entry', d);
      return { closeKey: `${d.data.vehicleId}@${d.data.zoneId}@${epochMs(d.data.startedAt)}`, endMs: epochMs(d.data.endedAt) };
    },
    expected: (t) =>
      t.restrictedEntries.map((r) => ({
        vehicleId: r.vehicleId,
        zoneId: r.zoneId,
        startMs: r.startMs,
        endMs: r.endMs,
        start: r.start,
        attributes: { rule: r.rule, waybillNo: r.waybillNo, interpolated: r.interpolated },
        group: `${r.zoneId} ${r.rule}${r.interpolated ? ' (interpolated)' : ''}`,
      })),
  },
  overspeed: {
    startRule: 'OverspeedStarted time vs the first fix of the run at or after since + overspeedMinS',
    open(d) {
      if (d.type !== 'OverspeedStarted') return unexpected('overspeed', d);
      const { vehicleId, since, limitKmh, zoneId, laden } = d.data;
      const item = { vehicleId, zoneId: '', startMs: epochMs(d.occurredAt), endMs: null, start: d.occurredAt, attributes: { sinceMs: epochMs(since), limitKmh, zoneId, laden } };
      return { item, closeKey: `${vehicleId}@${epochMs(since)}` };
    },
    close(d) {
      if (d.type !== 'OverspeedEnded') return unexpected('overspeed', d);
      return { closeKey: `${d.data.vehicleId}@${epochMs(d.data.since)}`, endMs: epochMs(d.data.endedAt) };
    },
    expected: (t) =>
      t.overspeeds.map((o) => ({
        vehicleId: o.vehicleId,
        zoneId: '',
        startMs: o.startMs,
        endMs: o.endMs,
        start: o.start,
        attributes: { sinceMs: o.sinceMs, limitKmh: o.limitKmh, zoneId: o.zoneId, laden: o.laden },
        group: o.zoneId ?? `general ${o.limitKmh} km/h`,
      })),
  },
  'fatigue-driving': {
    startRule: 'FatigueDrivingStarted time vs the first live moving fix more than fatigueAfterS after the driving period began (intended)',
    open(d) {
      if (d.type !== 'FatigueDrivingStarted') return unexpected('fatigue-driving', d);
      const { vehicleId, drivingSince, laden } = d.data;
      return { item: { vehicleId, zoneId: '', startMs: epochMs(d.occurredAt), endMs: null, start: d.occurredAt, attributes: { laden } }, closeKey: `${vehicleId}@${epochMs(drivingSince)}` };
    },
    close(d) {
      if (d.type !== 'FatigueDrivingEnded') return unexpected('fatigue-driving', d);
      return { closeKey: `${d.data.vehicleId}@${epochMs(d.data.drivingSince)}`, endMs: epochMs(d.data.endedAt) };
    },
    expected: (t) =>
      t.fatigue.map((f) => ({ vehicleId: f.vehicleId, zoneId: '', startMs: f.startMs, endMs: f.endMs, start: f.start, attributes: { laden: f.laden }, group: f.laden ? 'laden' : 'empty' })),
  },
  'terminal-offline': {
    // One kind whatever its category (violation laden, advisory otherwise): the laden flag is an attribute.
    startRule: 'TerminalOffline time vs last fix + offlineAfterS, passed by a tick while the consignment is active',
    open(d) {
      if (d.type !== 'TerminalOffline') return unexpected('terminal-offline', d);
      const { vehicleId, lastFixAt, laden } = d.data;
      const item = { vehicleId, zoneId: '', startMs: epochMs(d.occurredAt), endMs: null, start: d.occurredAt, attributes: { laden, lastFixMs: epochMs(lastFixAt) } };
      return { item, closeKey: `${vehicleId}@${epochMs(lastFixAt)}` };
    },
    close(d) {
      if (d.type !== 'TerminalOnline') return unexpected('terminal-offline', d);
      return { closeKey: `${d.data.vehicleId}@${epochMs(d.data.lastFixAt)}`, endMs: epochMs(d.data.backAt) };
    },
    expected: (t) =>
      t.offline.map((o) => ({
        vehicleId: o.vehicleId,
        zoneId: '',
        startMs: o.startMs,
        endMs: o.endMs,
        start: o.start,
        attributes: { laden: o.laden, lastFixMs: o.lastFixMs },
        group: `${o.laden ? 'laden' : 'assigned'} ${o.cause}`,
      })),
  },
  'route-deviation': {
    startRule: "RouteDeviationStarted time vs the run's first fix beyond tolerance (great-circle distance to the declared path)",
    open(d) {
      if (d.type !== 'RouteDeviationStarted') return unexpected('route-deviation', d);
      const { vehicleId, waybillNo } = d.data;
      return { item: { vehicleId, zoneId: '', startMs: epochMs(d.occurredAt), endMs: null, start: d.occurredAt, attributes: { waybillNo } }, closeKey: `${vehicleId}@${waybillNo}@${epochMs(d.occurredAt)}` };
    },
    close(d) {
      if (d.type !== 'RouteDeviationEnded') return unexpected('route-deviation', d);
      return { closeKey: `${d.data.vehicleId}@${d.data.waybillNo}@${epochMs(d.data.startedAt)}`, endMs: epochMs(d.data.endedAt) };
    },
    expected: (t) =>
      t.deviations.map((r) => ({
        vehicleId: r.vehicleId,
        zoneId: '',
        startMs: r.startMs,
        endMs: r.endMs,
        start: r.start,
        attributes: { waybillNo: r.waybillNo },
        group: r.maxDistanceM >= 1_000 ? 'beyond 1 km' : 'within 1 km',
      })),
  },
  'segment-passage': {
    startRule: 'AccidentSegmentEntered time vs entering the corridor (noise-free trajectory)',
    open(d) {
      if (d.type !== 'AccidentSegmentEntered') return unexpected('segment-passage', d);
      const { vehicleId, zoneId, laden } = d.data;
      return { item: { vehicleId, zoneId, startMs: epochMs(d.occurredAt), endMs: null, start: d.occurredAt, attributes: { laden } }, closeKey: `${vehicleId}@${zoneId}` };
    },
    close(d) {
      if (d.type !== 'AccidentSegmentExited') return unexpected('segment-passage', d);
      return { closeKey: `${d.data.vehicleId}@${d.data.zoneId}`, endMs: epochMs(d.occurredAt) };
    },
    expected: (t) =>
      t.segments.map((s) => ({
        vehicleId: s.vehicleId,
        zoneId: s.zoneId,
        startMs: s.startMs,
        endMs: s.endMs,
        start: s.start,
        attributes: { laden: s.laden },
        group: `${s.zoneId}${s.fixesInside === 0 ? ' (no fix inside)' : ''}`,
      })),
  },
};

export function startRuleOf(kind: DetectionKind): string {
  return readers[kind].startRule;
}

export function expectedOf(kind: DetectionKind, truth: GroundTruth): Expected[] {
  return readers[kind].expected(truth);
}

/**
 * The detections of a run, by kind: each opening detection an item, its end taken from the
 * closing detection that carries its key (the latest open occurrence with that key).
 */
export function detectedByKind(detections: readonly DetectionEvent[]): Map<DetectionKind, Detected[]> {
  const out = new Map<DetectionKind, Detected[]>();
  const open = new Map<string, Detected>();
  for (const d of detections) {
    const c = classifyDetection(d);
    const reader = readers[c.kind];
    if (c.opens) {
      const { item, closeKey } = reader.open(d);
      let list = out.get(c.kind);
      if (list === undefined) out.set(c.kind, (list = []));
      list.push(item);
      open.set(`${c.kind}|${closeKey}`, item);
    } else {
      const { closeKey, endMs } = reader.close(d);
      const key = `${c.kind}|${closeKey}`;
      const item = open.get(key);
      if (item !== undefined) {
        item.endMs = endMs;
        open.delete(key);
      }
    }
  }
  return out;
}
