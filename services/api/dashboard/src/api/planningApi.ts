import { type ApiClient, withQuery } from './apiClient.ts';
import type { DemandFeatureCollection, PlanningCandidatesView, PlanningDemandView, PlanningLotsView, PlanningSegmentsView, StopKind } from './views.ts';

/** The demand map's question: which stops, on which H3 resolution. */
export interface DemandQuery {
  readonly kind: StopKind;
  readonly res: 7 | 8;
}

/** Candidate areas for a new lot: long stops at least `minDistanceM` from every lot, the `limit` best. */
export interface CandidateQuery {
  readonly res: 7 | 8;
  readonly minDistanceM: number;
  readonly limit: number;
}

/** The planning route family's files (each as the API names it under /v1/planning/). */
export type PlanningFile =
  | 'lots.csv'
  | 'lot-hours.csv'
  | 'lot-dwell.csv'
  | 'demand.csv'
  | 'demand.geojson'
  | 'candidates.csv'
  | 'candidates.geojson'
  | 'segments.csv'
  | 'segment-hours.csv'
  | 'segment-days.csv'
  | 'segment-weeks.csv';

/**
 * GET /v1/planning/* (bureau, enforcement, planner): lot occupancy, parking demand and candidate
 * areas, segment exposure, and their files — through the desk's client, so the key stays in a header.
 */
export class PlanningApi {
  constructor(private readonly api: ApiClient) {}

  lots(): Promise<PlanningLotsView> {
    return this.api.get<PlanningLotsView>('/v1/planning/lots');
  }

  demand(query: DemandQuery): Promise<PlanningDemandView> {
    return this.api.get<PlanningDemandView>('/v1/planning/demand', { ...query });
  }

  /** The same cells as hexagons (WGS-84 GeoJSON). */
  demandGeoJson(query: DemandQuery): Promise<DemandFeatureCollection> {
    return this.api.get<DemandFeatureCollection>('/v1/planning/demand.geojson', { ...query });
  }

  candidates(query: CandidateQuery): Promise<PlanningCandidatesView> {
    return this.api.get<PlanningCandidatesView>('/v1/planning/candidates', { ...query });
  }

  segments(): Promise<PlanningSegmentsView> {
    return this.api.get<PlanningSegmentsView>('/v1/planning/segments');
  }

  /** A file of the family, for the same query as the table shown. */
  file(name: PlanningFile, query: DemandQuery | CandidateQuery | Record<string, never> = {}): Promise<Blob> {
    return this.api.download(withQuery(`/v1/planning/${name}`, { ...query }));
  }
}
