import swagger from '@fastify/swagger';
import type { ServiceApp } from '@dgt/http';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import { operationSummaries } from './operationSummaries.ts';

/**
 * Collects every route registered after it into an OpenAPI 3 document, from the same zod
 * schemas that validate requests and shape responses. Register before the routes.
 */
export async function registerOpenApi(app: ServiceApp): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'dgt query API',
        version: '0.1.0',
        description:
          'Dangerous-goods transport supervision, Taizhou: live fleet, violations (illegal parking, restricted entries, overspeed), advisories (segment passages, never violations), consignments, carrier compliance, zones and the live alert stream. Carrier keys see only their own carrier.',
      },
      components: {
        securitySchemes: {
          apiKey: { type: 'apiKey', in: 'header', name: 'x-api-key' },
          bearer: { type: 'http', scheme: 'bearer' },
        },
      },
      security: [{ apiKey: [] }, { bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });
  // Summaries and groups from one catalogue, so the route files stay about behaviour.
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      const entry = operationSummaries[`${method} ${route.url}`];
      if (entry === undefined) continue;
      route.schema = { ...route.schema, summary: entry.summary, tags: [entry.tag] };
    }
  });
}

/**
 * `GET /docs` and `GET /docs/json`: the OpenAPI document. Public: it describes the routes and
 * holds no data, and a developer reads it in a browser before having a key.
 */
export async function docsRoutes(app: ServiceApp): Promise<void> {
  const document = { config: { roles: 'public' as const }, schema: { hide: true } };
  app.get('/docs', document, async () => app.swagger());
  app.get('/docs/json', document, async () => app.swagger());
}
