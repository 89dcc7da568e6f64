import type { ZoneKind } from '@dgt/events';
import type { ZoneCrossing, ZoneIndex } from '@dgt/geo';

const none: readonly never[] = Object.freeze([]);

/** A fix and the line to it from the vehicle's previous fix, as `zonesNear` reads them. */
export interface FixLine {
  aLon: number;
  aLat: number;
  aMs: number;
  bLon: number;
  bLat: number;
  bMs: number;
  /** Chebyshev length of the line in degrees (the larger of |Δlon| and |Δlat|). */
  reach: number;
  /** Longest line (metres) a passage between fixes is looked for on (a GNSS jump is none). */
  maxM: number;
  /** Whether the previous fix's clearance and zones still hold (index unchanged, before ZoneIndex.stableUntil). */
  known: boolean;
}

/** What `zonesNear` answers for one kind: the zones holding the fix, the zones passed between fixes, the fix's clearance. */
export interface ZonesNear {
  zones: readonly string[];
  crossed: readonly ZoneCrossing[];
  clear: number;
}

export function newFixLine(): FixLine {
  return { aLon: 0, aLat: 0, aMs: 0, bLon: 0, bLat: 0, bMs: 0, reach: 0, maxM: 0, known: false };
}

export function newZonesNear(): ZonesNear {
  return { zones: none, crossed: none, clear: 0 };
}

/**
 * The zones of `kind` containing the fix at the end of `line`, and (when `cross`) those the line
 * passed with neither end inside, into `out` with the fix's clearance. `clearBefore` and `last` are
 * the previous fix's clearance and zones (valid when `line.known`). For the memo's misses: a line
 * shorter than its start's clearance is settled by the caller without a lookup; one shorter than
 * both ends' clearances met no zone boundary, so the fix keeps the last zones; otherwise the index
 * answers. The answers equal asking the index about every fix (see zoneMemo.unit.test.ts).
 */
export function zonesNear(zones: ZoneIndex, line: FixLine, kind: ZoneKind, clearBefore: number, last: readonly string[], cross: boolean, out: ZonesNear): void {
  const before = line.known ? Math.max(0, clearBefore) : 0;
  out.crossed = none;
  const here = zones.crossingClearance(line.bLon, line.bLat, kind);
  const settled = line.reach < before + here;
  out.clear = here;
  if (line.known && settled) {
    out.zones = last;
    return;
  }
  out.zones = zones.zonesAt(line.bLon, line.bLat, line.bMs, kind);
  if (cross && !settled) {
    out.crossed = zones.crossingsBetween(line.aLon, line.aLat, line.aMs, line.bLon, line.bLat, line.bMs, kind, line.maxM, out.zones, line.known ? last : none, true);
  }
}
