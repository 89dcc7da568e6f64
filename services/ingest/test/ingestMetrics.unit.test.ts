import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { IngestMetrics } from '../src/ingestMetrics.ts';

async function accepted(registry: Registry): Promise<Record<string, number>> {
  const metric = await registry.getSingleMetric('dgt_ingest_events_total')!.get();
  return Object.fromEntries(metric.values.map((v) => [`${String(v.labels.type)}/${String(v.labels.outcome)}`, v.value]));
}

describe('the gateway counts accepted events by type', () => {
  it('counts a batch of mixed types, with events known before, per type and outcome', async () => {
    const registry = new Registry();
    const metrics = new IngestMetrics(registry);
    const types = ['VehiclePositionReported', 'LoadingCompleted', 'VehiclePositionReported', 'WaybillIssued', 'LoadingCompleted', 'VehiclePositionReported'];
    // Each type a string of its own, as the parsed body gives them.
    const events = types.map((t) => ({ type: JSON.parse(JSON.stringify(t)) as string }));
    metrics.acceptedEvents(events, [undefined, undefined, 'duplicate', undefined, 'conflict', undefined]);
    expect(await accepted(registry)).toEqual({
      'VehiclePositionReported/accepted': 2,
      'VehiclePositionReported/duplicate': 1,
      'LoadingCompleted/accepted': 1,
      'LoadingCompleted/conflict': 1,
      'WaybillIssued/accepted': 1,
    });
  });

  it('counts nothing accepted when every event was known before, and adds batch to batch', async () => {
    const registry = new Registry();
    const metrics = new IngestMetrics(registry);
    metrics.acceptedEvents([{ type: 'VehiclePositionReported' }], ['duplicate']);
    expect(await accepted(registry)).toEqual({ 'VehiclePositionReported/duplicate': 1 });
    metrics.acceptedEvents([{ type: 'LoadingCompleted' }, { type: 'VehiclePositionReported' }], [undefined, undefined]);
    metrics.acceptedEvents([{ type: 'VehiclePositionReported' }], [undefined]);
    expect(await accepted(registry)).toEqual({ 'VehiclePositionReported/duplicate': 1, 'VehiclePositionReported/accepted': 2, 'LoadingCompleted/accepted': 1 });
  });
});
