import { distanceToAreaM, hexCentre, hexNeighbours, type LonLat } from '@dgt/geo';
import { DAY_MS, WEEK_MS } from './calendar.ts';
import { DEFAULT_CANDIDATE_MIN_DISTANCE_M, defaultPlanningConfig } from './config.ts';
import { advanceLot } from './lotOccupancy.ts';
import type { CellRow, LotRow, MetaRow, SegmentRow, StopKind } from './rows.ts';
import { wholeRecord } from './window.ts';

/*
 * The planning tables, derived from the aggregate rows by pure functions: the API answers with
 * them, the report writes them. Rounded to fixed decimals so every consumer prints the same bytes.
 */

const HOUR = 3_600_000;

function round(n: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(n * f) / f;
}

// --- lot occupancy

export interface LotHour {
  readonly hour: number;
  /** Mean vehicles inside during this hour of day, over the hours observed. */
  readonly meanVehicles: number;
  readonly meanLaden: number;
  readonly peak: number;
  /** Hours of this hour of day observed (the lot existing, inside the window). */
  readonly observedH: number;
}

export interface DwellClass {
  /** Lower and upper bound in seconds; `toS` null for the open-ended class. */
  readonly fromS: number;
  readonly toS: number | null;
  readonly visits: number;
}

export interface LotOccupancy {
  readonly lotId: string;
  readonly name: string;
  readonly capacity: number | null;
  readonly withdrawn: boolean;
  readonly current: { readonly laden: number; readonly empty: number; readonly total: number };
  /** current.total ÷ capacity; null without a capacity. */
  readonly utilisation: number | null;
  readonly peak: number;
  readonly meanVehicles: number;
  readonly hours: readonly LotHour[];
  /** Hours with at least `capacity` vehicles inside; null without a capacity. */
  readonly hoursAtOrOverCapacity: number | null;
  readonly visits: number;
  readonly meanDwellMin: number | null;
  readonly dwell: readonly DwellClass[];
}

/**
 * Lot occupancy. `asOfMs`: integrate each lot's current count up to this time (the projection's
 * clock: the latest fix recorded); null when the rows are already integrated (a finished report).
 */
export function lotOccupancy(lots: readonly LotRow[], asOfMs: number | null, dwellBoundsS: readonly number[] = defaultPlanningConfig.dwellBoundsS): LotOccupancy[] {
  return [...lots]
    .sort((a, b) => (a.lotId < b.lotId ? -1 : a.lotId > b.lotId ? 1 : 0))
    .map((row) => {
      const lot: LotRow = structuredClone(row);
      if (asOfMs !== null) advanceLot(lot, asOfMs, wholeRecord);
      const total = lot.laden + lot.empty;
      const covered = lot.coveredMs.reduce((s, n) => s + n, 0);
      const vehicleMs = lot.vehicleMs.reduce((s, n) => s + n, 0);
      return {
        lotId: lot.lotId,
        name: lot.name,
        capacity: lot.capacity,
        withdrawn: lot.withdrawnMs !== null,
        current: { laden: lot.laden, empty: lot.empty, total },
        utilisation: lot.capacity === null ? null : round(total / lot.capacity, 3),
        peak: Math.max(0, ...lot.peak),
        meanVehicles: covered === 0 ? 0 : round(vehicleMs / covered, 2),
        hours: lot.coveredMs.map((c, hour) => ({
          hour,
          meanVehicles: c === 0 ? 0 : round((lot.vehicleMs[hour] as number) / c, 2),
          meanLaden: c === 0 ? 0 : round((lot.ladenMs[hour] as number) / c, 2),
          peak: lot.peak[hour] as number,
          observedH: round(c / HOUR, 2),
        })),
        hoursAtOrOverCapacity: lot.capacity === null ? null : round(lot.atCapacityMs / HOUR, 2),
        visits: lot.visits,
        meanDwellMin: lot.visits === 0 ? null : round(lot.dwellMs / lot.visits / 60_000, 1),
        dwell: lot.dwell.map((visits, i) => ({ fromS: i === 0 ? 0 : (dwellBoundsS[i - 1] as number), toS: dwellBoundsS[i] ?? null, visits })),
      };
    });
}

// --- parking demand

export interface NearestLot {
  readonly lotId: string;
  readonly name: string;
  readonly distanceM: number;
}

export interface DemandCell {
  readonly cell: string;
  readonly res: number;
  readonly kind: StopKind;
  /** Cell centre [lon, lat], WGS-84. */
  readonly centre: LonLat;
  readonly stops: number;
  readonly vehicles: number;
  readonly vehicleHours: number;
  readonly classes: readonly { readonly hazardClass: string; readonly stops: number }[];
  readonly nearestLot: NearestLot | null;
  readonly firstStopMs: number;
  readonly lastStopMs: number;
}

