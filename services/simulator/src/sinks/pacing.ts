import type { SimMessage } from '../messages.ts';

export type Speed = number | 'max';

export interface PacingOptions {
  /** Simulated milliseconds per wall millisecond; `max` never waits. */
  speed: Speed;
  /** The simulated instant that maps to the wall-clock start (earlier messages go at once). */
  simStartMs: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  signal?: AbortSignal;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Releases messages when their arrival time comes, at `speed`× real time. Waits only when at
 * least 20 ms ahead, so fast runs are not slowed down by timer granularity.
 */
export async function* paced(messages: Iterable<SimMessage>, o: PacingOptions): AsyncGenerator<SimMessage> {
  const now = o.now ?? (() => performance.now());
  const sleep = o.sleep ?? defaultSleep;
  const wall0 = now();
  for (const m of messages) {
    if (o.signal?.aborted) return;
    if (o.speed !== 'max' && m.arrivalMs > o.simStartMs) {
      const due = wall0 + (m.arrivalMs - o.simStartMs) / o.speed;
      const ahead = due - now();
      if (ahead >= 20) await sleep(ahead);
    }
    yield m;
  }
}

export function parseSpeed(text: string): Speed | null {
  if (text === 'max') return 'max';
  const n = Number(text.replace(/x$/i, ''));
  return Number.isFinite(n) && n > 0 ? n : null;
}
