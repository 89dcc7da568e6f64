import { existsSync } from 'node:fs';
import { resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { readRoles } from '../access.ts';

export interface DashboardRoutesOptions {
  /** The Vite build output; default services/api/dashboard-dist. */
  readonly distDir?: string;
  /** Map tile URL template (`https://host/{z}/{x}/{y}.png`); null = no tiles, zone outlines only. */
  readonly tileUrl: string | null;
  /** The tiles' datum; GCJ-02 tiles get the data projected onto them by the page (default wgs84). */
  readonly tileDatum?: 'wgs84' | 'gcj02';
  readonly tileAttribution?: string;
  /** Road outlines drawn on the plain background: [lon, lat] WGS-84 polylines. */
  readonly roads?: readonly DashboardRoad[];
  /** Places labelled on the map. */
  readonly places?: readonly DashboardPlace[];
  /** Whether the API mints safety codes (API_SAFETY_CODE_KEY): the desk asks a vehicle's code only then. */
  readonly safetyCodes?: boolean;
  /** County-level boundaries (GeoJSON text), drawn with their names: `/map/counties.json`. */
  readonly countyBoundaries?: string;
}

export interface DashboardRoad {
  readonly name: string;
  readonly path: readonly (readonly [number, number])[];
}

/** A labelled place of the map (a plant, a lot, a park): its name in English and Chinese, its kind. */
export interface DashboardPlace {
  readonly name: string;
  readonly nameZh: string | null;
  readonly kind: string | null;
  readonly lon: number;
  readonly lat: number;
}

export const defaultDashboardDistDir = fileURLToPath(new URL('../../dashboard-dist', import.meta.url));

/** Hashed file names never change content, so browsers may keep them for a year. */
const immutableAssets = 'public, max-age=31536000, immutable';

/**
 * The monitoring-desk page: static files only, so these routes are public (`roles: 'public'`);
 * every byte of data comes from /v1, which needs a key. The page gets the tile URL from
 * /dashboard-config.json because the CSP forbids inline scripts.
 */
export const dashboardRoutes: FastifyPluginAsync<DashboardRoutesOptions> = async (app, options) => {
  const distDir = resolve(options.distDir ?? defaultDashboardDistDir);
  const csp = contentSecurityPolicy(options.tileUrl);
  const assetsDir = resolve(distDir, 'assets') + sep;
  // Encapsulated (not fastify-plugin): reply.sendFile stays inside this plugin. Cache headers are
  // set only once a file is found, so a 404 is never cached as immutable.
  await app.register(fastifyStatic, {
    serve: false,
    cacheControl: false,
    dotfiles: 'deny',
    setHeaders: (res, filePath) => {
      res.setHeader('cache-control', filePath.startsWith(assetsDir) ? immutableAssets : 'no-cache');
    },
  });

  // nosniff, no referrer and no framing come with every response (@dgt/http's security headers);
  // the page replaces the JSON responses' CSP, which would let it load nothing, with its own.
  const pageHeaders = (reply: FastifyReply): FastifyReply => reply.header('content-security-policy', csp);

  app.get('/', { config: { roles: 'public' }, schema: { hide: true } }, async (_request, reply) => {
    pageHeaders(reply);
    // Checked per request: building while the API runs makes the page appear without a restart.
    if (!existsSync(resolve(distDir, 'index.html'))) {
      return reply.code(503).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(notBuiltPage(distDir));
    }
    return reply.sendFile('index.html', distDir);
  });

  app.get('/assets/*', { config: { roles: 'public' }, schema: { hide: true } }, async (request, reply) => {
    const file = (request.params as { '*': string })['*'];
    return reply.sendFile(`assets/${file}`, distDir);
  });

  app.get('/dashboard-config.json', { config: { roles: 'public' }, schema: { hide: true } }, async (_request, reply) => {
    reply.header('cache-control', 'no-cache');
    return { tileUrl: options.tileUrl, tileDatum: options.tileDatum ?? 'wgs84', tileAttribution: options.tileAttribution ?? null, roads: options.roads ?? [], places: options.places ?? [], counties: options.countyBoundaries !== undefined, safetyCodes: options.safetyCodes === true };
  });

  // Public geography, like the page itself: administrative boundaries hold no one's data.
  app.get('/map/counties.json', { config: { roles: 'public' }, schema: { hide: true } }, async (_request, reply) => {
    if (options.countyBoundaries === undefined) return reply.code(404).header('cache-control', 'no-store').send({ error: { code: 'NOT_FOUND', message: 'no county boundaries are configured (API_COUNTIES_FILE)' } });
    return reply.header('cache-control', 'public, max-age=3600').type('application/json; charset=utf-8').send(options.countyBoundaries);
  });

  // Authenticated: the caller's own key id and role, so the page can show its scope (and say
  // early that an ingest or metrics key cannot read anything).
  app.get('/dashboard-session.json', { config: { roles: 'any' }, schema: { hide: true } }, async (request, reply) => {
    reply.header('cache-control', 'no-store');
    const { keyId, role, carrierId } = request.principal;
    return { keyId, role, carrierId: carrierId ?? null, canRead: readRoles.includes(role) };
  });
};

/** No inline script or style, data only from this origin; map tiles from the tile host when one is set. */
export function contentSecurityPolicy(tileUrl: string | null): string {
  const imgSources = ["'self'", 'data:'];
  const tileOrigin = tileUrl === null ? null : originOf(tileUrl);
  if (tileOrigin !== null) imgSources.push(tileOrigin);
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    `img-src ${imgSources.join(' ')}`,
    "connect-src 'self'",
    "font-src 'self'",
    "manifest-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** `https://{s}.tiles.example/{z}/{x}/{y}.png` → `https://*.tiles.example`. */
function originOf(tileUrl: string): string | null {
  const match = /^(https?:)\/\/([^/]+)/i.exec(tileUrl);
  if (match === null) return null;
  const host = (match[2] ?? '').replace(/\{s\}/g, '*');
  return `${match[1]}//${host}`;
}

function notBuiltPage(distDir: string): string {
  const escaped = distDir.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>dgt dashboard not built</title></head>
<body><h1>Dashboard not built</h1><p>The dashboard bundle is missing from <code>${escaped}</code>.</p>
<p>Run <code>npm run build -w @dgt/api</code>, then reload this page.</p></body></html>\n`;
}
