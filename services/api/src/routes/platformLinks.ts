import type { RoleName } from '@dgt/http';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { readErrors } from '../errorResponses.ts';
import { readPlatformLinks, type LinkSource } from '../platformLinks/linkSources.ts';
import { platformLinksResponse } from '../platformLinks/linkStatus.ts';

/**
 * Who may see the platform links: the bureau runs them, enforcement watches the feeds. A carrier
 * never: the list names every platform and its address (403, as for the other bureau-side routes).
 */
export const platformLinkRoles: readonly RoleName[] = ['bureau', 'enforcement'];

export interface PlatformLinkRoutesOptions {
  /** The JT/T 809 gateways to ask; none → `configured: false`. */
  readonly sources: readonly LinkSource[];
  readonly now: () => Date;
}

/** `GET /v1/platform-links`: every JT/T 809 platform's main and down link, last message, fixes/min and refusals. */
export const platformLinkRoutes: FastifyPluginAsyncZod<PlatformLinkRoutesOptions> = async (app, { sources, now }) => {
  app.get('/v1/platform-links', { config: { roles: platformLinkRoles }, schema: { response: { 200: platformLinksResponse, ...readErrors } } }, async () =>
    readPlatformLinks(sources, now().getTime()),
  );
};
