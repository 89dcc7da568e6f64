import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import type { PartitionLag } from '@dgt/bus';
import { createRecorderMetrics } from '../src/metrics.ts';

function lagLines(text: string): string[] {
  return text.split('\n').filter((l) => l.startsWith('dgt_recorder_consumer_lag{'));
}

describe('recorder metrics: consumer lag', () => {
  it('asks the lag source at every scrape, so the gauge shows each partition as it is then', async () => {
    let lag: PartitionLag[] = [
      { topic: 'dg.positions', partition: 0, lag: 1200 },
      { topic: 'dg.positions', partition: 1, lag: 0 },
      { topic: 'dg.zones', partition: 0, lag: 3 },
    ];
    const registry = new Registry();
    createRecorderMetrics(registry, { consumerLag: () => lag });
    expect(lagLines(await registry.metrics())).toEqual([
      'dgt_recorder_consumer_lag{topic="dg.positions",partition="0"} 1200',
      'dgt_recorder_consumer_lag{topic="dg.positions",partition="1"} 0',
      'dgt_recorder_consumer_lag{topic="dg.zones",partition="0"} 3',
    ]);
    // The recorder caught up, and a partition the source no longer names is not shown stale.
    lag = [{ topic: 'dg.positions', partition: 0, lag: 0 }];
    expect(lagLines(await registry.metrics())).toEqual(['dgt_recorder_consumer_lag{topic="dg.positions",partition="0"} 0']);
  });

  it('keeps what is set from outside when there is no source (the Kafka recorder’s poller)', async () => {
    const registry = new Registry();
    const metrics = createRecorderMetrics(registry);
    metrics.consumerLag.set({ topic: 'dg.positions', partition: '2' }, 17);
    expect(lagLines(await registry.metrics())).toEqual(['dgt_recorder_consumer_lag{topic="dg.positions",partition="2"} 17']);
  });
});
