import type { OpsJsonRoute } from '@dgt/http';
import type { Jt809Gateway, PlatformStatus } from './server.ts';

/** The body of `GET /links`. */
export interface LinksBody {
  readonly platforms: readonly PlatformStatus[];
}

/**
 * `GET /links` on the gateway's ops server: every platform's link status, for the API's
 * `GET /v1/platform-links` (the desk's "Platform links" panel). Read with the keys that read
 * /metrics (roles `metrics`, `bureau`): it says no more than the per-platform metrics do.
 */
export function linksRoute(gateway: Pick<Jt809Gateway, 'status'>): OpsJsonRoute {
  return { path: '/links', roles: ['metrics', 'bureau'], read: (): LinksBody => ({ platforms: gateway.status() }) };
}
