import type { LocalBrokerHandle } from './localBroker.ts';

/** What tests/kafka/globalSetup.ts hands to the `kafka` project's tests via provide/inject. */
export interface KafkaProvidedContext {
  /** Comma-separated bootstrap servers; '' when no broker could be had. */
  kafkaBrokers: string;
  /** Why Kafka tests are skipped ('' when a broker is available). */
  kafkaSkipReason: string;
  /** Where the broker came from: env | container | local | none. */
  kafkaSource: string;
  /** Set only for the local-process broker, which tests may stop and start. */
  kafkaLocalBroker: LocalBrokerHandle | null;
}

declare module 'vitest' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- declaration merging
  export interface ProvidedContext extends KafkaProvidedContext {}
}
