/*
 * GET /v1/statistics and its CSV tables, typed from the API's own schema (type-only: nothing of
 * zod reaches the bundle). Days and hours are Beijing time.
 */
export type { StatisticsResponse as StatisticsView } from '../../../src/statistics/statisticsResponse.ts';
export type { StatisticsTable } from '../../../src/statistics/statisticsCsv.ts';
