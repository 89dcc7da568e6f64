import { z } from 'zod';
import type { Scope } from './port.ts';
import { violationKind } from './views.ts';

/*
 * The statistics page's aggregates (issue 18 item 7), computed by the store over a window of start
 * times so a request costs one grouped query per breakdown, never a scan of every row in the API.
 * Days and hours are Beijing time (UTC+8, no daylight saving): `(startedMs + 8 h) / 1 day`.
 */

export interface StatisticsQuery {
  readonly scope: Scope;
  /** `startedAt` at or after (inclusive), ISO-8601: as the violation listings read `from`. */
  readonly from: string;
  /** `startedAt` strictly before (exclusive), ISO-8601. */
  readonly to: string;
}

/** Beijing's offset: the day and the hour of an instant are read on its Beijing wall clock. */
export const BEIJING_OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/**
 * Size of a position cell, in degrees (1/1000 ≈ 100 m × 110 m here): violations are counted per
 * cell so the API can name each cell's county once instead of each violation's.
 */
export const CELL_DEGREES = 0.001;

export const dayKindCount = z.object({
  /** Beijing date, `YYYY-MM-DD`. */
  day: z.string(),
  kind: violationKind,
  count: z.number().int(),
});

export const carrierCount = z.object({
  /** null: violations of vehicles with no carrier known (unregistered, unassigned). */
  carrierId: z.string().nullable(),
  /** The carrier view's name, null when it has none (or no carrier view exists). */
  name: z.string().nullable(),
  count: z.number().int(),
});

export const hourCount = z.object({
  /** Beijing hour of day, 0–23. */
  hour: z.number().int().min(0).max(23),
  count: z.number().int(),
});

export const cellCount = z.object({
  /** The cell's centre: longitude and latitude rounded to `CELL_DEGREES`. */
  lon: z.number(),
  lat: z.number(),
  count: z.number().int(),
});

export const segmentHourCount = z.object({
  zoneId: z.string(),
  /** The segment's name as the passages recorded it (the greatest, should it have changed). */
  zoneName: z.string().nullable(),
  hour: z.number().int().min(0).max(23),
  count: z.number().int(),
});

export type DayKindCount = z.infer<typeof dayKindCount>;
export type CarrierCount = z.infer<typeof carrierCount>;
export type HourCount = z.infer<typeof hourCount>;
export type CellCount = z.infer<typeof cellCount>;
export type SegmentHourCount = z.infer<typeof segmentHourCount>;

/** Only non-empty groups are listed (but `byHour`, which always has the 24 hours). */
export interface ReadModelStatistics {
  /** Violations per Beijing day and kind, by day then kind. */
  readonly byDayKind: readonly DayKindCount[];
  /** Violations per carrier: most first, then by carrierId, no carrier last. */
  readonly byCarrier: readonly CarrierCount[];
  /** Violations per Beijing hour of day, hours 0 to 23. */
  readonly byHour: readonly HourCount[];
  /** Violations with a position, per position cell, by lon then lat. */
  readonly byCell: readonly CellCount[];
  /** Violations without a position (they are in no cell). */
  readonly unlocated: number;
  /** Laden segment passages (advisories of kind `segment-passage`) per segment and Beijing hour, by zoneId then hour. */
  readonly passagesBySegmentHour: readonly SegmentHourCount[];
}

/** Beijing day number (days since 1970-01-01 in Beijing) of an instant. */
export function beijingDayNumber(ms: number): number {
  return Math.floor((ms + BEIJING_OFFSET_MS) / DAY_MS);
}

/** Beijing hour of day of an instant. */
export function beijingHour(ms: number): number {
  return Math.floor((ms + BEIJING_OFFSET_MS) / HOUR_MS) % 24;
}

/** `YYYY-MM-DD` of a Beijing day number. */
export function beijingDate(dayNumber: number): string {
  return new Date(dayNumber * DAY_MS).toISOString().slice(0, 10);
}

/**
 * A coordinate's cell index: `round(value / CELL_DEGREES)`, halves away from zero — exactly what
 * SQLite's `round(x)` does, so both adapters put a point in the same cell.
 */
export function cellIndex(value: number): number {
  const x = value * 1000;
  return Math.sign(x) * Math.floor(Math.abs(x) + 0.5);
}

/** The centre of a cell index, in degrees. */
export function cellCentre(index: number): number {
  return index / 1000;
}

/** The 24 hours with their counts (absent hours: 0). */
export function allHours(counts: ReadonlyMap<number, number>): HourCount[] {
  return Array.from({ length: 24 }, (_, hour) => ({ hour, count: counts.get(hour) ?? 0 }));
}
