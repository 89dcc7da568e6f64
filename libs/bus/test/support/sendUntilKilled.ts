import { writeSync } from 'node:fs';
import { createSqliteBus } from '../../src/index.ts';

/*
 * Child process of the SIGKILL test: `sendUntilKilled.ts <bus file> <synchronous>`. Four senders
 * append numbered batches as fast as the bus takes them; after each send resolved, the batch's
 * numbers go to stdout with a synchronous write, so whatever the parent read was acknowledged
 * before the kill.
 */
const [path, synchronous] = process.argv.slice(2);
if (path === undefined || (synchronous !== 'NORMAL' && synchronous !== 'FULL')) throw new Error('usage: sendUntilKilled.ts <path> NORMAL|FULL');
const bus = createSqliteBus({ path, synchronous });
await bus.ensureTopics([{ topic: 'acked', partitions: 3 }]);
const producer = bus.producer();
writeSync(1, 'ready\n');
let next = 0;
const sender = async (): Promise<never> => {
  for (;;) {
    const first = next;
    const size = 1 + (first % 97);
    next += size;
    const messages = Array.from({ length: size }, (_, i) => ({ key: `k${(first + i) % 50}`, value: String(first + i), headers: { n: String(first + i) } }));
    await producer.send('acked', messages);
    writeSync(1, `acked ${first} ${first + size}\n`);
  }
};
await Promise.all([sender(), sender(), sender(), sender()]);
