import { inject } from 'vitest';
import { startLocalBroker, stopLocalBroker, type LocalBrokerHandle } from './localBroker.ts';
// Types the inject() keys (a `declare module 'vitest'` augmentation).
import './providedContext.ts';

/**
 * The broker the `kafka` project's global setup found. Use as
 * `describe.skipIf(!kafka.available)(...)`; the skip reason is printed by the global setup
 * (and on CI a missing broker fails the run there).
 */
export interface KafkaForTests {
  readonly available: boolean;
  readonly brokers: string[];
  readonly skipReason: string;
  readonly source: string;
  /** True when tests may stop and start the broker (the local-process broker). */
  readonly controllable: boolean;
}

export function kafkaForTests(): KafkaForTests {
  const brokers = inject('kafkaBrokers')
    .split(',')
    .map((b) => b.trim())
    .filter((b) => b !== '');
  return {
    available: brokers.length > 0,
    brokers,
    skipReason: inject('kafkaSkipReason'),
    source: inject('kafkaSource'),
    controllable: inject('kafkaLocalBroker') !== null,
  };
}

/** Stops the harness's local broker (SIGTERM, clean shutdown); its data and port are kept for `startBroker`. */
export async function stopBroker(): Promise<void> {
  await stopLocalBroker(localHandle());
}

/** Starts the harness's local broker again on the same port and data directory; resolves when it is ready. */
export async function startBroker(): Promise<void> {
  await startLocalBroker(localHandle());
}

function localHandle(): LocalBrokerHandle {
  const handle = inject('kafkaLocalBroker');
  if (handle === null) {
    throw new Error(
      `the broker (${inject('kafkaSource')}) cannot be stopped by tests; run with KAFKA_HARNESS=local`,
    );
  }
  return handle;
}
