import { type DetectionConfig, defaultDetectionConfig } from '@dgt/detection';

/**
 * Planning thresholds. Stops are the detection engine's own (same speed, radius, lead-in and site
 * radius), so a stop on the demand map is a stop the engine would judge; a long stop is one that
 * lasts `illegalParkingAfterS` — outside a lot and away from the waybill's sites, exactly the stops
 * that become illegal parking.
 */
export interface PlanningConfig {
  readonly detection: DetectionConfig;
  /** H3 resolutions the demand map aggregates on (7 ≈ 5.2 km² per cell, 8 ≈ 0.74 km²). */
  readonly resolutions: readonly number[];
  /** Laden stops shorter than this are not demand at all (a queue at lights, a toll gate). */
  readonly shortStopMinS: number;
  /** Upper bounds (seconds) of the dwell-time classes of lot visits; the last class is open-ended. */
  readonly dwellBoundsS: readonly number[];
  /** Speeds above this are counted in the last bin of a segment's speed distribution. */
  readonly maxSpeedBinKmh: number;
}

export const defaultPlanningConfig: PlanningConfig = Object.freeze({
  detection: defaultDetectionConfig,
  resolutions: Object.freeze([7, 8]),
  shortStopMinS: 120,
  dwellBoundsS: Object.freeze([900, 3_600, 3 * 3_600, 8 * 3_600, 24 * 3_600]),
  maxSpeedBinKmh: 200,
});

export function planningConfigFor(detection: DetectionConfig, overrides: Partial<Omit<PlanningConfig, 'detection'>> = {}): PlanningConfig {
  return Object.freeze({ ...defaultPlanningConfig, ...overrides, detection });
}

/** Candidate areas for a new lot: demand cells at least this far from every dedicated lot. */
export const DEFAULT_CANDIDATE_MIN_DISTANCE_M = 2_000;
