import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { keyLookup, type ApiKeyEntry } from './apiKeys.ts';
import { AppError } from './errorCatalogue.ts';
import { isAllowed, type Principal, type RouteRoles } from './roles.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call the route; see `RouteRoles`. Without it the route is refused to everyone. */
    roles?: RouteRoles;
  }
  interface FastifyRequest {
    /** The authenticated caller; set on every request that reached a route handler. */
    principal: Principal;
  }
}

export interface AuthPluginOptions {
  readonly apiKeys: readonly ApiKeyEntry[];
}

/**
 * Authenticates every request (401 UNAUTHENTICATED) and authorises it against the route's
 * `config.roles` (403 FORBIDDEN), in onRequest: refused requests never have their body read.
 */
export const authPlugin = fp(
  async (app: FastifyInstance, options: AuthPluginOptions) => {
    const lookup = keyLookup(options.apiKeys);
    app.decorateRequest('principal', null as unknown as Principal);
    app.addHook('onRequest', async (request) => {
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
