import type { Bus } from '@dgt/bus';

/**
 * A bus whose sends are acknowledged at once and kept nowhere: the bench's measure of the gateway's
 * own work (parse, checks, canonical JSON, digests, routing), without the cost of any broker.
 * It calls itself durable only so the gateway starts on it; nothing but a bench may use it.
 */
export function noopBus(): Bus {
  return {
    durable: true,
    ensureTopics: async () => undefined,
    producer: () => ({ concurrentSendsSafe: true, send: async () => undefined, close: async () => undefined }),
    consumer: () => {
      throw new Error('the no-op bus has no consumers');
    },
    close: async () => undefined,
  };
}
