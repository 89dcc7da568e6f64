import type { TopicNamingOptions } from './topics.ts';

export interface BusConfig {
  /** Empty → the in-process bus. */
  readonly brokers: readonly string[];
  readonly clientId: string;
  readonly topics: TopicNamingOptions;
}

/**
 * KAFKA_BROKERS  comma-separated host:port list; unset or empty → in-process bus
 * KAFKA_CLIENT_ID  default "dgt"
 * DGT_TOPIC_PREFIX  default "dg."
 */
export function readBusConfig(env: NodeJS.ProcessEnv = process.env): BusConfig {
  const brokers = (env.KAFKA_BROKERS ?? '')
    .split(',')
    .map((b) => b.trim())
    .filter((b) => b !== '');
  const prefix = env.DGT_TOPIC_PREFIX;
  return {
    brokers,
    clientId: env.KAFKA_CLIENT_ID?.trim() || 'dgt',
    topics: prefix === undefined ? {} : { prefix },
  };
}
