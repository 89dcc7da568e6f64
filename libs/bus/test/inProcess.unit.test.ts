import { describe, expect, it, vi } from 'vitest';
import {
  BusError,
  createBus,
  createInProcessBus,
  murmur2,
  partitionForKey,
  readBusConfig,
  topicNames,
  topicSpecs,
} from '../src/index.ts';
import type { ReceivedMessage } from '../src/index.ts';
import { runBusContract } from './contract.ts';

let counter = 0;
runBusContract('in-process', async () => {
  const bus = createInProcessBus();
  return {
    bus,
    unique: (base) => `${base}-${++counter}`,
    deliveryTimeoutMs: 5000,
    dispose: () => bus.close(),
  };
});

describe('murmur2 partitioner', () => {
  it("matches the Java client's murmur2 test vectors", () => {
    // From org.apache.kafka.common.utils.UtilsTest.testMurmur2.
    const vectors: Array<[string, number]> = [
      ['21', -973932308],
      ['foobar', -790332482],
      ['a-little-bit-long-string', -985981536],
      ['a-little-bit-longer-string', -1486304829],
      ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
      ['abc', 479470107],
    ];
    for (const [input, hash] of vectors) expect(murmur2(Buffer.from(input))).toBe(hash);
  });

  it('maps a key to a partition in range, the same one every time', () => {
    for (const key of ['V-浙J12345', '', 'x', 'consignment-W2026-001']) {
      const p = partitionForKey(key, 6);
      expect(p).toBeGreaterThanOrEqual(0);
      expect(p).toBeLessThan(6);
      expect(partitionForKey(key, 6)).toBe(p);
    }
  });
});

describe('topic names', () => {
  it('defaults to the dg. prefix for every role', () => {
    expect(topicNames()).toEqual({
      positions: 'dg.positions',
      consignments: 'dg.consignments',
      zones: 'dg.zones',
      alerts: 'dg.alerts',
      deadletter: 'dg.deadletter',
    });
  });

  it('applies a prefix and lets single names be overridden', () => {
    const names = topicNames({ prefix: 'test-1.dg.', overrides: { alerts: 'custom-alerts' } });
    expect(names.positions).toBe('test-1.dg.positions');
    expect(names.alerts).toBe('custom-alerts');
    expect(topicSpecs(names).find((s) => s.topic === 'test-1.dg.positions')?.partitions).toBe(6);
  });
});

describe('bus config', () => {
  it('reads a broker list, trimming blanks, and falls back to the in-process bus without one', () => {
    expect(readBusConfig({ KAFKA_BROKERS: ' a:9092, ,b:9093 ' }).brokers).toEqual([
      'a:9092',
      'b:9093',
    ]);
    const none = readBusConfig({});
    expect(none.brokers).toEqual([]);
    expect(none.clientId).toBe('dgt');
    expect(readBusConfig({ DGT_TOPIC_PREFIX: 'x.' }).topics).toEqual({ prefix: 'x.' });
  });

  it('creates the in-process bus when no brokers are configured', async () => {
    const bus = createBus({ brokers: [] });
    await bus.ensureTopics([{ topic: 't', partitions: 1 }]);
    await expect(bus.producer().send('t', [{ key: 'k', value: 'v' }])).resolves.toBeUndefined();
    await bus.close();
  });
});

describe('in-process bus specifics', () => {
  it('rejects sends and subscriptions to topics nobody created', async () => {
    const bus = createInProcessBus();
    await expect(bus.producer().send('missing', [{ key: 'k', value: 'v' }])).rejects.toMatchObject({
      code: 'UNKNOWN_TOPIC',
    });
    await expect(
      bus.consumer({ groupId: 'g' }).run({ topics: ['missing'], eachBatch: async () => {} }),
    ).rejects.toBeInstanceOf(BusError);
    await bus.close();
  });

  it('rejects invalid topic specs and a second run of one consumer', async () => {
    const bus = createInProcessBus();
    await expect(bus.ensureTopics([{ topic: 't', partitions: 0 }])).rejects.toMatchObject({
      code: 'INVALID_TOPIC_SPEC',
    });
    await expect(bus.ensureTopics([{ topic: 'bad name', partitions: 1 }])).rejects.toMatchObject({
      code: 'INVALID_TOPIC_SPEC',
    });
    await bus.ensureTopics([{ topic: 't', partitions: 1 }]);
    const consumer = bus.consumer({ groupId: 'g' });
    await consumer.run({ topics: ['t'], eachBatch: async () => {} });
    await expect(consumer.run({ topics: ['t'], eachBatch: async () => {} })).rejects.toMatchObject({
      code: 'ALREADY_RUNNING',
    });
    await bus.close();
  });

  it('splits partitions between the members of one group and moves them when a member leaves', async () => {
    const bus = createInProcessBus();
    await bus.ensureTopics([{ topic: 't', partitions: 4 }]);
    const partitionsSeenBy = { a: new Set<number>(), b: new Set<number>() };
    const delivered: ReceivedMessage[] = [];
    const a = bus.consumer({ groupId: 'g' });
    const b = bus.consumer({ groupId: 'g' });
    await a.run({
      topics: ['t'],
      eachBatch: async (batch) =>
        void (partitionsSeenBy.a.add(batch.partition), delivered.push(...batch.messages)),
    });
    await b.run({
      topics: ['t'],
      eachBatch: async (batch) =>
        void (partitionsSeenBy.b.add(batch.partition), delivered.push(...batch.messages)),
    });
    const producer = bus.producer();
    const keys = Array.from({ length: 40 }, (_, i) => `v${i}`);
    await producer.send(
      't',
      keys.map((key) => ({ key, value: key })),
    );
    await vi.waitFor(() => expect(delivered).toHaveLength(40));
    expect([...partitionsSeenBy.a].some((p) => partitionsSeenBy.b.has(p))).toBe(false);
    expect(partitionsSeenBy.a.size + partitionsSeenBy.b.size).toBe(4);

    await b.stop();
    await producer.send(
      't',
      keys.map((key) => ({ key, value: `${key}-2` })),
    );
    await vi.waitFor(() => expect(delivered).toHaveLength(80));
    expect(partitionsSeenBy.a.size).toBe(4);
    await bus.close();
  });

  it('stamps messages with the injected clock and copies buffers on send', async () => {
    const bus = createInProcessBus({ now: () => 1_700_000_000_000 });
    await bus.ensureTopics([{ topic: 't', partitions: 1 }]);
    const value = Buffer.from('original');
    await bus.producer().send('t', [{ key: 'k', value }]);
    value.write('mutated!');
    const got: ReceivedMessage[] = [];
    await bus
      .consumer({ groupId: 'g' })
      .run({ topics: ['t'], eachBatch: async (batch) => void got.push(...batch.messages) });
    await vi.waitFor(() => expect(got).toHaveLength(1));
    expect(got[0]?.value.toString()).toBe('original');
    expect(got[0]?.timestamp).toBe(1_700_000_000_000);
    await bus.close();
  });

  it('refuses to send after the bus is closed', async () => {
    const bus = createInProcessBus();
    await bus.ensureTopics([{ topic: 't', partitions: 1 }]);
    const producer = bus.producer();
    await bus.close();
    await expect(producer.send('t', [{ key: 'k', value: 'v' }])).rejects.toMatchObject({
      code: 'CLOSED',
    });
  });
});
