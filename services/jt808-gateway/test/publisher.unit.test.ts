import type { BusProducer, OutgoingMessage } from '@dgt/bus';
import { describe, expect, it } from 'vitest';
import { MicroBatchPublisher } from '../src/index.ts';

function fakeProducer() {
  const sends: string[][] = [];
  let gate: (() => void) | undefined;
  let fail = false;
  let concurrent = 0;
  let maxConcurrent = 0;
  const producer: BusProducer = {
    send: async (_topic, messages) => {
      concurrent++;
      maxConcurrent = Math.max(maxConcurrent, concurrent);
      if (gate === undefined) await new Promise<void>((r) => (gate = r));
      gate = undefined;
      concurrent--;
      if (fail) throw new Error('broker down');
      sends.push(messages.map((m) => m.key));
    },
    close: async () => undefined,
  };
  return {
    producer,
    sends,
    get maxConcurrent() {
      return maxConcurrent;
    },
    /** Completes the send in flight. */
    releaseOne: () => gate?.(),
    setFail: (v: boolean) => (fail = v),
  };
}
const msg = (key: string): OutgoingMessage => ({ key, value: key });
const tick = () => new Promise((r) => setTimeout(r, 5));

describe('MicroBatchPublisher', () => {
  it('sends messages of many callers together and resolves each caller when its send is accepted', async () => {
    const f = fakeProducer();
    const p = new MicroBatchPublisher(f.producer, 't', { batchSize: 100, lingerMs: 1 });
    const settled: string[] = [];
    const a = p.publish([msg('a1'), msg('a2')]).then(() => settled.push('a'));
    const b = p.publish([msg('b')]).then(() => settled.push('b'));
    await tick();
    expect(settled).toEqual([]);
    f.releaseOne();
    await Promise.all([a, b]);
    expect(f.sends).toEqual([['a1', 'a2', 'b']]);
  });

  it('keeps one send in flight and sends what queued meanwhile next, in order', async () => {
    const f = fakeProducer();
    const p = new MicroBatchPublisher(f.producer, 't', { batchSize: 2, lingerMs: 1 });
    const first = p.publish([msg('1'), msg('2')]);
    await tick();
    const later = [p.publish([msg('3')]), p.publish([msg('4')]), p.publish([msg('5')])];
    expect(p.pending).toBe(3);
    f.releaseOne();
    await first;
    await tick();
    f.releaseOne();
    await tick();
    f.releaseOne();
    await Promise.all(later);
    expect(f.sends).toEqual([['1', '2'], ['3', '4'], ['5']]);
    expect(f.maxConcurrent).toBe(1);
  });

  it('rejects every caller of a failed send, and later sends still work', async () => {
    const f = fakeProducer();
    const p = new MicroBatchPublisher(f.producer, 't', { batchSize: 10, lingerMs: 1 });
    f.setFail(true);
    const a = p.publish([msg('a')]);
    const b = p.publish([msg('b')]);
    await tick();
    f.releaseOne();
    await expect(a).rejects.toThrow('broker down');
    await expect(b).rejects.toThrow('broker down');
    f.setFail(false);
    const c = p.publish([msg('c')]);
    await tick();
    f.releaseOne();
    await c;
    expect(f.sends).toEqual([['c']]);
  });

  it('flush waits for queued and in-flight messages', async () => {
    const f = fakeProducer();
    const p = new MicroBatchPublisher(f.producer, 't', { batchSize: 10, lingerMs: 1000 });
    void p.publish([msg('x')]);
    let flushed = false;
    const done = p.flush().then(() => (flushed = true));
    await tick();
    expect(flushed).toBe(false);
    f.releaseOne();
    await done;
    expect(f.sends).toEqual([['x']]);
  });
});
