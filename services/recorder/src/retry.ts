import { setTimeout as sleep } from 'node:timers/promises';

/** Retries `attempt` with capped exponential backoff until it succeeds or `deadlineMs` passes. */
export async function retryUntil<T>(
  attempt: () => Promise<T>,
  { deadlineMs, onRetry }: { deadlineMs: number; onRetry?: (error: unknown, delayMs: number) => void },
): Promise<T> {
  const giveUpAt = Date.now() + deadlineMs;
  let delay = 200;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (Date.now() + delay > giveUpAt) throw error;
      onRetry?.(error, delay);
      await sleep(delay);
      delay = Math.min(delay * 2, 5000);
    }
  }
}
