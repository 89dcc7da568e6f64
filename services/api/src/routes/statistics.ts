import type { CountyIndex } from '@dgt/geo';
import type { ReadModelStore } from '@dgt/readmodels';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { readRoles, scopeOf } from '../access.ts';
import { readErrors } from '../errorResponses.ts';
import { queryTimestamp } from '../queryParams.ts';
import { CountyCounter } from '../statistics/countyCounts.ts';
import { csvFilename, statisticsCsv, statisticsTables } from '../statistics/statisticsCsv.ts';
import { statisticsBody, statisticsResponse } from '../statistics/statisticsResponse.ts';
import { DEFAULT_WINDOW_DAYS, MAX_WINDOW_DAYS, statisticsWindow } from '../statistics/statisticsWindow.ts';

export const statisticsQuery = z.object({
  from: queryTimestamp.optional().meta({ description: `startedAt at or after (inclusive); default ${DEFAULT_WINDOW_DAYS} days before to; at most ${MAX_WINDOW_DAYS} days before to` }),
  to: queryTimestamp.optional().meta({ description: 'startedAt before (exclusive); default now' }),
});

export interface StatisticsRoutesOptions {
  readonly readModels: ReadModelStore;
  /** County boundaries (API_COUNTIES_FILE); without them the county breakdown is empty and says so. */
  readonly counties?: CountyIndex;
  readonly now: () => Date;
}

/**
 * `GET /v1/statistics`: the statistics page's numbers over a window (default the last 30 days),
 * from the read models' aggregates; `GET /v1/statistics/<table>.csv`: one of its tables as CSV
 * (UTF-8 with a BOM, for Excel). Bureau and enforcement see every carrier, a carrier its own.
 */
export const statisticsRoutes: FastifyPluginAsyncZod<StatisticsRoutesOptions> = async (app, { readModels, counties, now }) => {
  const counter = counties === undefined ? undefined : new CountyCounter(counties);
  const load = async (principal: Parameters<typeof scopeOf>[0], from: string | undefined, to: string | undefined) => {
    const window = statisticsWindow(from, to, now());
    const stats = await readModels.statistics({ scope: scopeOf(principal), from: window.from, to: window.to });
    return statisticsBody(window, stats, counter);
  };

  app.get('/v1/statistics', { config: { roles: readRoles }, schema: { querystring: statisticsQuery, response: { 200: statisticsResponse, ...readErrors } } }, async (request) =>
    load(request.principal, request.query.from, request.query.to),
  );

  app.get(
    '/v1/statistics/:table.csv',
    {
      config: { roles: readRoles },
      schema: {
        params: z.object({ table: z.enum(statisticsTables).meta({ description: 'daily (per day and kind), counties, carriers, hours, segments (laden passages per hour)' }) }),
        querystring: statisticsQuery,
        response: { 200: z.string().meta({ description: 'text/csv; charset=utf-8, with a BOM and a header row' }), ...readErrors },
      },
    },
    async (request, reply) => {
      const body = await load(request.principal, request.query.from, request.query.to);
      const table = request.params.table;
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${csvFilename(table, body)}"`)
        .header('cache-control', 'no-store')
        .send(statisticsCsv(table, body));
    },
  );
};
