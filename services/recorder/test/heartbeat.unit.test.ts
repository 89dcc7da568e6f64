import { topicNames, type Batch, type ReceivedMessage } from '@dgt/bus';
import { canonicalJson } from '@dgt/events';
import { openMemoryEventStore } from '@dgt/eventstore';
import { describe, expect, it } from 'vitest';
import { createRecorder } from '../src/index.ts';
import { capturingBus, position } from './fixtures.ts';

function batchOf(topic: string, vehicles: number): Batch & { heartbeats: number } {
  const messages: ReceivedMessage[] = Array.from({ length: vehicles }, (_, v) => ({
    topic,
    partition: 0,
    offset: String(v),
    key: `V${v}`,
    value: Buffer.from(canonicalJson(position(`V${v}`, 0))),
    headers: {},
    timestamp: 0,
  }));
  const batch = {
    topic,
    partition: 0,
    messages,
    heartbeats: 0,
    heartbeat: async () => {
      batch.heartbeats++;
    },
    commit: async () => {},
    isStale: () => false,
  };
  return batch;
}

describe('recorder batch handling', () => {
  it('heartbeats between store transactions during a batch that touches many streams', async () => {
    const { bus, handler } = capturingBus();
    const topics = topicNames();
    const store = openMemoryEventStore();
    await createRecorder({ bus, store, topics, groupId: 'g', streamsPerAppend: 4 }).start();
    const batch = batchOf(topics.positions, 20);
    await handler()(batch);
    // 20 streams in slices of 4: five transactions, a heartbeat between each.
    expect(batch.heartbeats).toBe(4);
  });

  it('rejects the batch (so the bus redelivers it) when the store fails, instead of resolving', async () => {
    const { bus, handler } = capturingBus();
    const topics = topicNames();
    const store = openMemoryEventStore();
    await store.close();
    await createRecorder({ bus, store, topics, groupId: 'g' }).start();
    await expect(handler()(batchOf(topics.positions, 3))).rejects.toMatchObject({ code: 'STORE_CLOSED' });
  });
});
