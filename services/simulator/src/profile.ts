/**
 * The noise and scenario levels of a simulation, in one place. The accuracy targets are stated
 * for these defaults (`docs` in the package README).
 */
export interface NoiseProfile {
  /** σ (m, per axis) of a moving fix around the true position. */
  movingJitterM: number;
  /** Parked fixes scatter uniformly within this radius of the parking spot. */
  parkedDriftM: number;
  /** Share of stationary fixes that report a phantom speed, and its maximum (km/h). */
  phantomSpeedShare: number;
  phantomSpeedMaxKmh: number;
  /** Share of fixes delivered late (1–3 report intervals), i.e. out of order. */
  outOfOrderRate: number;
  /** Share of fixes delivered twice (same eventId, 1–90 s apart). */
  duplicateRate: number;
  /** Share of fixes followed by a malformed message (bad coordinates, missing fields, bad JSON...). */
  malformedRate: number;
  /** Expected signal-loss gaps per driving leg, and their length (s). Half are uploaded late as a batch. */
  movingGapsPerLeg: number;
  movingGapS: readonly [number, number];
  /** Share of overnight parks during which the terminal sleeps, and how long (s). */
  sleepShare: number;
  sleepS: readonly [number, number];
}

export interface ScenarioProfile {
  /** Probability that a laden leg includes an injected roadside stop (violation) of 12–60 min. */
  violationPerLadenLeg: number;
  violationMinutes: readonly [number, number];
  /** Probability of a short laden roadside stop (2–8 min): not a violation. */
  shortLadenStopPerLadenLeg: number;
  shortStopMinutes: readonly [number, number];
  /** Probability of a long empty roadside stop (15–40 min): not a violation (not laden). */
  emptyStopPerEmptyLeg: number;
  emptyStopMinutes: readonly [number, number];
  /** Probability that a laden leg rests at a dedicated lot on the way (legal). */
  ladenLotRestPerLadenLeg: number;
  /** Probability of a second trip in a day. */
  secondTripShare: number;
  /** Probability that a red light stops the vehicle at a signalled junction, and the wait (s). */
  redLightShare: number;
  redLightS: readonly [number, number];
  /** Per passage of a zone with a lower speed limit: the driver keeps the road's speed throughout (an overspeed)… */
  zoneOverspeedPerPassage: number;
  /** …or only for its first 20–45 s (not an overspeed: under a minute). */
  shortZoneOverspeedPerPassage: number;
  /** Per leg: 150–360 s at 90–105 km/h on an expressway (an overspeed), or else 15–40 s (not one). */
  overspeedPerLeg: number;
  shortOverspeedPerLeg: number;
  /** Per laden leg whose fastest road runs through a restricted area: the driver takes it instead of the detour. */
  restrictedShortcutPerLadenLeg: number;
  /** Per vehicle-day: an early-morning laden run through a segment banned at night (for some classes). */
  nightTripShare: number;
  /** Per vehicle-day: the first trip's laden part is a long run (≈ `longRunKm`) through other sites… */
  longRunShare: number;
  longRunKm: number;
  /** …of which this share rests 25–45 min halfway (half with the terminal off in place); the rest only break 5–15 min. */
  longRunRestedShare: number;
  /** Per vehicle-day without a laden long run: the empty drive to the loading site is a long run (5–15 min break halfway). */
  emptyLongRunShare: number;
  /** Share of waybills that declare their route, and of those declared in GCJ-02; tolerances drawn from `routeToleranceM` (null: not stated, 500 m). */
  routeDeclaredShare: number;
  gcj02RouteShare: number;
  routeToleranceM: readonly (number | null)[];
  /** Per laden leg on a declared route: a detour beyond tolerance for 4–10 report intervals (a deviation), or for about one (not). */
  detourPerLadenLeg: number;
  shortDetourPerLadenLeg: number;
  /** Per laden leg / empty leg to the loading site: the terminal switched off for the rest of the drive and a few minutes after (offline)… */
  switchOffPerLadenLeg: number;
  switchOffPerAssignedLeg: number;
  /** …or for 4–15 min on the road (too short to be offline). */
  shortSwitchOffPerLeg: number;
}

export const defaultNoise: NoiseProfile = Object.freeze({
  movingJitterM: 3,
  parkedDriftM: 30,
  phantomSpeedShare: 0.4,
  phantomSpeedMaxKmh: 6,
  outOfOrderRate: 0.01,
  duplicateRate: 0.005,
  malformedRate: 0.0005,
  movingGapsPerLeg: 0.3,
  movingGapS: [60, 300] as const,
  sleepShare: 0.5,
  sleepS: [3_600, 4 * 3_600] as const,
});

export const defaultScenario: ScenarioProfile = Object.freeze({
  violationPerLadenLeg: 0.25,
  violationMinutes: [12, 60] as const,
  shortLadenStopPerLadenLeg: 0.2,
  shortStopMinutes: [2, 8] as const,
  emptyStopPerEmptyLeg: 0.1,
  emptyStopMinutes: [15, 40] as const,
  ladenLotRestPerLadenLeg: 0.1,
  secondTripShare: 0.5,
  redLightShare: 0.45,
  redLightS: [15, 75] as const,
  zoneOverspeedPerPassage: 0.15,
  shortZoneOverspeedPerPassage: 0.15,
  overspeedPerLeg: 0.08,
  shortOverspeedPerLeg: 0.08,
  restrictedShortcutPerLadenLeg: 0.4,
  nightTripShare: 0.2,
  longRunShare: 0.2,
  longRunKm: 330,
  longRunRestedShare: 0.35,
  emptyLongRunShare: 0.1,
  routeDeclaredShare: 0.9,
  gcj02RouteShare: 0.2,
  routeToleranceM: [null, 500, 300, 800],
  detourPerLadenLeg: 0.15,
  shortDetourPerLadenLeg: 0.15,
  switchOffPerLadenLeg: 0.12,
  switchOffPerAssignedLeg: 0.15,
  shortSwitchOffPerLeg: 0.06,
});
