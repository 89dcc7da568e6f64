import type { DetectionConfig } from './config.ts';
import type { Fix } from './fix.ts';

/** A run of consecutive fixes each above the limit in force at it. */
export interface OverspeedRun {
  /** The run's first fix. */
  since: string;
  sinceMs: number;
  sinceEventId: string;
  maxSpeedKmh: number;
  /** Whether OverspeedStarted has been emitted (the run has lasted `overspeedMinS`). */
  started: boolean;
}

export interface OverspeedStep {
  run: OverspeedRun | null;
  /** This fix is the first of the run at least `overspeedMinS` after its first fix. */
  started: boolean;
  /** The started run this fix (at or below the limit) ended. */
  ended: OverspeedRun | null;
}

/**
 * Overspeed (超速) is sustained, not momentary: a run starts at a fix above the limit in force
 * there (the lowest of the general hazmat limit and every containing zone's), continues while every
 * next fix is above the limit in force at it, and becomes an overspeed at its first fix at least
 * `overspeedMinS` after its first — so one fast fix (overtaking, a GNSS speed spike) never is. The
 * first fix at or below the limit ends it. Laden or empty alike: a hazmat vehicle's limit does not
 * depend on its load. Late fixes never reach here, so they cannot break a run.
 */
export function evolveOverspeed(run: OverspeedRun | null, fix: Fix, limitKmh: number, cfg: DetectionConfig): OverspeedStep {
  if (fix.speedKmh > limitKmh) {
    if (run === null) {
      return { run: { since: fix.occurredAt, sinceMs: fix.ms, sinceEventId: fix.eventId, maxSpeedKmh: fix.speedKmh, started: false }, started: false, ended: null };
    }
    // `run` is non-null, so this fix is later than the run's first: never a one-fix overspeed.
    const starting = !run.started && fix.ms - run.sinceMs >= cfg.overspeedMinS * 1000;
    if (!starting && fix.speedKmh <= run.maxSpeedKmh) return { run, started: false, ended: null };
    return { run: { ...run, maxSpeedKmh: Math.max(run.maxSpeedKmh, fix.speedKmh), started: run.started || starting }, started: starting, ended: null };
  }
  if (run === null) return steady;
  return { run: null, started: false, ended: run.started ? run : null };
}

/** Most fixes are within the limit with no run open: answer them without allocating. */
const steady: OverspeedStep = Object.freeze({ run: null, started: false, ended: null });