/** The nearest active lot to a point (its outline, 0 inside), ties by id. */
export function nearestLot(lon: number, lat: number, lots: readonly LotRow[]): NearestLot | null {
  let best: NearestLot | null = null;
  for (const lot of lots) {
    if (lot.withdrawnMs !== null || lot.ring.length === 0) continue;
    const d = distanceToAreaM(lon, lat, lot.ring);
    if (best === null || d < best.distanceM || (d === best.distanceM && lot.lotId < best.lotId)) best = { lotId: lot.lotId, name: lot.name, distanceM: d };
  }
  return best === null ? null : { ...best, distanceM: Math.round(best.distanceM) };
}

function countsList(counts: Record<string, number>): { key: string; n: number }[] {
  return Object.entries(counts)
    .map(([key, n]) => ({ key, n }))
    .sort((a, b) => b.n - a.n || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** Demand cells of one kind and resolution, most vehicle-hours first. */
export function demandCells(cells: readonly CellRow[], lots: readonly LotRow[], kind: StopKind, res: number): DemandCell[] {
  return cells
    .filter((c) => c.kind === kind && c.res === res)
    .map((c) => {
      const centre = hexCentre(c.cell);
      return {
        cell: c.cell,
        res: c.res,
        kind: c.kind,
        centre: [round(centre[0], 6), round(centre[1], 6)] as const,
        stops: c.stops,
        vehicles: c.vehicles.length,
        vehicleHours: round(c.durationMs / HOUR, 2),
        classes: countsList(c.classes).map(({ key, n }) => ({ hazardClass: key, stops: n })),
        nearestLot: nearestLot(centre[0], centre[1], lots),
        firstStopMs: c.firstMs,
        lastStopMs: c.lastMs,
      };
    })
    .sort((a, b) => b.vehicleHours - a.vehicleHours || (a.cell < b.cell ? -1 : 1));
}

export interface CandidateArea {
  readonly rank: number;
  /** Its demand cells, sorted. */
  readonly cells: readonly string[];
  /** Demand-weighted centre (by vehicle-hours), [lon, lat]. */
  readonly centre: LonLat;
  readonly stops: number;
  readonly vehicles: number;
  readonly vehicleHours: number;
  readonly vehicleHoursPerWeek: number;
  readonly classes: readonly { readonly hazardClass: string; readonly stops: number }[];
  readonly nearestLot: NearestLot | null;
}

export interface CandidateOptions {
  readonly res: number;
  /** Weeks the demand was gathered over: vehicle-hours per week = vehicle-hours ÷ weeks. */
  readonly weeks: number;
  readonly minDistanceM?: number;
  readonly limit?: number;
}

/**
 * Candidate areas for a new dedicated lot: long laden stops outside lots, in cells at least
 * `minDistanceM` from every active lot, joined into areas of neighbouring cells, ranked by demand
 * in vehicle-hours per week. Each area is where trucks park anyway and no lot serves them.
 */
export function candidateAreas(cells: readonly CellRow[], lots: readonly LotRow[], options: CandidateOptions): CandidateArea[] {
  const minDistanceM = options.minDistanceM ?? DEFAULT_CANDIDATE_MIN_DISTANCE_M;
  const far = new Map<string, CellRow>();
  for (const c of cells) {
    if (c.kind !== 'long' || c.res !== options.res) continue;
    const [lon, lat] = hexCentre(c.cell);
    const near = nearestLot(lon, lat, lots);
    if (near === null || near.distanceM >= minDistanceM) far.set(c.cell, c);
  }
  const seen = new Set<string>();
  const areas: Omit<CandidateArea, 'rank'>[] = [];
  for (const start of [...far.keys()].sort()) {
    if (seen.has(start)) continue;
    const members: CellRow[] = [];
    const queue = [start];
    seen.add(start);
    while (queue.length > 0) {
      const cell = queue.shift() as string;
      members.push(far.get(cell) as CellRow);
      for (const n of hexNeighbours(cell)) {
        if (far.has(n) && !seen.has(n)) {
          seen.add(n);
          queue.push(n);
        }
      }
    }
    areas.push(areaOf(members, lots, options.weeks));
  }
  return areas
    .sort((a, b) => b.vehicleHours - a.vehicleHours || ((a.cells[0] as string) < (b.cells[0] as string) ? -1 : 1))
    .slice(0, options.limit ?? areas.length)
    .map((a, i) => ({ rank: i + 1, ...a }));
}

function areaOf(members: readonly CellRow[], lots: readonly LotRow[], weeks: number): Omit<CandidateArea, 'rank'> {
  let durationMs = 0;
  let stops = 0;
  let wLon = 0;
  let wLat = 0;
  const vehicles = new Set<string>();
  const classes: Record<string, number> = {};
  for (const m of members) {
    const [lon, lat] = hexCentre(m.cell);
    durationMs += m.durationMs;
    stops += m.stops;
    wLon += lon * m.durationMs;
    wLat += lat * m.durationMs;
    for (const v of m.vehicles) vehicles.add(v);
    for (const [c, n] of Object.entries(m.classes)) classes[c] = (classes[c] ?? 0) + n;
  }
  const centre: LonLat = durationMs === 0 ? hexCentre((members[0] as CellRow).cell) : [wLon / durationMs, wLat / durationMs];
  const vehicleHours = durationMs / HOUR;
  return {
    cells: members.map((m) => m.cell).sort(),
    centre: [round(centre[0], 6), round(centre[1], 6)],
    stops,
    vehicles: vehicles.size,
    vehicleHours: round(vehicleHours, 2),
    vehicleHoursPerWeek: round(weeks > 0 ? vehicleHours / weeks : vehicleHours, 2),
    classes: countsList(classes).map(({ key, n }) => ({ hazardClass: key, stops: n })),
    nearestLot: nearestLot(centre[0], centre[1], lots),
  };
}

/**
 * Weeks of record behind the projection's demand: from its first to its latest fix, at least one
 * day (a day of data is extrapolated to a week rather than dividing by almost nothing).
 */
export function recordWeeks(meta: MetaRow | undefined): number {
  if (meta === undefined || meta.firstMs === null || meta.clockMs === null) return 1;
  return Math.max(meta.clockMs - meta.firstMs, DAY_MS) / WEEK_MS;
}

// --- segment exposure

export interface SpeedDistribution {
  /** Laden fixes inside the segment. */
  readonly fixes: number;
  /** Nearest-rank percentiles, to the whole km/h below. */
  readonly p50: number;
  readonly p85: number;
  readonly p95: number;
}

export interface SegmentExposure {
  readonly segmentId: string;
  readonly name: string;
  readonly withdrawn: boolean;
  readonly ladenPassages: number;
  readonly emptyPassages: number;
  /** Laden passages per day, over the days with any laden passage. */
  readonly ladenPerDay: number;
  readonly byDay: readonly { readonly date: string; readonly passages: number }[];
  readonly byHour: readonly number[];
  readonly byWeek: readonly { readonly week: string; readonly passages: number }[];
  readonly byClass: readonly { readonly hazardClass: string; readonly passages: number }[];
  readonly byCarrier: readonly { readonly carrierId: string; readonly passages: number }[];
  readonly speed: SpeedDistribution | null;
  readonly bannedHourEntries: number;
  readonly ladenBannedEntries: number;
}

export function speedPercentiles(bins: readonly number[]): SpeedDistribution | null {
  const n = bins.reduce((s, b) => s + b, 0);
  if (n === 0) return null;
  const at = (p: number): number => {
    const rank = Math.ceil((p / 100) * n);
    let cum = 0;
    for (let i = 0; i < bins.length; i++) {
      cum += bins[i] as number;
      if (cum >= rank) return i;
    }
    return bins.length - 1;
  };
  return { fixes: n, p50: at(50), p85: at(85), p95: at(95) };
}

/** Segment exposure, most laden passages first. */
export function segmentExposure(segments: readonly SegmentRow[]): SegmentExposure[] {
  return segments
    .map((s) => {
      const days = Object.keys(s.byDay).length;
      return {
        segmentId: s.segmentId,
        name: s.name,
        withdrawn: s.withdrawnMs !== null,
        ladenPassages: s.ladenPassages,
        emptyPassages: s.emptyPassages,
        ladenPerDay: days === 0 ? 0 : round(s.ladenPassages / days, 2),
        byDay: Object.entries(s.byDay)
          .sort(([a], [b]) => (a < b ? -1 : 1))
          .map(([date, passages]) => ({ date, passages })),
        byHour: [...s.byHour],
        byWeek: Object.entries(s.byWeek)
          .sort(([a], [b]) => (a < b ? -1 : 1))
          .map(([week, passages]) => ({ week, passages })),
        byClass: countsList(s.byClass).map(({ key, n }) => ({ hazardClass: key, passages: n })),
        byCarrier: countsList(s.byCarrier).map(({ key, n }) => ({ carrierId: key, passages: n })),
        speed: speedPercentiles(s.speedBins),
        bannedHourEntries: s.bannedHourEntries,
        ladenBannedEntries: s.ladenBannedEntries,
      };
    })
    .sort((a, b) => b.ladenPassages - a.ladenPassages || (a.segmentId < b.segmentId ? -1 : 1));
}
