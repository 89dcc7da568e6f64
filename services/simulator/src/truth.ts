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

/**
 * Fatigue driving as issue #16 defines it, from what the simulator intends: the driving period
 * starts at the first live moving fix after a rest (the wheels stood still for ≥ `restMinS`), and
 * fatigue is due at the first live moving fix more than `fatigueAfterS` after that.
 */
export interface FatigueTruth {
  vehicleId: string;
  drivingSinceMs: number;
  drivingSince: string;
  /** The fix at which FatigueDrivingStarted is due (its `occurredAt`). */
  startMs: number;
  start: string;
  /** When the rest that ends it has lasted `restMinS` (wheels still + restMinS); null if none. */
  endMs: number | null;
  end: string | null;
  laden: boolean;
}

/**
 * A terminal offline (issue #16), over the messages in arrival order with a tick every whole
 * minute: the first tick at or after `lastFix + offlineAfterS` while the vehicle has an active
 * consignment (assigned or laden), dated at that deadline; ended by the next applied fix.
 */
export interface OfflineTruth {
  vehicleId: string;
  lastFixMs: number;
  /** lastFix + offlineAfterS (the detection's `occurredAt`). */
  startMs: number;
  start: string;
  endMs: number | null;
  end: string | null;
  laden: boolean;
  /** Why the terminal was silent: switched off while driving, off in place (a rest), or asleep while parked. */
  cause: 'switched-off-moving' | 'switched-off-parked' | 'asleep-parked' | 'other';
}

/**
 * A route deviation (issue #16), over the fixes the engine applies: while laden with a waybill that
 * declares a route, `routeDeviationFixes` consecutive fixes each farther than its tolerance
 * (great-circle distance to the declared path); dated at the run's first fix.
 */
export interface DeviationTruth {
  vehicleId: string;
  waybillNo: string;
  startMs: number;
  start: string;
  /** First fix back within tolerance, or first fix no longer laden with that waybill. */
  endMs: number | null;
  end: string | null;
  maxDistanceM: number;
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
  /** Long days whose driver rested ≥ restMinS in time (terminal on, or off in place): no fatigue. */
  restedLongRuns: number;
  /** Breaks under restMinS in a long run (no rest: fatigue still due). */
  shortBreaks: number;
  /** Runs of 1 … routeDeviationFixes−1 fixes off the route (no deviation). */
  shortDeviationRuns: number;
  /** Terminal silences of an active consignment's vehicle too short to be offline. */
  shortSwitchOffs: number;
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
  /** Laden runs planned past fatigueAfterS without a rest (the truth says which reached it). */
  longRuns: number;
  /** Long empty runs to the loading site (fatigue applies empty too). */
  emptyLongRuns: number;
  /** Terminals switched off while driving (laden or only assigned), and off in place at a rest. */
  switchOffsLaden: number;
  switchOffsAssigned: number;
  gapRests: number;
  /** Detours off the declared route: long (meant to deviate) and short (1–2 fixes beyond). */
  detours: number;
  shortDetours: number;
  /** Waybills declaring a route, and of those in GCJ-02. */
  routedWaybills: number;
  gcj02Routes: number;
}

export interface FaultCounts {
  fixes: number;
  outOfOrder: number;
  duplicates: number;
  malformed: number;
  movingGaps: number;
  sleepGaps: number;
  droppedInGaps: number;
  /** Terminals switched off (fixes never sent, unlike signal-loss gaps that may be uploaded late). */
  switchOffs: number;
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
  fatigue: FatigueTruth[];
  offline: OfflineTruth[];
  deviations: DeviationTruth[];
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
    restedLongRuns: 0,
    shortBreaks: 0,
    shortDeviationRuns: 0,
    shortSwitchOffs: 0,
  };
}

export function emptyInjections(): InjectionCounts {
  return {
    overspeedGeneral: 0,
    overspeedInZone: 0,
    restrictedShortcuts: 0,
    nightTrips: 0,
    longRuns: 0,
    emptyLongRuns: 0,
    switchOffsLaden: 0,
    switchOffsAssigned: 0,
    gapRests: 0,
    detours: 0,
    shortDetours: 0,
    routedWaybills: 0,
    gcj02Routes: 0,
  };
}

export function emptyFaults(): FaultCounts {
  return { fixes: 0, outOfOrder: 0, duplicates: 0, malformed: 0, movingGaps: 0, sleepGaps: 0, droppedInGaps: 0, switchOffs: 0 };
}
