import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { keyLookup, type ApiKeyEntry } from './apiKeys.ts';
import { AppError } from './errorCatalogue.ts';
import { isAllowed, publicMethods, type Principal, type RouteRoles } from './roles.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call the route; see `RouteRoles`. Without it the route is refused to everyone. */
    roles?: RouteRoles;
  }
  interface FastifyRequest {
    /**
     * The authenticated caller; set on every request that reached a route handler, except on
     * `roles: 'public'` routes, whose handlers must not read it.
     */
    principal: Principal;
  }
}

export interface AuthPluginOptions {
  readonly apiKeys: readonly ApiKeyEntry[];
}

/**
 * Authenticates every request (401 UNAUTHENTICATED) and authorises it against the route's
 * `config.roles` (403 FORBIDDEN), in onRequest: refused requests never have their body read.
 * `roles: 'public'` routes skip both; only GET/HEAD routes may declare it (checked at registration).
 */
export const authPlugin = fp(
  async (app: FastifyInstance, options: AuthPluginOptions) => {
    const lookup = keyLookup(options.apiKeys);
    app.decorateRequest('principal', null as unknown as Principal);
    app.addHook('onRoute', (route) => {
      if (route.config?.roles !== 'public') return;
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      const refused = methods.filter((m) => !publicMethods.includes(m));
      if (refused.length > 0) throw new Error(`route ${refused.join(',')} ${route.url} cannot be public: only ${publicMethods.join('/')} routes may declare roles: 'public'`);
    });
    app.addHook('onRequest', async (request) => {
      // Matched routes only: an unknown URL still needs a key (no probing without one).
      if (!request.is404 && request.routeOptions.config.roles === 'public' && publicMethods.includes(request.method)) return;
      const key = presentedKey(request);
      const principal = key === undefined ? undefined : lookup(key);
      if (principal === undefined) throw new AppError('UNAUTHENTICATED');
      request.principal = principal;
      // An unmatched URL has no route to authorise; the 404 handler answers it.
      if (request.is404) return;
      if (!isAllowed(principal, request.routeOptions.config.roles)) {
        throw new AppError('FORBIDDEN', `role ${principal.role} may not call ${request.method} ${request.routeOptions.url ?? ''}`);
      }
    });
  },
  { name: 'dgt-auth', fastify: '5.x', dependencies: ['dgt-errors'] },
);

function presentedKey(request: FastifyRequest): string | undefined {
  const header = request.headers['x-api-key'];
  if (typeof header === 'string' && header !== '') return header;
  const authorization = request.headers.authorization;
  const match = authorization === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  return match?.[1];
}
