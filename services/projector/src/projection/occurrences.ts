import { classifyDetection, closeOccurrence, closes, type Occurrence, openOccurrence, type TriggerFix } from '@dgt/detection';
import type { DetectionEvent } from '@dgt/events';
import type { AdvisoryKind, AdvisoryView, ViolationKind, ViolationView } from '@dgt/readmodels';

/*
 * What a detection does to a vehicle's open violations and advisories. The catalogue decides
 * which it is (`classifyDetection`) and `@dgt/detection`'s occurrences pair and fill the rows, the
 * same functions `dgt replay` uses: replay and the live desk list the same occurrences.
 */

export interface OccurrenceContext {
  plateNo: string | null;
  /** The vehicle's owner: the row's carrier when the detection names no waybill carrier. */
  vehicleCarrier: string | null;
  /** The registered owner when the detection happened: the row's carrier whenever the vehicle is registered. */
  owner: string | undefined;
  zoneName: (zoneId: string) => string | null;
}

/** The vehicle's open rows, as the projection keeps them. */
export interface OpenRows {
  readonly open: readonly ViolationView[];
  readonly advisories: readonly AdvisoryView[];
}

export type OccurrenceChange =
  | { readonly category: 'violation'; readonly op: 'open' | 'close'; readonly row: ViolationView }
  | { readonly category: 'advisory'; readonly op: 'open' | 'close'; readonly row: AdvisoryView }
  | null;

type Shared = Omit<ViolationView, 'violationId' | 'kind'>;

function shared(o: Occurrence, status: 'open' | 'closed', carrierId: string | null, plateNo: string | null, zoneName: string | null): Shared {
  return {
    severity: o.severity,
    status,
    vehicleId: o.vehicleId,
    plateNo,
    carrierId,
    waybillNo: o.waybillNo,
    laden: o.laden,
    zoneId: o.zoneId,
    zoneName,
    rule: o.rule as Shared['rule'],
    startedAt: o.startedAt,
    since: o.since,
    endedAt: o.endedAt,
    durationS: o.durationS,
    lon: o.lon,
    lat: o.lat,
    speedKmh: o.speedKmh,
    limitKmh: o.limitKmh,
    maxSpeedKmh: o.maxSpeedKmh,
    interpolated: o.interpolated,
    evidence: [...o.evidence],
    detectionEventIds: [...o.detectionIds],
  };
}

/** A stored row as the occurrence it is, so closing it goes through the one `closeOccurrence`. */
function occurrenceOf(row: ViolationView | AdvisoryView, id: string): Occurrence {
  return {
    id,
    kind: row.kind,
    category: 'violationId' in row ? 'violation' : 'advisory',
    severity: row.severity,
    vehicleId: row.vehicleId,
    zoneId: row.zoneId,
    rule: row.rule,
    waybillNo: row.waybillNo,
    carrierId: row.carrierId,
    laden: row.laden,
    startedAt: row.startedAt,
    since: row.since,
    endedAt: row.endedAt,
    durationS: row.durationS,
    lon: row.lon,
    lat: row.lat,
    speedKmh: row.speedKmh,
    limitKmh: row.limitKmh,
    maxSpeedKmh: row.maxSpeedKmh,
    interpolated: row.interpolated,
    evidence: row.evidence,
    detectionIds: row.detectionEventIds,
  };
}

/** What a detection does to the vehicle's open rows (rows are new objects, never mutated); null = nothing. */
export function occurrenceChange(d: DetectionEvent, rows: OpenRows, ctx: OccurrenceContext, trigger: TriggerFix | null): OccurrenceChange {
  const c = classifyDetection(d);
  if (c.opens) {
    const o = openOccurrence(d, trigger);
    const carrierId = ctx.owner ?? (o.carrierId || ctx.vehicleCarrier);
    const base = shared(o, 'open', carrierId, ctx.plateNo, o.zoneId === null ? null : ctx.zoneName(o.zoneId));
    return c.category === 'violation'
      ? { category: 'violation', op: 'open', row: { violationId: o.id, kind: o.kind as ViolationKind, ...base } }
      : { category: 'advisory', op: 'open', row: { advisoryId: o.id, kind: o.kind as AdvisoryKind, ...base } };
  }
  // A closing detection closes a row of its kind in whichever table its opening put it (a terminal
  // offline is a violation or an advisory by its load), so look in both.
  const violation = rows.open.find((r) => closes(r, d));
  if (violation !== undefined) {
    const o = closeOccurrence(occurrenceOf(violation, violation.violationId), d);
    return { category: 'violation', op: 'close', row: { violationId: violation.violationId, kind: violation.kind, ...shared(o, 'closed', violation.carrierId, violation.plateNo, violation.zoneName) } };
  }
  const row = rows.advisories.find((r) => closes(r, d));
  if (row === undefined) return null;
  const o = closeOccurrence(occurrenceOf(row, row.advisoryId), d);
  return { category: 'advisory', op: 'close', row: { advisoryId: row.advisoryId, kind: row.kind, ...shared(o, 'closed', row.carrierId, row.plateNo, row.zoneName) } };
}
