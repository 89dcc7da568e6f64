import { type CandidateArea, candidateAreas, type DemandCell, demandCells, type LotOccupancy, lotOccupancy, parsePlanningRows, type PlanningRows, recordWeeks, type SegmentExposure, segmentExposure, type StopKind } from '@dgt/planning';
import type { PlanningRow } from '@dgt/readmodels';

/** Candidate rankings kept per generation (one per resolution and distance asked). */
const MAX_RANKINGS = 8;

/**
 * The planning tables of one read-model generation, each derived once, when first asked for:
 * the aggregate rows are parsed once, and lot occupancy, each (kind, resolution) of demand and
 * each (resolution, distance) of candidate areas computed at most once until the projector
 * writes again.
 */
export class PlanningTables {
  readonly #rows: PlanningRows;
  /** The projection's clock (the latest fix recorded); null before any fix. */
  readonly asOfMs: number | null;
  /** Weeks of record behind the demand (exact; the answers round it). */
  readonly weeks: number;
  #lots: LotOccupancy[] | undefined;
  #segments: SegmentExposure[] | undefined;
  readonly #demand = new Map<string, DemandCell[]>();
  readonly #candidates = new Map<string, CandidateArea[]>();

  constructor(rows: readonly PlanningRow[]) {
    this.#rows = parsePlanningRows(rows);
    this.asOfMs = this.#rows.meta?.clockMs ?? null;
    this.weeks = recordWeeks(this.#rows.meta);
  }

  /** Lot occupancy integrated up to the projection's clock. */
  lots(): LotOccupancy[] {
    this.#lots ??= lotOccupancy(this.#rows.lots, this.asOfMs);
    return this.#lots;
  }

  demand(kind: StopKind, res: number): DemandCell[] {
    const key = `${kind}|${res}`;
    let cells = this.#demand.get(key);
    if (cells === undefined) {
      cells = demandCells(this.#rows.cells, this.#rows.lots, kind, res);
      this.#demand.set(key, cells);
    }
    return cells;
  }

  /** The first `limit` candidate areas: the whole ranking is computed once per (res, minDistanceM), every limit is a prefix of it. */
  candidates(res: number, minDistanceM: number, limit: number): CandidateArea[] {
    const key = `${res}|${minDistanceM}`;
    let ranked = this.#candidates.get(key);
    if (ranked === undefined) {
      ranked = candidateAreas(this.#rows.cells, this.#rows.lots, { res, weeks: this.weeks, minDistanceM });
      // minDistanceM is the caller's: keep the rankings of a few distances, not of every one asked.
      if (this.#candidates.size >= MAX_RANKINGS) this.#candidates.delete(this.#candidates.keys().next().value as string);
      this.#candidates.set(key, ranked);
    }
    return ranked.slice(0, limit);
  }

  segments(): SegmentExposure[] {
    this.#segments ??= segmentExposure(this.#rows.segments);
    return this.#segments;
  }
}
