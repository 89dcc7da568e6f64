import { stringifyWellFormed, wellFormedJson } from '@dgt/events';
import {
  beijingDate,
  candidatesCsv,
  candidatesGeoJson,
  DEFAULT_CANDIDATE_MIN_DISTANCE_M,
  defaultPlanningConfig,
  demandCsv,
  demandGeoJson,
  lotDwellCsv,
  lotHoursCsv,
  lotsCsv,
  segmentDaysCsv,
  segmentHoursCsv,
  segmentsCsv,
  segmentWeeksCsv,
  stopKinds,
} from '@dgt/planning';
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { planningRoles } from '../access.ts';
import { readErrors } from '../errorResponses.ts';
import type { PlanningBody, PlanningCache } from '../planning/planningCache.ts';
import { candidatesResponse, demandResponse, lotsResponse, planningCsv, planningGeoJson, segmentsResponse } from '../planning/planningResponse.ts';
import type { PlanningTables } from '../planning/planningTables.ts';
import { pageLimit } from '../queryParams.ts';
import { schemaProjection } from '../schemaProjection.ts';

/** The H3 resolutions the planning fold aggregates demand on (7 and 8 by default). */
const resolutions = defaultPlanningConfig.resolutions;
const DEFAULT_RES = 8;

const res = z.coerce
  .number()
  .int()
  .refine((r) => resolutions.includes(r), { message: `must be one of ${resolutions.join(', ')}: the H3 resolutions demand is aggregated on` })
  .default(DEFAULT_RES)
  .meta({ description: `H3 resolution: ${resolutions.join(' or ')} (7 ≈ 5.2 km² per cell, 8 ≈ 0.74 km²); default ${DEFAULT_RES}` });

export const demandQuery = z.object({
  kind: z.enum(stopKinds).default('long').meta({ description: 'long: laden stops of the illegal-parking threshold (600 s) or longer; short: 120 s up to it. Default long' }),
  res,
});

export const candidatesQuery = z.object({
  res,
  minDistanceM: z.coerce
    .number()
    .int()
    .min(0)
    .max(100_000)
    .default(DEFAULT_CANDIDATE_MIN_DISTANCE_M)
    .meta({ description: `Only cells at least this far (metres) from every active lot; default ${DEFAULT_CANDIDATE_MIN_DISTANCE_M}` }),
  limit: pageLimit(20, 200).meta({ description: 'Areas to list, 1–200; default 20' }),
});

export interface PlanningRoutesOptions {
  readonly cache: PlanningCache;
}

const projectLots = schemaProjection(lotsResponse);
const projectDemand = schemaProjection(demandResponse);
const projectCandidates = schemaProjection(candidatesResponse);
const projectSegments = schemaProjection(segmentsResponse);

const JSON_TYPE = 'application/json; charset=utf-8';
const CSV_TYPE = 'text/csv; charset=utf-8';
const GEOJSON_TYPE = 'application/geo+json; charset=utf-8';

const json = (value: unknown): PlanningBody => ({ bytes: Buffer.from(stringifyWellFormed(value), 'utf8'), type: JSON_TYPE });
const file = (text: string, type: string, name: string): PlanningBody => ({ bytes: Buffer.from(type === GEOJSON_TYPE ? wellFormedJson(text) : text, 'utf8'), type, filename: name });
/** `dgt-planning-<what>[-<Beijing date of the latest fix>].<ext>`: a file says what and as of when. */
const fileName = (tables: PlanningTables, what: string, ext: 'csv' | 'geojson'): string => `dgt-planning-${what}${tables.asOfMs === null ? '' : `-${beijingDate(tables.asOfMs)}`}.${ext}`;
const roundWeeks = (weeks: number): number => Math.round(weeks * 1000) / 1000;

function send(reply: FastifyReply, body: PlanningBody): FastifyReply {
  void reply.type(body.type);
  if (body.filename !== undefined) void reply.header('content-disposition', `attachment; filename="${body.filename}"`);
  // Prepared bytes bypass the serialiser: they were projected through the response schema when made.
  return reply.send(body.bytes);
}

/**
 * Planning from the record (issue #19): dedicated-lot occupancy, parking demand on H3 with
 * candidate areas for new lots, accident-prone segment exposure — JSON, CSV (UTF-8 with a BOM) and
 * GeoJSON, derived by @dgt/planning from the projector's aggregate rows and cached per read-model
 * generation. Bureau, enforcement and planners; never a carrier (the answers count every
 * carrier's stops and passages).
 */
