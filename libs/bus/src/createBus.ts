import { createInProcessBus } from './inProcess/inProcessBus.ts';
import { createKafkaBus } from './kafka/kafkaBus.ts';
import type { Bus, BusLogger } from './port.ts';

export interface CreateBusOptions {
  readonly brokers: readonly string[];
  readonly clientId?: string;
  readonly logger?: BusLogger;
}

/**
 * Kafka when brokers are configured, otherwise the memory-only bus (not durable: gateways refuse
 * it). The embedded stack opens its durable bus itself (`createSqliteBus`), in its data directory.
 */
export function createBus({ brokers, clientId, logger }: CreateBusOptions): Bus {
  return brokers.length > 0
    ? createKafkaBus({ brokers, clientId, logger })
    : createInProcessBus({ logger });
}
