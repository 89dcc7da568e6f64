import type { LonLat } from '@dgt/geo';

/*
 * The planning aggregates. Each is both the fold's state and a read-model row: the projector
 * writes the rows a batch changed (whole, as JSON) with its checkpoint, and the API and the report
 * derive every table from them with the pure functions of tables.ts. Times and durations are
 * integer milliseconds, so sums are exact and the same events always give the same bytes.
 */

/** Per Beijing hour of day (index 0–23). */
export type HourArray = number[];

/** A dedicated lot (停车场) and who has been inside it. */
export interface LotRow {
  readonly lotId: string;
  name: string;
  /** Vehicles it holds (`ZoneDesignated.capacity`); null when not declared. */
  capacity: number | null;
  /** Outline, WGS-84 (closed or open as designated). */
  ring: LonLat[];
  /** When it was withdrawn (ZoneWithdrawn); null while active. */
  withdrawnMs: number | null;
  /** Vehicles inside now, laden and empty. */
  laden: number;
  empty: number;
  /** Until when the hourly sums below are integrated. */
  sinceMs: number;
  /** Per hour of day: vehicle-milliseconds inside, of them laden, and milliseconds observed. */
  vehicleMs: HourArray;
  ladenMs: HourArray;
  coveredMs: HourArray;
  /** Per hour of day: the most vehicles inside at once. */
  peak: HourArray;
  /** Milliseconds with at least `capacity` vehicles inside. */
  atCapacityMs: number;
  /** Completed visits (entry fix → first fix outside) and their dwell classes (see PlanningConfig.dwellBoundsS). */
  visits: number;
  dwellMs: number;
  dwell: number[];
}

export const stopKinds = ['long', 'short'] as const;
/** `long`: a laden stop outside every lot lasting the illegal-parking threshold or more; `short`: shorter, but at least `shortStopMinS`. */
export type StopKind = (typeof stopKinds)[number];

/** Laden stops outside lots in one H3 cell. */
export interface CellRow {
  readonly kind: StopKind;
  readonly res: number;
  readonly cell: string;
  stops: number;
  /** Summed stop durations (vehicle-milliseconds). */
  durationMs: number;
  /** Stops per hazard class carried (a stop with goods of two classes counts in both). */
  classes: Record<string, number>;
  /** Distinct vehicles (sorted ids): the cells are small enough and the answer is "how many trucks need a place here". */
  vehicles: string[];
  firstMs: number;
  lastMs: number;
}

/** An accident-prone segment (事故多发路段) and the passages through it. */
export interface SegmentRow {
  readonly segmentId: string;
  name: string;
  /** Centre line, WGS-84, and its buffer. */
  path: LonLat[];
  bufferM: number;
  withdrawnMs: number | null;
  ladenPassages: number;
  emptyPassages: number;
  /** Laden passages per Beijing date, per hour of day, per week (its Monday), per hazard class, per carrier. */
  byDay: Record<string, number>;
  byHour: HourArray;
  byWeek: Record<string, number>;
  byClass: Record<string, number>;
  byCarrier: Record<string, number>;
  /** Laden fixes inside the segment per whole km/h (the last bin holds everything faster). */
  speedBins: number[];
  /** Laden entries the segment's rules banned: at any hour, and in its banned hours. */
  ladenBannedEntries: number;
  bannedHourEntries: number;
}

/** The record's extent, as the fold has seen it. */
export interface MetaRow {
  /** Time of the first and the latest position applied (null before any). */
  firstMs: number | null;
  clockMs: number | null;
  positions: number;
}

export type PlanningRowKind = 'lot' | 'cell' | 'segment' | 'meta';

/** A row as stored: kind, key, and the aggregate as JSON. */
export interface PlanningRowRecord {
  readonly kind: PlanningRowKind;
  readonly key: string;
  readonly data: string;
}

export function cellKey(kind: StopKind, res: number, cell: string): string {
  return `${kind}|${res}|${cell}`;
}

export const META_KEY = 'record';

export function hours(): HourArray {
  return new Array<number>(24).fill(0);
}
