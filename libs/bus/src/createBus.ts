import { createInProcessBus } from './inProcess/inProcessBus.ts';
import { createKafkaBus } from './kafka/kafkaBus.ts';
import type { Bus, BusLogger } from './port.ts';

export interface CreateBusOptions {
  readonly brokers: readonly string[];
  readonly clientId?: string;
  readonly logger?: BusLogger;
}

/** Kafka when brokers are configured, otherwise the in-process bus (the embedded default). */
export function createBus({ brokers, clientId, logger }: CreateBusOptions): Bus {
  return brokers.length > 0
    ? createKafkaBus({ brokers, clientId, logger })
    : createInProcessBus({ logger });
}
