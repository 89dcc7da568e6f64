import type { NoiseProfile, ScenarioProfile } from './profile.ts';

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
}

/** Situations that must NOT be reported, counted so a reader knows what precision was tested against. */
export interface NegativeCounts {
  shortLadenStops: number;
  emptyRoadsideStops: number;
  ladenLotRests: number;
  loadingStops: number;
  unloadingStops: number;
  redLightStops: number;
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
  parking: ParkingTruth[];
  segments: SegmentTruth[];
  negatives: NegativeCounts;
  faults: FaultCounts;
}

export function emptyNegatives(): NegativeCounts {
  return { shortLadenStops: 0, emptyRoadsideStops: 0, ladenLotRests: 0, loadingStops: 0, unloadingStops: 0, redLightStops: 0 };
}

export function emptyFaults(): FaultCounts {
  return { fixes: 0, outOfOrder: 0, duplicates: 0, malformed: 0, movingGaps: 0, sleepGaps: 0, droppedInGaps: 0 };
}