export const planningRoutes: FastifyPluginAsyncZod<PlanningRoutesOptions> = async (app, { cache }) => {
  const config = { roles: planningRoles };
  const csvRoute = { config, schema: { response: { 200: planningCsv, ...readErrors } } };

  // --- lot occupancy

  const lots = (tables: PlanningTables) => ({ asOf: tables.asOfMs === null ? null : new Date(tables.asOfMs).toISOString(), lots: tables.lots() });
  app.get('/v1/planning/lots', { config, schema: { response: { 200: lotsResponse, ...readErrors } } }, async (_request, reply) =>
    send(reply, await cache.body('lots', (t) => json(projectLots(lots(t))))),
  );
  app.get('/v1/planning/lots.csv', csvRoute, async (_request, reply) => send(reply, await cache.body('lots.csv', (t) => file(lotsCsv(t.lots()), CSV_TYPE, fileName(t, 'lots', 'csv')))));
  app.get('/v1/planning/lot-hours.csv', csvRoute, async (_request, reply) =>
    send(reply, await cache.body('lot-hours.csv', (t) => file(lotHoursCsv(t.lots()), CSV_TYPE, fileName(t, 'lot-hours', 'csv')))),
  );
  app.get('/v1/planning/lot-dwell.csv', csvRoute, async (_request, reply) =>
    send(reply, await cache.body('lot-dwell.csv', (t) => file(lotDwellCsv(t.lots()), CSV_TYPE, fileName(t, 'lot-dwell', 'csv')))),
  );

  // --- parking demand

  app.get('/v1/planning/demand', { config, schema: { querystring: demandQuery, response: { 200: demandResponse, ...readErrors } } }, async (request, reply) => {
    const { kind, res: r } = request.query;
    return send(reply, await cache.body(`demand|${kind}|${r}`, (t) => json(projectDemand({ kind, res: r, weeks: roundWeeks(t.weeks), cells: t.demand(kind, r) }))));
  });
  app.get('/v1/planning/demand.csv', { config, schema: { querystring: demandQuery, response: { 200: planningCsv, ...readErrors } } }, async (request, reply) => {
    const { kind, res: r } = request.query;
    return send(reply, await cache.body(`demand.csv|${kind}|${r}`, (t) => file(demandCsv(t.demand(kind, r)), CSV_TYPE, fileName(t, `demand-${kind}-r${r}`, 'csv'))));
  });
  app.get('/v1/planning/demand.geojson', { config, schema: { querystring: demandQuery, response: { 200: planningGeoJson, ...readErrors } } }, async (request, reply) => {
    const { kind, res: r } = request.query;
    return send(reply, await cache.body(`demand.geojson|${kind}|${r}`, (t) => file(demandGeoJson(t.demand(kind, r)), GEOJSON_TYPE, fileName(t, `demand-${kind}-r${r}`, 'geojson'))));
  });

  // --- candidate areas for a new lot

  app.get('/v1/planning/candidates', { config, schema: { querystring: candidatesQuery, response: { 200: candidatesResponse, ...readErrors } } }, async (request, reply) => {
    const { res: r, minDistanceM, limit } = request.query;
    return send(
      reply,
      await cache.body(`candidates|${r}|${minDistanceM}|${limit}`, (t) => json(projectCandidates({ res: r, weeks: roundWeeks(t.weeks), minDistanceM, candidates: t.candidates(r, minDistanceM, limit) }))),
    );
  });
  app.get('/v1/planning/candidates.csv', { config, schema: { querystring: candidatesQuery, response: { 200: planningCsv, ...readErrors } } }, async (request, reply) => {
    const { res: r, minDistanceM, limit } = request.query;
    return send(reply, await cache.body(`candidates.csv|${r}|${minDistanceM}|${limit}`, (t) => file(candidatesCsv(t.candidates(r, minDistanceM, limit)), CSV_TYPE, fileName(t, `candidates-r${r}`, 'csv'))));
  });
  app.get('/v1/planning/candidates.geojson', { config, schema: { querystring: candidatesQuery, response: { 200: planningGeoJson, ...readErrors } } }, async (request, reply) => {
    const { res: r, minDistanceM, limit } = request.query;
    return send(
      reply,
      await cache.body(`candidates.geojson|${r}|${minDistanceM}|${limit}`, (t) => file(candidatesGeoJson(t.candidates(r, minDistanceM, limit)), GEOJSON_TYPE, fileName(t, `candidates-r${r}`, 'geojson'))),
    );
  });

  // --- segment exposure

  app.get('/v1/planning/segments', { config, schema: { response: { 200: segmentsResponse, ...readErrors } } }, async (_request, reply) =>
    send(reply, await cache.body('segments', (t) => json(projectSegments({ segments: t.segments() })))),
  );
  const segmentFiles = [
    ['segments', segmentsCsv],
    ['segment-hours', segmentHoursCsv],
    ['segment-days', segmentDaysCsv],
    ['segment-weeks', segmentWeeksCsv],
  ] as const;
  for (const [name, toCsv] of segmentFiles) {
    app.get(`/v1/planning/${name}.csv`, csvRoute, async (_request, reply) => send(reply, await cache.body(`${name}.csv`, (t) => file(toCsv(t.segments()), CSV_TYPE, fileName(t, name, 'csv')))));
  }
};
