import type { ReadModelStore } from '@dgt/readmodels';
import { Counter, Gauge, type Registry } from 'prom-client';

/** The API's own metrics, next to the HTTP histograms of `@dgt/http`. No per-vehicle or per-carrier labels. */
export interface ApiMetrics {
  readonly alertsSeen: Counter<'type' | 'category'>;
  readonly alertsInvalid: Counter;
  readonly sseClients: Gauge;
  readonly sseClientsDropped: Counter<'reason'>;
}

export function registerApiMetrics(registry: Registry, readModels: ReadModelStore): ApiMetrics {
  // The projector publishes the same gauge when it shares the registry (single-process demo): one is enough.
  if (registry.getSingleMetric('dgt_readmodel_rows') === undefined) {
    new Gauge({
      name: 'dgt_readmodel_rows',
      help: 'Rows per read model, read from the store at scrape time',
      labelNames: ['model'] as const,
      registers: [registry],
      async collect() {
        // An unreachable store keeps the last values; /readyz reports the outage.
        const sizes = await readModels.sizes().catch(() => undefined);
        if (sizes === undefined) return;
        // The projector's label spelling (open_violations), so a dashboard reads either process alike.
        for (const [model, rows] of Object.entries(sizes)) this.set({ model: model.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`) }, rows);
      },
    });
  }
  return {
    alertsSeen: new Counter({
      name: 'dgt_api_alerts_seen_total',
      help: 'Alerts (one per detection) received from the alert topic, by detection type and category (violation or advisory)',
      labelNames: ['type', 'category'] as const,
      registers: [registry],
    }),
    alertsInvalid: new Counter({ name: 'dgt_api_alerts_invalid_total', help: 'Messages on the alert topic that were not a valid AlertView (skipped)', registers: [registry] }),
    sseClients: new Gauge({ name: 'dgt_api_sse_clients', help: 'Clients connected to GET /v1/alerts/stream', registers: [registry] }),
    sseClientsDropped: new Counter({ name: 'dgt_api_sse_clients_dropped_total', help: 'Alert-stream clients disconnected by the server, by reason', labelNames: ['reason'] as const, registers: [registry] }),
  };
}
