import { randomUUID } from 'node:crypto';
import { describe } from 'vitest';
import { kafkaForTests } from '../../../tests/kafka/broker.ts';
import { createKafkaBus } from '../src/index.ts';
import { runBusContract } from './contract.ts';

const kafka = kafkaForTests();
// Topic and group names are unique per run, so a shared or reused broker is fine.
const run = randomUUID().slice(0, 8);
let counter = 0;

describe.skipIf(!kafka.available)(`kafka adapter (${kafka.source} broker)`, () => {
  runBusContract('kafka', async () => {
    const bus = createKafkaBus({ brokers: kafka.brokers, clientId: `bus-contract-${run}` });
    return {
      bus,
      unique: (base) => `${base}-${run}-${++counter}`,
      deliveryTimeoutMs: 30_000,
      dispose: () => bus.close(),
    };
  });
});
