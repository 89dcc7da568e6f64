import { createKafkaBus, type OutgoingMessage, type ReceivedMessage } from '@dgt/bus';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

/** Sends raw messages straight to a topic, bypassing the gateway (as a buggy or hostile producer would). */
export async function produceRaw(brokers: readonly string[], topic: string, messages: readonly OutgoingMessage[]): Promise<void> {
  const bus = createKafkaBus({ brokers, clientId: 'pipeline-test-raw' });
  try {
    await bus.producer().send(topic, messages);
  } finally {
    await bus.close();
  }
}

/** Reads a topic from the beginning until `count` messages arrived (or the timeout passed). */
export async function readTopic(brokers: readonly string[], topic: string, count: number, timeoutMs: number): Promise<ReceivedMessage[]> {
  const bus = createKafkaBus({ brokers, clientId: 'pipeline-test-reader' });
  const received: ReceivedMessage[] = [];
  try {
    await bus.consumer({ groupId: `reader-${randomUUID()}` }).run({
      topics: [topic],
      eachBatch: async (batch) => void received.push(...batch.messages),
    });
    const giveUpAt = Date.now() + timeoutMs;
    while (received.length < count && Date.now() < giveUpAt) await sleep(100);
    return received;
  } finally {
    await bus.close();
  }
}
