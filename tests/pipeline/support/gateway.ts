import { setTimeout as sleep } from 'node:timers/promises';

export interface PostResult {
  readonly status: number;
  readonly body: unknown;
}

/** POST /v1/events with a JSON array; any network failure is reported as status 0. */
export async function postEvents(baseUrl: string, apiKey: string, events: readonly unknown[]): Promise<PostResult> {
  try {
    const response = await fetch(`${baseUrl}/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': apiKey },
      body: JSON.stringify(events),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // Not JSON: keep the text for the failure message.
    }
    return { status: response.status, body };
  } catch (error) {
    return { status: 0, body: String(error) };
  }
}

export interface LaneStats {
  /** Batches that got 202 (each counted once, on its final attempt). */
  accepted: number;
  /** Attempts answered 503 (and retried). */
  unavailable: number;
  /** Attempts that failed at the network level (and were retried). */
  networkErrors: number;
  /** Event ids of every batch that got 202. */
  readonly acceptedIds: Set<string>;
}

/**
 * Posts every lane's batches in order, lanes concurrently. A batch answered 503 (or not at all)
 * is retried until 202 before the lane moves on, so per-vehicle order holds; any other status
 * fails the run. `onBatch` runs after each accepted batch (to inject faults mid-stream).
 */
export async function postLanes(
  baseUrl: string,
  apiKey: string,
  lanes: readonly (readonly (readonly { eventId: string }[])[])[],
  options: { onBatch?: (acceptedSoFar: number) => Promise<void> | void; retryDelayMs?: number; giveUpAfterMs?: number } = {},
): Promise<LaneStats> {
  const stats: LaneStats = { accepted: 0, unavailable: 0, networkErrors: 0, acceptedIds: new Set() };
  const giveUpAt = Date.now() + (options.giveUpAfterMs ?? 120_000);
  await Promise.all(
    lanes.map(async (batches) => {
      for (const batch of batches) {
        for (;;) {
          const result = await postEvents(baseUrl, apiKey, batch);
          if (result.status === 202) break;
          if (result.status === 503) stats.unavailable++;
          else if (result.status === 0) stats.networkErrors++;
          else throw new Error(`POST /v1/events answered ${result.status}: ${JSON.stringify(result.body).slice(0, 500)}`);
          if (Date.now() > giveUpAt) throw new Error(`gave up retrying a batch after ${result.status}`);
          await sleep(options.retryDelayMs ?? 250);
        }
        stats.accepted++;
        for (const e of batch) stats.acceptedIds.add(e.eventId);
        await options.onBatch?.(stats.accepted);
      }
    }),
  );
  return stats;
}
