import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { collectDefaultMetrics, Histogram, type Registry } from 'prom-client';

export interface MetricsPluginOptions {
  /** One registry per app, so tests and co-hosted apps never share counters; services add their own metrics to it. */
  readonly registry: Registry;
  /** Default true; off in tests that build many apps in one process. */
  readonly defaultMetrics?: boolean;
}

/** HTTP request durations plus process metrics, exposed on `GET /metrics` (roles metrics, bureau). */
export const metricsPlugin = fp(
  async (app: FastifyInstance, { registry, defaultMetrics = true }: MetricsPluginOptions) => {
    if (defaultMetrics) collectDefaultMetrics({ register: registry });
    const duration = new Histogram({
      name: 'dgt_http_request_duration_seconds',
      help: 'HTTP request duration by method, route pattern and status code',
      // The route pattern (`/v1/vehicles/:id`), never the raw URL: ids would explode cardinality.
      labelNames: ['method', 'route', 'status_code'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    });
    app.addHook('onResponse', async (request, reply) => {
      const route = request.is404 ? 'unmatched' : (request.routeOptions.url ?? 'unmatched');
      duration.observe({ method: request.method, route, status_code: String(reply.statusCode) }, reply.elapsedTime / 1000);
    });
    app.get('/metrics', { config: { roles: ['metrics', 'bureau'] } }, async (_request, reply) => {
      const body = await registry.metrics();
      return reply.type(registry.contentType).send(body);
    });
  },
  { name: 'dgt-metrics', fastify: '5.x', dependencies: ['dgt-auth'] },
);
