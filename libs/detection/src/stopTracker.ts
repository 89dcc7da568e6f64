import { distanceM } from '@dgt/geo';
import type { DetectionConfig } from './config.ts';
import type { Fix } from './fix.ts';

/** Illegal-parking verdict attached to a stop once it has been reached. */
export interface ParkingViolation {
  waybillNo: string;
  carrierId: string;
  startedAt: string;
}

export interface Stop {
  anchor: Fix;
  violation: ParkingViolation | null;
}

export interface StopStep {
  stop: Stop | null;
  /** The stop this fix ended, if any. */
  ended: Stop | null;
}

/**
 * Stops are anchored at their first slow fix and last while fixes stay near the anchor. Speed
 * alone cannot end a stop: parked GPS drift reports several km/h. Silence cannot end it either:
 * the next fix decides.
 *
 * `previous` is the vehicle's fix before `fix` when no stop is open. A terminal's last report
 * before it falls back to its parked interval (5–15 min) often shows drift just above
 * `stopSpeedKmh`; anchoring at the next, slow fix would date the stop one interval late — or
 * miss a violation entirely. So a stop starting at `fix` begins at `previous` when that fix was
 * near (within `stopRadiusM`) and nearly stopped (at most `stopLeadInSpeedKmh`).
 */
export function evolveStop(stop: Stop | null, fix: Fix, cfg: DetectionConfig, previous: Fix | null = null): StopStep {
  if (stop !== null) {
    const a = stop.anchor;
    if (distanceM(a.lon, a.lat, fix.lon, fix.lat) <= cfg.stopRadiusM) return { stop, ended: null };
    return { stop: fix.speedKmh <= cfg.stopSpeedKmh ? { anchor: fix, violation: null } : null, ended: stop };
  }
  if (fix.speedKmh <= cfg.stopSpeedKmh) {
    const leadIn =
      previous !== null &&
      previous.speedKmh <= cfg.stopLeadInSpeedKmh &&
      distanceM(previous.lon, previous.lat, fix.lon, fix.lat) <= cfg.stopRadiusM;
    return { stop: { anchor: leadIn ? previous : fix, violation: null }, ended: null };
  }
  return moving;
}

/** Most fixes are of moving vehicles: answer them without allocating. */
const moving: StopStep = Object.freeze({ stop: null, ended: null });
