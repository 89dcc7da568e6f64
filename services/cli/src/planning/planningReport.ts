import type { DetectionConfig } from '@dgt/detection';
import type { LonLat } from '@dgt/geo';
import {
  type CandidateArea,
  candidateAreas,
  candidatesCsv,
  candidatesGeoJson,
  DAY_MS,
  type DemandCell,
  demandCells,
  demandCsv,
  demandGeoJson,
  HOUR_MS,
  lotDwellCsv,
  lotHoursCsv,
  type LotOccupancy,
  lotOccupancy,
  lotsCsv,
  type PlanningConfig,
  type PlanningRows,
  type SegmentExposure,
  segmentDaysCsv,
  segmentExposure,
  segmentHoursCsv,
  segmentsCsv,
  segmentWeeksCsv,
  type StopKind,
  stopKinds,
  WEEK_MS,
} from '@dgt/planning';
import type { RecordCounts } from './foldRecord.ts';
import { renderPlanningHtml } from './planningHtml.ts';

/*
 * `dgt report planning`'s model and files: the planning tables of @dgt/planning over a window,
 * derived from the folded rows by pure functions. No clock, no path, no host: the same record and
 * options give the same bytes in every file.
 */

export const PLANNING_REPORT_FORMAT = 'dgt-planning-report/1';

export interface PlanningReportInputs {
  readonly fromMs: number;
  readonly toMs: number;
  /** H3 resolutions of the demand tables, ascending; candidate areas use the finest. */
  readonly resolutions: readonly number[];
  readonly minDistanceM: number;
  /** The store position the read was pinned to (`--recorded-up-to`), if any. */
  readonly recordedUpTo: string | null;
  readonly config: PlanningConfig;
}

export interface DemandTable {
  readonly kind: StopKind;
  readonly res: number;
  readonly cells: readonly DemandCell[];
}

/** A lot's outline for the map (the tables carry no geometry). */
export interface LotOutline {
  readonly lotId: string;
  readonly name: string;
  readonly ring: readonly LonLat[];
  readonly withdrawn: boolean;
}

export interface PlanningReport {
  readonly format: typeof PLANNING_REPORT_FORMAT;
  readonly window: {
    /** Beijing time, ISO-8601; from inclusive, to exclusive. */
    readonly from: string;
    readonly to: string;
    readonly fromMs: number;
    readonly toMs: number;
    readonly days: number;
    /** Candidate areas' vehicle-hours per week = vehicle-hours ÷ this. */
    readonly weeks: number;
  };
  readonly inputs: {
    readonly resolutions: readonly number[];
    readonly candidateRes: number;
    readonly minDistanceM: number;
    readonly recordedUpTo: string | null;
    readonly shortStopMinS: number;
    readonly dwellBoundsS: readonly number[];
    readonly maxSpeedBinKmh: number;
  };
  readonly detection: DetectionConfig;
  readonly counts: RecordCounts;
  readonly lots: readonly LotOccupancy[];
  readonly lotOutlines: readonly LotOutline[];
  readonly demand: readonly DemandTable[];
  readonly candidates: readonly CandidateArea[];
  readonly segments: readonly SegmentExposure[];
}

const BEIJING_OFFSET_MS = 8 * HOUR_MS;

/** An instant in Beijing time, `2026-03-02T08:00:00+08:00` (milliseconds only when it has some). */
export function beijingIso(ms: number): string {
  const s = new Date(ms + BEIJING_OFFSET_MS).toISOString();
  return `${ms % 1000 === 0 ? s.slice(0, 19) : s.slice(0, 23)}+08:00`;
}

export function buildPlanningReport(rows: PlanningRows, inputs: PlanningReportInputs, counts: RecordCounts): PlanningReport {
  const { fromMs, toMs, config } = inputs;
  const weeks = (toMs - fromMs) / WEEK_MS;
  const candidateRes = Math.max(...inputs.resolutions);
  const demand: DemandTable[] = [];
  for (const res of inputs.resolutions) for (const kind of stopKinds) demand.push({ kind, res, cells: demandCells(rows.cells, rows.lots, kind, res) });
  return {
    format: PLANNING_REPORT_FORMAT,
    window: { from: beijingIso(fromMs), to: beijingIso(toMs), fromMs, toMs, days: (toMs - fromMs) / DAY_MS, weeks },
    inputs: {
      resolutions: [...inputs.resolutions],
      candidateRes,
      minDistanceM: inputs.minDistanceM,
      recordedUpTo: inputs.recordedUpTo,
      shortStopMinS: config.shortStopMinS,
      dwellBoundsS: [...config.dwellBoundsS],
      maxSpeedBinKmh: config.maxSpeedBinKmh,
    },
    detection: config.detection,
    counts,
    // Finished at `to`: the rows are integrated up to it already.
    lots: lotOccupancy(rows.lots, null, config.dwellBoundsS),
    lotOutlines: [...rows.lots]
      .sort((a, b) => (a.lotId < b.lotId ? -1 : a.lotId > b.lotId ? 1 : 0))
      .map((l) => ({ lotId: l.lotId, name: l.name, ring: l.ring, withdrawn: l.withdrawnMs !== null })),
    demand,
    candidates: candidateAreas(rows.cells, rows.lots, { res: candidateRes, weeks, minDistanceM: inputs.minDistanceM }),
    segments: segmentExposure(rows.segments),
  };
}

/** `demand-long-r8` */
export const demandName = (t: { kind: StopKind; res: number }): string => `demand-${t.kind}-r${t.res}`;

/** Every file of the report, name and text, in a fixed order. */
export function planningReportFiles(report: PlanningReport): [string, string][] {
  const files: [string, string][] = [
    ['lots.csv', lotsCsv(report.lots)],
    ['lot-hours.csv', lotHoursCsv(report.lots)],
    ['lot-dwell.csv', lotDwellCsv(report.lots)],
  ];
  for (const t of report.demand) files.push([`${demandName(t)}.csv`, demandCsv(t.cells)]);
  for (const t of report.demand) files.push([`${demandName(t)}.geojson`, demandGeoJson(t.cells) + '\n']);
  files.push(
    ['candidates.csv', candidatesCsv(report.candidates)],
    ['candidates.geojson', candidatesGeoJson(report.candidates) + '\n'],
    ['segments.csv', segmentsCsv(report.segments)],
    ['segment-hours.csv', segmentHoursCsv(report.segments)],
    ['segment-days.csv', segmentDaysCsv(report.segments)],
    ['segment-weeks.csv', segmentWeeksCsv(report.segments)],
    ['planning.json', JSON.stringify(report, null, 2) + '\n'],
  );
  files.push(['index.html', renderPlanningHtml(report, files.map(([name]) => name).concat('index.html'))]);
  return files;
}
