export type {
  AppendOptions,
  AppendResult,
  EventEnvelope,
  EventStore,
  ExpectedRevision,
  Position,
  ReadAllOptions,
  RecordedEventLookup,
  ReadFilter,
  ReadStreamOptions,
  RecordedEvent,
  StreamBatch,
  SubscribeAllOptions,
  Subscription,
} from './port.ts';
export { EventStoreError, WrongExpectedRevisionError, isWrongExpectedRevision, type EventStoreErrorCode } from './errors.ts';
export { systemClock, steppingClock, type Clock } from './clock.ts';
export { alertAcknowledgementsStream, carrierStream, clockStream, consignmentStream, detectionsStream, driverMessagesStream, platformStream, productStream, streamFor, streamPrefixes, terminalStream, vehicleCodeStream, vehicleStream, zonesStream } from './streams.ts';
export { readForVehicle, readForWaybill, readTimeWindow, type ReplayReadOptions, type TimeWindow } from './replayReads.ts';
export { pagesOf } from './pagedIterable.ts';
export { MemoryEventStore, openMemoryEventStore, type MemoryEventStoreOptions } from './memory/memoryEventStore.ts';
export { DEFAULT_SQLITE_PATH, openSqliteEventStore, type SqliteEventStoreOptions } from './sqlite/sqliteEventStore.ts';
export { openSqliteEventLookup, type SqliteEventLookup } from './sqlite/sqliteEventLookup.ts';
export { pageNdjson, type PageNdjson } from './sqlite/pageNdjson.ts';
export { openEsdbEventStore, type EsdbEventStoreOptions } from './esdb/esdbEventStore.ts';
export { eventStoreConfigFromEnv, type EventStoreConfig } from './config.ts';
export { openEventStore } from './openEventStore.ts';
