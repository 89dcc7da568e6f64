import { randomUUID } from 'node:crypto';
import { connect as netConnect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createKafkaBus, type ReceivedMessage } from '@dgt/bus';
import { kafkaForTests, startBroker, stopBroker } from './broker.ts';

const kafka = kafkaForTests();

describe.skipIf(!kafka.available)(`kafka test harness (${kafka.source} broker)`, () => {
  it('provides bootstrap servers of a broker that creates topics and acknowledges sends', async () => {
    const bus = createKafkaBus({ brokers: kafka.brokers, clientId: 'harness' });
    const topic = `harness-${randomUUID().slice(0, 8)}`;
    try {
      await bus.ensureTopics([{ topic, partitions: 1 }]);
      await expect(bus.producer().send(topic, [{ key: 'k', value: 'v' }])).resolves.toBeUndefined();
    } finally {
      await bus.close();
    }
  });

  // Only the local-process broker can be stopped from a test (KAFKA_HARNESS=local forces it).
  describe.skipIf(!kafka.controllable)('local broker control', () => {
    it('keeps committed data across stopBroker/startBroker on the same port, and accepts sends again', async () => {
      const topic = `harness-restart-${randomUUID().slice(0, 8)}`;
      const before = createKafkaBus({ brokers: kafka.brokers, clientId: 'harness-before' });
      await before.ensureTopics([{ topic, partitions: 1 }]);
      await before.producer().send(topic, [{ key: 'k', value: 'before the restart' }]);
      await before.close();

      await stopBroker();
      await expect(connect(kafka.brokers[0] ?? '')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
      await startBroker();

      const after = createKafkaBus({ brokers: kafka.brokers, clientId: 'harness-after' });
      try {
        await after.producer().send(topic, [{ key: 'k', value: 'after the restart' }]);
        const values: string[] = [];
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(
            () => reject(new Error('messages not delivered after restart')),
            30_000,
          );
          void after
            .consumer({ groupId: `harness-${randomUUID()}` })
            .run({
              topics: [topic],
              eachBatch: async (batch) => {
                values.push(...batch.messages.map((m: ReceivedMessage) => m.value.toString()));
                if (values.length >= 2) {
                  clearTimeout(timer);
                  resolve();
                }
              },
            })
            .catch(reject);
        });
        expect(values).toEqual(['before the restart', 'after the restart']);
      } finally {
        await after.close();
      }
    });
  });
});

function connect(hostPort: string): Promise<void> {
  const [host, port] = hostPort.split(':');
  return new Promise((resolve, reject) => {
    const socket = netConnect({ host, port: Number(port) }, () => {
      socket.end();
      resolve();
    });
    socket.on('error', reject);
  });
}
