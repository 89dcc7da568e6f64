import { createInProcessBus } from '@dgt/bus';
import { afterEach, describe, expect, it } from 'vitest';
import { watchDrain } from '../src/drainWatch.ts';

const buses: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const b of buses.splice(0)) await b.close();
});

describe('waiting for the recorder to drain the in-process bus', () => {
  it('counts what the watched group has not handled yet and resolves once it has', async () => {
    const inner = createInProcessBus();
    buses.push(inner);
    const watch = watchDrain(inner, ['t.positions'], 'recorder');
    await watch.bus.ensureTopics([{ topic: 't.positions', partitions: 2 }, { topic: 't.alerts', partitions: 1 }]);
    const producer = watch.bus.producer();
    await producer.send('t.positions', [{ key: 'a', value: '1' }, { key: 'b', value: '2' }, { key: 'c', value: '3' }]);
    await producer.send('t.alerts', [{ key: 'a', value: 'x' }]);
    expect(watch.backlog()).toBe(3);
    expect(await watch.drained(50)).toBe(false);

    const seen: string[] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    // Another group's consumption does not count.
    await watch.bus.consumer({ groupId: 'someone-else' }).run({ topics: ['t.positions'], eachBatch: async () => undefined });
    await watch.bus.consumer({ groupId: 'recorder' }).run({
      topics: ['t.positions'],
      eachBatch: async (batch) => {
        await gate;
        for (const m of batch.messages) seen.push(m.value.toString());
      },
    });
    expect(await watch.drained(100)).toBe(false);
    release();
    expect(await watch.drained(2_000)).toBe(true);
    expect(watch.backlog()).toBe(0);
    expect(seen.sort()).toEqual(['1', '2', '3']);
  });
});
