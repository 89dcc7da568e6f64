import { z } from 'zod';

/*
 * What the desk's "Platform links" panel reads (GET /v1/platform-links): the JT/T 809 gateway's
 * `status()` per platform (services/jt809-gateway server.ts, `PlatformStatus`), as its ops
 * server's GET /links serves it. Zod only: the dashboard imports the types.
 */

const epochMs = z.number().int().nonnegative();

/** One platform's links, as a JT/T 809 gateway reports them. Times are epoch ms of the gateway's clock. */
export const linkStatus = z.object({
  platformId: z.string().min(1).max(64),
  name: z.string().max(200).nullable(),
  edition: z.enum(['2011', '2019']),
  mainLink: z.enum(['up', 'down']),
  /** `address:port` of the logged-in main link. */
  mainRemote: z.string().max(200).nullable(),
  /** When the current main-link login happened; null while down. */
  mainConnectedAtMs: epochMs.nullable(),
  downLink: z.enum(['off', 'connecting', 'logging-in', 'up', 'waiting', 'stopped']),
  downTarget: z.string().max(300).nullable(),
  /** When the down link came up; null unless up. */
  downConnectedAtMs: epochMs.nullable(),
  /** The platform's last frame on either link (to the second); null if none since the gateway started. */
  lastMessageAtMs: epochMs.nullable(),
  /** Fixes the gateway's bus accepted since it started, and in the last 60 seconds. */
  fixesTotal: z.number().int().nonnegative(),
  fixesLastMinute: z.number().int().nonnegative(),
  /** Fixes, alarms and registrations refused since the gateway started, by reason (`dgt_jt809_refused_total`). */
  refusals: z.record(z.string().max(64), z.number().int().nonnegative()),
});

export type LinkStatus = z.infer<typeof linkStatus>;

/** What a gateway's ops server answers on GET /links. */
export const gatewayLinksBody = z.object({ platforms: z.array(linkStatus) });

/** A gateway the API asked: `ok`, or `unreachable` with why (no answer in time, refused, not understood). */
export const linkGatewayView = z.object({
  /** `in-process` (the gateway of `npm start`) or the ops URL configured in API_JT809_LINKS_URLS. */
  gateway: z.string(),
  state: z.enum(['ok', 'unreachable']),
  detail: z.string().nullable(),
});

export const platformLinksResponse = z.object({
  /** false: no gateway is configured (neither in-process nor API_JT809_LINKS_URLS); the lists are empty. */
  configured: z.boolean(),
  /** The API's clock when it answered, epoch ms: ages ("12 s ago") are computed against it. */
  atMs: epochMs,
  gateways: z.array(linkGatewayView),
  items: z.array(linkStatus.extend({ gateway: z.string() })),
});

export type LinkGatewayView = z.infer<typeof linkGatewayView>;
export type PlatformLinksView = z.infer<typeof platformLinksResponse>;
