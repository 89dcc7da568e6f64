import type { LinkGatewayView, LinkStatus, PlatformLinksView } from './linkStatus.ts';
import { gatewayLinksBody } from './linkStatus.ts';

/** Where the API learns a JT/T 809 gateway's link status. */
export interface LinkSource {
  /** Shown as the gateway's name: `in-process` or its ops URL. */
  readonly gateway: string;
  read(): Promise<readonly LinkStatus[]>;
}

/** Why a gateway counts as unreachable; the message is shown on the desk, so it never carries the key. */
export class LinkSourceError extends Error {
  override readonly name = 'LinkSourceError';
}

/** The gateway running in this process (`npm start`): its `status()`, checked like a remote answer (a mismatch is `unreachable`, not a 500). */
export function inProcessLinkSource(read: () => Promise<readonly LinkStatus[]>): LinkSource {
  return { gateway: 'in-process', read: async () => understood({ platforms: await read() }) };
}

/** The platforms of a GET /links body, or a LinkSourceError naming the first field that does not fit. */
function understood(body: unknown): readonly LinkStatus[] {
  const parsed = gatewayLinksBody.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new LinkSourceError(`answer not understood at ${issue === undefined ? '?' : issue.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data.platforms;
}

/**
 * A gateway's ops server (`GET <url>/links` with the key as `x-api-key`), given `timeoutMs` to
 * answer: the desk polls every few seconds, and one gateway that hangs must not hold the others.
 */
export function gatewayLinkSource(url: string, apiKey: string, timeoutMs: number, fetchImpl: typeof fetch = fetch): LinkSource {
  const linksUrl = `${url.replace(/\/+$/, '')}/links`;
  return {
    gateway: url,
    read: async () => {
      let response: Response;
      try {
        response = await fetchImpl(linksUrl, { headers: { 'x-api-key': apiKey, accept: 'application/json' }, signal: AbortSignal.timeout(timeoutMs) });
      } catch (error) {
        const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
        throw new LinkSourceError(timedOut ? `no answer within ${timeoutMs} ms` : 'cannot connect');
      }
      if (!response.ok) {
        await response.body?.cancel().catch(() => undefined);
        const why = response.status === 401 || response.status === 403 ? ' (check API_JT809_LINKS_KEY: a metrics or bureau key of the gateway)' : '';
        throw new LinkSourceError(`answered HTTP ${response.status}${why}`);
      }
      let body: unknown;
      try {
        body = await response.json();
      } catch {
        throw new LinkSourceError('answered something that is not JSON');
      }
      return understood(body);
    },
  };
}

/**
 * Every source asked at once; a source that fails is listed `unreachable` with its reason and
 * contributes no platforms — the answer is never an error because a gateway is down.
 */
export async function readPlatformLinks(sources: readonly LinkSource[], nowMs: number): Promise<PlatformLinksView> {
  const results = await Promise.all(
    sources.map(async (source): Promise<{ view: LinkGatewayView; items: readonly LinkStatus[] }> => {
      try {
        return { view: { gateway: source.gateway, state: 'ok', detail: null }, items: await source.read() };
      } catch (error) {
        const detail = error instanceof LinkSourceError ? error.message : 'the gateway did not report its links';
        return { view: { gateway: source.gateway, state: 'unreachable', detail }, items: [] };
      }
    }),
  );
  return {
    configured: sources.length > 0,
    atMs: nowMs,
    gateways: results.map((r) => r.view),
    items: results.flatMap((r) => r.items.map((s) => ({ ...s, gateway: r.view.gateway }))),
  };
}
