import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
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
 * `GET /docs`: Swagger UI (@fastify/swagger-ui, served from its own bundled assets, nothing from
 * elsewhere) over the OpenAPI document at `GET /docs/json` (and `/docs/yaml`). Public: it
 * describes the routes and holds no data, and a developer reads it in a browser before having a
 * key; "Authorize" takes a key for trying the routes.
 */
export async function docsRoutes(app: ServiceApp): Promise<void> {
  // The plugin's routes (page, assets, document) are registered below, in this context.
  app.addHook('onRoute', (route) => {
    if (route.url === '/docs' || route.url.startsWith('/docs/')) route.config = { ...route.config, roles: 'public' };
  });
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    // Its own CSP (scripts from here, with hashes of its inline ones) instead of the API's "load
    // nothing"; minus the upgrade to https (the services speak plain HTTP behind their TLS
    // terminator), the online validator and https: fonts and styles (nothing is fetched from
    // elsewhere); plus inline styles, which the UI sets on elements as it renders (a style cannot
    // run script, and the page holds no data). Checked in Chromium: no CSP report on the page.
    staticCSP: true,
    transformStaticCSP: (header: string) =>
      header
        .replace(/\s*upgrade-insecure-requests;?/, '')
        .replace(' validator.swagger.io', '')
        .replace("font-src 'self' https: data:", "font-src 'self' data:")
        .replace(/style-src 'self' https:/, "style-src 'self' 'unsafe-inline'"),
    uiConfig: { validatorUrl: null, docExpansion: 'list', deepLinking: true },
    logLevel: 'warn',
  });
}
