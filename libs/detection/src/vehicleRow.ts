import type { Driving } from './fatigue.ts';

/**
 * A vehicle's row in the engine's table of numbers: ZoneIndex.stableUntil of the fix the zone memo
 * was started at (the zones applying stay the same until then); the clearances from segments,
 * restricted areas and chemical parks (see VehicleState.crossGeneration); the last fix's time,
 * position and speed; and the start of the driving period under way as the common case reads it
 * (NaN: none, Infinity: fatigue already declared, else its epoch ms).
 */
export const ROW = 9;
export const STABLE_UNTIL = 0, CLEAR_SEG = 1, CLEAR_AREA = 2, CLEAR_PARK = 3, LAST_MS = 4, LAST_LON = 5, LAST_LAT = 6, LAST_SPEED = 7, DRIVING_SINCE = 8;

/**
 * The driving period as the common case of a fix reads it: `ms − this ≤ fatigueAfterS · 1000` is
 * true exactly when a period is under way and fatigue is not due (declared already, or not yet
 * long enough). NaN compares false; Infinity (declared) true.
 */
export function drivingSince(driving: Driving | null): number {
  return driving === null ? Number.NaN : driving.started ? Infinity : driving.sinceMs;
}
