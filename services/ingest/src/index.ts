export { buildIngestApp, ingestTopics, type IngestAppOptions } from './app.ts';
export { readIngestConfig, IngestConfigError, type IngestConfig } from './env.ts';
export { ingestResponse, type IngestResponse } from './routes/postEvents.ts';
export { itemStatuses, rejectReasons, type ItemResult, type ItemStatus, type RejectReason } from './checkBatch.ts';
export { MAX_ITEM_DEPTH } from './itemShape.ts';
export type { TimeLimits } from './timePlausibility.ts';
export type { IdLookup } from './knownEvents.ts';
export { readModelRegistryView, type RegistryView } from './registryView.ts';
export { authorizationReasons } from './itemAuthorization.ts';
