import type { NoiseProfile, ScenarioProfile } from './profile.ts';
import type { RuleThresholds } from './ruleTruth.ts';

/** An injected laden roadside stop: the parking detector must report it. */
export interface ParkingTruth {
  vehicleId: string;
  waybillNo: string;
  /** The wheels stopped / started rolling again (epoch ms and CST ISO). */
  startMs: number;
  endMs: number;
  start: string;
  end: string;
  durationS: number;
  lon: number;
  lat: number;
}

/** A drive through an accident-prone segment's corridor (laden or not): the segment detector must report it. */
export interface SegmentTruth {
  vehicleId: string;
  zoneId: string;
  startMs: number;
  endMs: number;
  start: string;
  end: string;
  laden: boolean;
  waybillNo: string | null;
  /** Fixes the terminal reported while inside (0: passed between two fixes, to be interpolated). */
  fixesInside: number;
}

/**
 * An overspeed as issue #15 defines it, over the fixes the engine applies (late ones dropped): a
 * run of consecutive fixes each faster than the limit in force at it, reported at the first fix of
 * the run at or after `since + overspeedMinS`, ended by the first fix at or below the limit.
 */
export interface OverspeedTruth {
  vehicleId: string;
  /** The run's first fix. */
  sinceMs: number;
  since: string;
  /** The fix at which OverspeedStarted is due (its `occurredAt`). */
  startMs: number;
  start: string;
  /** The first fix at or below the limit; null if the run outlasts the simulation. */
  endMs: number | null;
  end: string | null;
  /** The limit in force at the reporting fix, and the zone that set it (null: the general limit). */
  limitKmh: number;
  zoneId: string | null;
  laden: boolean;
  maxSpeedKmh: number;
}

/**
 * A restricted entry as issue #15 defines it: the first fix inside a zone at which a laden vehicle
 * breaks its ban (or, for a zone passed between two fixes, the interpolated entry), until the exit
 * (first of `segmentExitFixes` outside fixes) or the first inside fix at which the ban no longer holds.
 */
export interface RestrictedEntryTruth {
  vehicleId: string;
  zoneId: string;
  rule: 'laden-banned' | 'banned-hours';
  waybillNo: string;
  startMs: number;
  start: string;
  endMs: number | null;
  end: string | null;
  /** Passed between two fixes, with neither inside: times interpolated along the line between them. */
  interpolated: boolean;
}

/** Situations that must NOT be reported, counted so a reader knows what precision was tested against. */
export interface NegativeCounts {
  shortLadenStops: number;
  emptyRoadsideStops: number;
  ladenLotRests: number;
  loadingStops: number;
  unloadingStops: number;
  redLightStops: number;
  /** Injected bursts over the limit too short (< overspeedMinS of fast fixes) to be an overspeed. */
  shortOverspeeds: number;
  /** Visits to zones with bans that break none: empty, laden with goods the ban does not list, laden outside the banned hours. */
  bannedZoneVisitsEmpty: number;
  bannedZoneVisitsOtherClass: number;
  bannedZoneVisitsOutsideHours: number;
}

/** What the simulator set out to inject (the truth above says what the rules make of it). */
export interface InjectionCounts {
  /** Sustained overspeeds: over the general limit on an expressway, or through a lower-limit zone. */
  overspeedGeneral: number;
  overspeedInZone: number;
  /** Laden legs that took the road through a restricted area instead of the lawful detour. */
  restrictedShortcuts: number;
  /** Early-morning laden trips through a night-banned segment (any class). */
  nightTrips: number;
}

export interface FaultCounts {
  fixes: number;
  outOfOrder: number;
  duplicates: number;
  malformed: number;
  movingGaps: number;
  sleepGaps: number;
  droppedInGaps: number;
}

export interface GroundTruth {
  seed: string;
  start: string;
  days: number;
  vehicles: number;
  noise: NoiseProfile;
  scenario: ScenarioProfile;
  /** The thresholds `overspeeds` and `restrictedEntries` were derived with. */
  rules: RuleThresholds;
  parking: ParkingTruth[];
  segments: SegmentTruth[];
  overspeeds: OverspeedTruth[];
  restrictedEntries: RestrictedEntryTruth[];
  negatives: NegativeCounts;
  injected: InjectionCounts;
  faults: FaultCounts;
}

export function emptyNegatives(): NegativeCounts {
  return {
    shortLadenStops: 0,
    emptyRoadsideStops: 0,
    ladenLotRests: 0,
    loadingStops: 0,
    unloadingStops: 0,
    redLightStops: 0,
    shortOverspeeds: 0,
    bannedZoneVisitsEmpty: 0,
    bannedZoneVisitsOtherClass: 0,
    bannedZoneVisitsOutsideHours: 0,
  };
}

export function emptyInjections(): InjectionCounts {
  return { overspeedGeneral: 0, overspeedInZone: 0, restrictedShortcuts: 0, nightTrips: 0 };
}

export function emptyFaults(): FaultCounts {
  return { fixes: 0, outOfOrder: 0, duplicates: 0, malformed: 0, movingGaps: 0, sleepGaps: 0, droppedInGaps: 0 };
}
