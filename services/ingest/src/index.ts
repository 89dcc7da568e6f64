export { buildIngestApp, ingestTopics, type IngestAppOptions } from './app.ts';
export { readIngestConfig, IngestConfigError, type IngestConfig } from './env.ts';
export { ingestResponse, type IngestResponse } from './routes/postEvents.ts';
export { rejectReasons, type ItemResult, type RejectReason } from './checkBatch.ts';
