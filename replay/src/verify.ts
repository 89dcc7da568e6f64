import { classifyDetection, type DetectionCategory } from '@dgt/detection';
import { type DetectionEvent, epochMs } from '@dgt/events';
import type { VerifyDifference, VerifySection, VerifyTally } from './reportTypes.ts';

/** The zone a detection names, if any (a segment, a restricted area, the zone of a speed limit). */
function zoneOf(d: DetectionEvent): string | null {
  const zoneId = (d.data as { zoneId?: unknown }).zoneId;
  return typeof zoneId === 'string' ? zoneId : null;
}

function keyOf(d: DetectionEvent): string {
  return `${d.type}|${d.data.vehicleId}|${zoneOf(d) ?? ''}`;
}

function stable(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stable).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    return `{${Object.keys(o).sort().filter((k) => o[k] !== undefined).map((k) => `${JSON.stringify(k)}:${stable(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function differingFields(a: DetectionEvent, b: DetectionEvent): string[] {
  const x = a.data as Record<string, unknown>;
  const y = b.data as Record<string, unknown>;
  return [...new Set([...Object.keys(x), ...Object.keys(y)])].sort().filter((k) => stable(x[k]) !== stable(y[k]));
}

function diff(kind: VerifyDifference['kind'], live: DetectionEvent | null, replay: DetectionEvent | null, fields: string[] = []): VerifyDifference {
  const d = (live ?? replay) as DetectionEvent;
  const c = classifyDetection(d);
  return {
    kind,
    type: d.type,
    category: c.category,
    occurrenceKind: c.kind,
    vehicleId: d.data.vehicleId,
    zoneId: zoneOf(d),
    liveEventId: live?.eventId ?? null,
    replayEventId: replay?.eventId ?? null,
    liveAt: live?.occurredAt ?? null,
    replayAt: replay?.occurredAt ?? null,
    fields,
  };
}

/** Live, recomputed, identical and differing detections of violations and of advisories apart. */
function tallies(live: readonly DetectionEvent[], replayed: readonly DetectionEvent[], matched: (d: DetectionEvent) => boolean, differences: readonly VerifyDifference[]): Record<DetectionCategory, VerifyTally> {
  const out: Record<DetectionCategory, VerifyTally> = { violation: { live: 0, replayed: 0, matched: 0, differences: 0 }, advisory: { live: 0, replayed: 0, matched: 0, differences: 0 } };
  for (const d of live) {
    const t = out[classifyDetection(d).category];
    t.live++;
    if (matched(d)) t.matched++;
  }
  for (const d of replayed) out[classifyDetection(d).category].replayed++;
  for (const x of differences) out[x.category].differences++;
  return out;
}

/**
 * Compares detections recorded live with those the replay recomputed, violations' and
 * advisories' alike (the catalogue says which each is). Ids are derived from the triggering
 * event, so the same id means the same cause: compared field by field. Left-overs on both sides
 * with the same type, vehicle and zone are paired in time order as `different-time`; the rest
 * are, relative to the live record, `missing` (recomputed, but not recorded live) or `extra`
 * (recorded live, but not recomputed).
 */
export function compareDetections(live: readonly DetectionEvent[], replayed: readonly DetectionEvent[]): VerifySection {
  const replayById = new Map(replayed.map((d) => [d.eventId, d]));
  const liveIds = new Set(live.map((d) => d.eventId));
  const differences: VerifyDifference[] = [];
  const identical = new Set<string>();
  const liveOnly: DetectionEvent[] = [];
  for (const l of live) {
    const r = replayById.get(l.eventId);
    if (r === undefined) {
      liveOnly.push(l);
      continue;
    }
    const fields = differingFields(l, r);
    if (l.occurredAt !== r.occurredAt || l.type !== r.type) differences.push(diff('different-time', l, r, fields));
    else if (fields.length > 0) differences.push(diff('different-data', l, r, fields));
    else identical.add(l.eventId);
  }
  const replayOnly = replayed.filter((d) => !liveIds.has(d.eventId));
  const pending = new Map<string, DetectionEvent[]>();
  for (const r of replayOnly) {
    const list = pending.get(keyOf(r));
    if (list) list.push(r);
    else pending.set(keyOf(r), [r]);
  }
  for (const l of liveOnly) {
    const r = pending.get(keyOf(l))?.shift();
    differences.push(r === undefined ? diff('extra', l, null) : diff('different-time', l, r, differingFields(l, r)));
  }
  for (const list of pending.values()) for (const r of list) differences.push(diff('missing', null, r));
  const at = (d: VerifyDifference) => epochMs(d.liveAt ?? d.replayAt ?? '');
  differences.sort((a, b) => (a.vehicleId < b.vehicleId ? -1 : a.vehicleId > b.vehicleId ? 1 : at(a) - at(b)));
  return { live: live.length, replayed: replayed.length, matched: identical.size, byCategory: tallies(live, replayed, (d) => identical.has(d.eventId), differences), differences };
}
