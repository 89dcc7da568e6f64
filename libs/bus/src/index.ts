export type {
  Batch,
  BatchHandler,
  Bus,
  BusConsumer,
  BusLogger,
  BusProducer,
  ConsumerOptions,
  OutgoingHeaders,
  OutgoingMessage,
  ReceivedMessage,
  RunOptions,
  TopicSpec,
} from './port.ts';
export { BusError, type BusErrorCode } from './errors.ts';
export { readBusConfig, type BusConfig } from './config.ts';
export { createBus, type CreateBusOptions } from './createBus.ts';
export { createInProcessBus, type InProcessBusOptions } from './inProcess/inProcessBus.ts';
export { createKafkaBus, type KafkaBusOptions } from './kafka/kafkaBus.ts';
export { createSqliteBus, type PartitionLag, type SqliteBus, type SqliteBusOptions, type SqliteBusStats } from './sqlite/sqliteBus.ts';
export type { CommittedTailStats } from './sqlite/committedTail.ts';
export type { BusSynchronous } from './sqlite/openBusDatabase.ts';
export type { PruneResult, RetainedGroup } from './sqlite/retention.ts';
export { headerText } from './headers.ts';
export { murmur2, partitionForKey } from './partitioner.ts';
export { SerialProducer } from './serialProducer.ts';
export { silentLogger } from './silentLogger.ts';
export * from './topics.ts';
