import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** The projector's Prometheus metrics. Labels are bounded (event type, model): never per vehicle. */
export interface ProjectorMetrics {
  readonly events: Counter<'type'>;
  readonly skipped: Counter<'reason'>;
  readonly registryIgnored: Counter<'code'>;
  readonly detections: Counter<'type'>;
  readonly detectionsAppended: Counter<'result'>;
  readonly alertsPublished: Counter;
  readonly batchSeconds: Histogram;
  readonly batchEvents: Histogram;
  readonly lagSeconds: Gauge;
  readonly recordedLagSeconds: Gauge;
  readonly rows: Gauge<'model'>;
  readonly checkpoint: Gauge;
}

export function createProjectorMetrics(registry: Registry): ProjectorMetrics {
  const registers = [registry];
  return {
    events: new Counter({ name: 'dgt_projector_events_total', help: 'Events projected, by type.', labelNames: ['type'], registers }),
    skipped: new Counter({
      name: 'dgt_projector_events_skipped_total',
      help: 'Events read but not projected: outside the catalog, unreadable, or the projector\'s own detections.',
      labelNames: ['reason'],
      registers,
    }),
    registryIgnored: new Counter({
      name: 'dgt_projector_registry_ignored_total',
      help: 'Registry events projected but ignored by the register (a plate in use, an owner change without a transfer, a transfer from a non-owner, …), by code.',
      labelNames: ['code'],
      registers,
    }),
    detections: new Counter({ name: 'dgt_projector_detections_total', help: 'Detections emitted by the engine, by type.', labelNames: ['type'], registers }),
    detectionsAppended: new Counter({
      name: 'dgt_projector_detections_appended_total',
      help: 'Detections appended to the store: written (new) or skipped (already recorded, e.g. after a restart).',
      labelNames: ['result'],
      registers,
    }),
    alertsPublished: new Counter({ name: 'dgt_projector_alerts_published_total', help: 'Alerts published to the alerts topic.', registers }),
    batchSeconds: new Histogram({
      name: 'dgt_projector_batch_seconds',
      help: 'Duration of one flush: detections append, read-model commit, alerts publish.',
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    batchEvents: new Histogram({
      name: 'dgt_projector_batch_events',
      help: 'Events covered by one flush.',
      buckets: [1, 10, 100, 1_000, 5_000, 20_000, 50_000, 100_000, 250_000],
      registers,
    }),
    lagSeconds: new Gauge({ name: 'dgt_projection_lag_seconds', help: 'Now minus occurredAt of the last projected event.', registers }),
    recordedLagSeconds: new Gauge({
      name: 'dgt_projection_store_lag_seconds',
      help: 'Now minus the time the store recorded the last projected event: how far behind the store head the projector runs.',
      registers,
    }),
    rows: new Gauge({ name: 'dgt_readmodel_rows', help: 'Rows per read model.', labelNames: ['model'], registers }),
    checkpoint: new Gauge({ name: 'dgt_projector_checkpoint', help: 'Store position of the last committed batch (when the store\'s positions are numeric).', registers }),
  };
}
