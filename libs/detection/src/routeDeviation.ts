import type { DetectionConfig } from './config.ts';
import type { Fix } from './fix.ts';

/** A run of consecutive fixes off the declared route of the waybill the vehicle is laden with. */
export interface DeviationRun {
  waybillNo: string;
  /** The run's first fix: where the vehicle left the route. */
  since: string;
  sinceMs: number;
  lon: number;
  lat: number;
  /** Distance (m, to 0.1 m) of the first fix from the route. */
  firstDistanceM: number;
  maxDistanceM: number;
  /** The run's fixes until it was declared (evidence); not grown afterwards. */
  eventIds: string[];
  /** Whether RouteDeviationStarted has been emitted (the run reached `routeDeviationFixes`). */
  started: boolean;
}

export interface DeviationStep {
  run: DeviationRun | null;
  /** This fix completed the run: RouteDeviationStarted, dated at the run's first fix. */
  started: boolean;
  /** The declared run this fix ended (back within tolerance, or no longer laden with that waybill). */
  ended: DeviationRun | null;
}

/** Distances in reports: to the decimetre (the decision itself is exact). */
export const roundDistance = (m: number): number => Math.round(m * 10) / 10;

/*
 * Route deviation (偏离线路): while laden with a waybill that declares a route, `routeDeviationFixes`
 * consecutive fixes each farther from it than its tolerance. Declared when the run is complete,
 * dated at its first fix (as a segment exit is); ended at the first fix back within tolerance —
 * or at the first fix after the vehicle stops being laden with that waybill (unloaded off the
 * route, the deviation has nowhere left to end).
 *
 * `waybillNo` is the routed waybill the vehicle is laden with at this fix (null: none);
 * `beyondM` is the fix's distance from that route when beyond its tolerance, null when within.
 */
export function evolveDeviation(run: DeviationRun | null, fix: Fix, waybillNo: string | null, beyondM: number | null, cfg: DetectionConfig): DeviationStep {
  let ended: DeviationRun | null = null;
  if (run !== null && (waybillNo === null || run.waybillNo !== waybillNo || beyondM === null)) {
    if (run.started) ended = run;
    run = null;
  }
  // Not laden with a routed waybill, or on the route: any run was closed just above.
  if (waybillNo === null || beyondM === null) return ended === null ? calm : { run: null, started: false, ended };
  const d = roundDistance(beyondM);
  if (run === null) {
    const first: DeviationRun = { waybillNo, since: fix.occurredAt, sinceMs: fix.ms, lon: fix.lon, lat: fix.lat, firstDistanceM: d, maxDistanceM: d, eventIds: [fix.eventId], started: false };
    const now = cfg.routeDeviationFixes <= 1;
    return { run: now ? { ...first, started: true } : first, started: now, ended };
  }
  const maxDistanceM = Math.max(run.maxDistanceM, d);
  if (run.started) return { run: maxDistanceM === run.maxDistanceM ? run : { ...run, maxDistanceM }, started: false, ended };
  const eventIds = [...run.eventIds, fix.eventId];
  const starting = eventIds.length >= cfg.routeDeviationFixes;
  return { run: { ...run, maxDistanceM, eventIds, started: starting }, started: starting, ended };
}

const calm: DeviationStep = Object.freeze({ run: null, started: false, ended: null });
