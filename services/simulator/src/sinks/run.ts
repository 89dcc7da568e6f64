import type { SimMessage } from '../messages.ts';
import type { Speed } from './pacing.ts';
import type { MessageSink } from './sink.ts';

export interface PumpOptions {
  speed: Speed;
  /** The simulated instant that maps to the wall-clock start. */
  simStartMs: number;
  onProgress?: (messages: number, simMs: number) => void;
  signal?: AbortSignal;
  sleep?: (ms: number) => Promise<void>;
  /**
   * Wall clock (epoch ms). When set, no message is sent before its arrival time on it: a run
   * dated in the past goes at `speed` until it has caught up with now, then in real time. An
   * ingest gateway refuses fixes dated ahead of its own clock, so an accelerated run that
   * overtook the present would have its fixes refused (and, before that check, blinded detection).
   */
  wallClock?: () => number;
}

/**
 * Feeds the messages into a sink at `speed`× real time. Before every wait it flushes, so a live
 * consumer sees each message when it is due, not when a batch happens to fill.
 */
export async function pump(messages: Iterable<SimMessage>, sink: MessageSink, o: PumpOptions): Promise<number> {
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const wall0 = performance.now();
  let n = 0;
  for (const m of messages) {
    if (o.signal?.aborted) break;
    let ahead = o.speed !== 'max' && m.arrivalMs > o.simStartMs ? wall0 + (m.arrivalMs - o.simStartMs) / o.speed - performance.now() : 0;
    if (o.wallClock !== undefined) ahead = Math.max(ahead, m.arrivalMs - o.wallClock());
    if (ahead >= 20) {
      await sink.flush();
      await sleep(ahead);
      // A sleep cut short by the abort: this message is not due yet.
      if (o.signal?.aborted) break;
    }
    await sink.write(m);
    n++;
    if ((n & 0x3ff) === 0) o.onProgress?.(n, m.arrivalMs);
  }
  await sink.close();
  return n;
}
