import { type DetectionEvent, epochMs } from '@dgt/events';
import { classifyDetection, type DetectionCategory, type DetectionKind, type Severity } from './violations.ts';

/*
 * An occurrence is one violation or advisory as the catalogue pairs it: the detection that opens
 * it, and the one that closes it once it is over. The live projector and `dgt replay` both build
 * their rows with these functions, so for the same detections they list the same occurrences
 * field for field; nothing here knows a detection type by name (fields are read by what they
 * mean), so a new kind is a catalogue entry, not a change here.
 */

export interface Occurrence {
  /** The eventId of the opening detection (`<fix id>/<Type>[/<zoneId>]`): the occurrence's id everywhere. */
  readonly id: string;
  readonly kind: DetectionKind;
  readonly category: DetectionCategory;
  readonly severity: Severity;
  readonly vehicleId: string;
  /** The zone entered, or (overspeed) the zone whose limit was broken; null for the general limit and parking. */
  readonly zoneId: string | null;
  /** Restricted entries: which ban was broken (`laden-banned` | `banned-hours`). */
  readonly rule: string | null;
  readonly waybillNo: string | null;
  /** The carrier the detection names (the waybill's); the live desk shows the registered owner instead. */
  readonly carrierId: string | null;
  readonly laden: boolean;
  /** The opening detection's time. */
  readonly startedAt: string;
  /** When the breach began: the stop's first fix (parking), the run's first fix (overspeed), else `startedAt`. */
  readonly since: string;
  readonly endedAt: string | null;
  readonly durationS: number | null;
  /** Where: the detection's own position if it has one (a stop's anchor), else the fix that raised it. */
  readonly lon: number | null;
  readonly lat: number | null;
  readonly speedKmh: number | null;
  readonly limitKmh: number | null;
  /** Overspeed: the fastest fix of the run, known once it ended. */
  readonly maxSpeedKmh: number | null;
  /** Entry or exit timed between two fixes (a short tunnel passed with no fix inside). */
  readonly interpolated: boolean;
  /** Event ids of the fixes and waybill events the detections cite, opening then closing. */
  readonly evidence: readonly string[];
  /** Opening detection id, then the closing one once closed. */
  readonly detectionIds: readonly string[];
}

/** The fix whose arrival raised a detection (its position stands in when the detection has none). */
export interface TriggerFix {
  readonly lon: number;
  readonly lat: number;
}

type Data = Readonly<Record<string, unknown>>;

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const ids = (v: unknown): string[] => (Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : []);

/** The occurrence an opening detection starts. Throws for a closing detection (a caller bug). */
export function openOccurrence(d: DetectionEvent, trigger: TriggerFix | null): Occurrence {
  const c = classifyDetection(d);
  if (!c.opens) throw new Error(`${d.type} closes an occurrence (${c.kind}), it opens none`);
  const x = d.data as Data;
  const ownLon = num(x.lon);
  const ownLat = num(x.lat);
  const own = ownLon !== null && ownLat !== null;
  return {
    id: d.eventId,
    kind: c.kind,
    category: c.category,
    severity: c.entry.severity,
    vehicleId: d.data.vehicleId,
    zoneId: str(x.zoneId),
    rule: str(x.rule),
    waybillNo: str(x.waybillNo),
    carrierId: str(x.carrierId),
    laden: c.entry.ladenOnly || x.laden === true,
    startedAt: d.occurredAt,
    since: str(x.stoppedSince) ?? str(x.since) ?? d.occurredAt,
    endedAt: null,
    durationS: null,
    lon: own ? ownLon : (trigger?.lon ?? null),
    lat: own ? ownLat : (trigger?.lat ?? null),
    speedKmh: num(x.speedKmh),
    limitKmh: num(x.limitKmh),
    maxSpeedKmh: null,
    interpolated: x.interpolated === true,
    evidence: [...new Set(ids(x.evidence))],
    detectionIds: [d.eventId],
  };
}

/** True when `closer` is the detection that ends the open occurrence `o` (same kind, vehicle and, where it matters, zone). */
export function closes(o: Pick<Occurrence, 'kind' | 'vehicleId' | 'zoneId'>, closer: DetectionEvent): boolean {
  const c = classifyDetection(closer);
  if (c.opens || c.kind !== o.kind || closer.data.vehicleId !== o.vehicleId) return false;
  return !c.entry.matchZone || str((closer.data as Data).zoneId) === o.zoneId;
}

/** The occurrence as its closing detection ends it: a new object, `o` is left as it was. */
export function closeOccurrence(o: Occurrence, closer: DetectionEvent): Occurrence {
  const x = closer.data as Data;
  const endedAt = str(x.endedAt) ?? closer.occurredAt;
  return {
    ...o,
    endedAt,
    // A stop's duration runs from its first fix (the detection says so); otherwise from the start.
    durationS: num(x.durationS) ?? (epochMs(endedAt) - epochMs(o.startedAt)) / 1000,
    maxSpeedKmh: num(x.maxSpeedKmh) ?? o.maxSpeedKmh,
    interpolated: o.interpolated || x.interpolated === true,
    evidence: [...new Set([...o.evidence, ...ids(x.evidence)])],
    detectionIds: [...o.detectionIds, closer.eventId],
  };
}

/**
 * Pairs a run's detections into occurrences, in the order they opened. Feed every detection with
 * the fix that raised it; `all()` then lists each occurrence, closed or still open.
 */
export class OccurrenceTracker {
  readonly #all: Occurrence[] = [];
  /** Open occurrences per vehicle, as indexes into #all: a vehicle rarely has more than two open. */
  readonly #open = new Map<string, number[]>();

  apply(d: DetectionEvent, trigger: TriggerFix | null): void {
    if (classifyDetection(d).opens) {
      const at = this.#all.push(openOccurrence(d, trigger)) - 1;
      const list = this.#open.get(d.data.vehicleId);
      if (list === undefined) this.#open.set(d.data.vehicleId, [at]);
      else list.push(at);
      return;
    }
    const list = this.#open.get(d.data.vehicleId);
    const i = list?.findIndex((at) => closes(this.#all[at]!, d)) ?? -1;
    // A closer without its opener (the opener fell before what was fed) closes nothing.
    if (list === undefined || i < 0) return;
    const at = list[i]!;
    this.#all[at] = closeOccurrence(this.#all[at]!, d);
    list.splice(i, 1);
  }

  /** Every occurrence so far, in the order they opened. */
  all(): readonly Occurrence[] {
    return this.#all;
  }

  /** Those of one vehicle still open, in the order they opened. */
  openOf(vehicleId: string): Occurrence[] {
    return (this.#open.get(vehicleId) ?? []).map((at) => this.#all[at]!);
  }
}
