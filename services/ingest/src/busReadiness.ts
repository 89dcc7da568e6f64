import type { Bus, TopicSpec } from '@dgt/bus';
import type { ReadinessCheck, ReadinessChecks } from '@dgt/http';

/**
 * The bus port has no ping, so readiness asks for the gateway's topics (`ensureTopics`: for
 * Kafka an admin connection and a metadata request; it also recreates a deleted topic). One
 * probe at a time: while the broker is down a probe can take kafkajs's whole retry budget,
 * and polls must not pile up connections behind it.
 */
export function busReadiness(bus: Bus, topics: readonly TopicSpec[]): () => Promise<ReadinessChecks> {
  let inFlight: Promise<ReadinessCheck> | undefined;
  return async () => {
    inFlight ??= bus
      .ensureTopics(topics)
      .then(
        (): ReadinessCheck => ({ ok: true }),
        (): ReadinessCheck => ({ ok: false, detail: 'the message bus is unreachable' }),
      )
      .finally(() => {
        inFlight = undefined;
      });
    return { bus: await inFlight };
  };
}
