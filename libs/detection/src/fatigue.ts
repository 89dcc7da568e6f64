import { distanceM } from '@dgt/geo';
import type { DetectionConfig } from './config.ts';
import type { Fix } from './fix.ts';
import type { Stop } from './stopTracker.ts';

/** Continuous driving since the last rest. */
export interface Driving {
  /** The first moving fix after the last rest (or the vehicle's first moving fix). */
  since: string;
  sinceMs: number;
  sinceEventId: string;
  /** Whether FatigueDrivingStarted has been emitted for this period. */
  started: boolean;
}

export interface FatigueStep {
  driving: Driving | null;
  /** The period a rest completed at this fix ended, when fatigue had been declared in it. */
  ended: { driving: Driving; restStartedAt: string } | null;
  /** This fix is the first moving one more than `fatigueAfterS` into the period. */
  started: boolean;
}

/*
 * Fatigue driving (疲劳驾驶): more than `fatigueAfterS` of continuous driving without a rest of at
 * least `restMinS`. Short stops (a toll gate, a jam, a 10-minute break) do not interrupt the
 * period: only a completed rest does. Laden or empty alike — the driver is tired either way.
 */

/**
 * When a rest completes at `fix`, the time it began; otherwise null. A rest is
 * - a stop (as the stop tracker keeps it) that `fix` continues and that has now lasted `restMinS`, or
 * - a report gap of at least `restMinS` whose fixes either side lie within `stopRadiusM` of each
 *   other (a terminal switched off in a lay-by). A gap after which the vehicle is elsewhere is no rest.
 */
export function restCompletedAt(stopBefore: Stop | null, continuesStop: boolean, previous: Fix | null, fix: Fix, cfg: DetectionConfig): string | null {
  const restMs = cfg.restMinS * 1000;
  if (stopBefore !== null && continuesStop && fix.ms - stopBefore.anchor.ms >= restMs) return stopBefore.anchor.occurredAt;
  if (previous !== null && fix.ms - previous.ms >= restMs && distanceM(previous.lon, previous.lat, fix.lon, fix.lat) <= cfg.stopRadiusM) {
    return previous.occurredAt;
  }
  return null;
}

/**
 * One fix: a completed rest (`restStartedAt` non-null) ends the period; a moving fix (one the stop
 * tracker does not count as part of a stop) starts one when none is under way, and declares fatigue
 * when it lies more than `fatigueAfterS` after the period's start. A fix in a stop never declares
 * it: a driver who stops before the limit and rests is not driving tired.
 */
export function evolveFatigue(driving: Driving | null, fix: Fix, restStartedAt: string | null, moving: boolean, cfg: DetectionConfig): FatigueStep {
  let ended: FatigueStep['ended'] = null;
  if (restStartedAt !== null && driving !== null) {
    if (driving.started) ended = { driving, restStartedAt };
    driving = null;
  }
  if (!moving) return ended === null && driving === null ? idle : { driving, ended, started: false };
  if (driving === null) return { driving: { since: fix.occurredAt, sinceMs: fix.ms, sinceEventId: fix.eventId, started: false }, ended, started: false };
  if (!driving.started && fix.ms - driving.sinceMs > cfg.fatigueAfterS * 1000) return { driving: { ...driving, started: true }, ended, started: true };
  return { driving, ended, started: false };
}

/** A vehicle standing still with no period under way: answer without allocating. */
const idle: FatigueStep = Object.freeze({ driving: null, ended: null, started: false });
