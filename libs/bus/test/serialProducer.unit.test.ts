import { describe, expect, it } from 'vitest';
import { createInProcessBus, SerialProducer, type BusProducer, type OutgoingMessage } from '../src/index.ts';

/** A producer whose sends complete only when the test says so. */
function manualProducer(id: number, log: string[]) {
  const pending: { topic: string; settle: (error?: Error) => void }[] = [];
  const producer: BusProducer = {
    send: (topic: string, messages: readonly OutgoingMessage[]) =>
      new Promise<void>((resolve, reject) => {
        log.push(`p${id} ${topic} ${messages.map((m) => String(m.value)).join(',')}`);
        pending.push({ topic, settle: (error) => (error ? reject(error) : resolve()) });
      }),
    close: async () => {
      log.push(`p${id} closed`);
    },
  };
  return { producer, pending };
}

const msg = (value: string): OutgoingMessage => ({ key: 'k', value });
const tick = () => new Promise((r) => setTimeout(r, 0));

describe('SerialProducer', () => {
  it('sends one batch at a time per topic, in call order, while other topics proceed', async () => {
    const log: string[] = [];
    const made = manualProducer(1, log);
    const serial = new SerialProducer(() => made.producer);
    const a = serial.send('t', [msg('a')], () => false);
    const b = serial.send('t', [msg('b')], () => false);
    const c = serial.send('u', [msg('c')], () => false);
    await tick();
    expect(log).toEqual(['p1 t a', 'p1 u c']);
    made.pending.shift()?.settle();
    await a;
    await tick();
    expect(log).toEqual(['p1 t a', 'p1 u c', 'p1 t b']);
    made.pending.splice(0).forEach((p) => p.settle());
    await Promise.all([b, c]);
  });

  it('starts a fresh producer after a failed send, and the queue carries on', async () => {
    const log: string[] = [];
    const producers = [manualProducer(1, log), manualProducer(2, log)];
    let next = 0;
    const serial = new SerialProducer(() => producers[next++]!.producer);
    const a = serial.send('t', [msg('a')], () => false);
    const b = serial.send('t', [msg('b')], () => false);
    await tick();
    producers[0]!.pending.shift()?.settle(new Error('broker gone'));
    await expect(a).rejects.toThrow('broker gone');
    await tick();
    expect(log).toContain('p2 t b');
    producers[1]!.pending.shift()?.settle();
    await expect(b).resolves.toBeUndefined();
    await tick();
    // The failed producer is closed once nothing queued could still be using it.
    expect(log.at(-1)).toBe('p1 closed');
  });

  it('lets sends overlap, in call order, on a producer that declares them safe (the SQLite bus)', async () => {
    const log: string[] = [];
    const made = manualProducer(1, log);
    const serial = new SerialProducer(() => ({ ...made.producer, concurrentSendsSafe: true }));
    const a = serial.send('t', [msg('a')], () => false);
    const b = serial.send('t', [msg('b')], () => false);
    await tick();
    // Both are out before either is acknowledged: they can share one commit.
    expect(log).toEqual(['p1 t a', 'p1 t b']);
    made.pending.splice(0).forEach((p) => p.settle());
    await Promise.all([a, b]);
    await serial.close();
    expect(log.at(-1)).toBe('p1 closed');
  });

  it('skips queued batches whose request has already given up', async () => {
    const log: string[] = [];
    const made = manualProducer(1, log);
    const serial = new SerialProducer(() => made.producer);
    let gaveUp = false;
    const a = serial.send('t', [msg('a')], () => false);
    const b = serial.send('t', [msg('b')], () => gaveUp);
    await tick();
    gaveUp = true;
    made.pending.shift()?.settle();
    await Promise.all([a, b]);
    expect(log).toEqual(['p1 t a']);
  });

  it('sends the batches that queued behind a send in flight together, in call order, and settles each with that send', async () => {
    const log: string[] = [];
    const made = manualProducer(1, log);
    const serial = new SerialProducer(() => made.producer);
    const a = serial.send('t', [msg('a')]);
    const b = serial.send('t', [msg('b1'), msg('b2')]);
    const c = serial.send('t', [msg('c')]);
    let bDone = false;
    void b.then(() => (bDone = true));
    await tick();
    expect(log).toEqual(['p1 t a']);
    made.pending.shift()?.settle();
    await a;
    await tick();
    expect(log).toEqual(['p1 t a', 'p1 t b1,b2,c']);
    expect(bDone).toBe(false);
    made.pending.shift()?.settle();
    await Promise.all([b, c]);
    expect(bDone).toBe(true);
  });

  it('fails every batch of a failed merged send, then sends one batch at a time until a send succeeds', async () => {
    const log: string[] = [];
    const producers = [manualProducer(1, log), manualProducer(2, log)];
    let next = 0;
    const serial = new SerialProducer(() => producers[next++]!.producer);
    const a = serial.send('t', [msg('a')]);
    const b = serial.send('t', [msg('b')]);
    const c = serial.send('t', [msg('c')]);
    await tick();
    producers[0]!.pending.shift()?.settle();
    await a;
    await tick();
    expect(log.at(-1)).toBe('p1 t b,c');
    const d = serial.send('t', [msg('d')]);
    const e = serial.send('t', [msg('e')]);
    producers[0]!.pending.shift()?.settle(new Error('MESSAGE_TOO_LARGE'));
    await expect(b).rejects.toThrow('MESSAGE_TOO_LARGE');
    await expect(c).rejects.toThrow('MESSAGE_TOO_LARGE');
    await tick();
    expect(log.at(-1)).toBe('p2 t d');
    producers[1]!.pending.shift()?.settle();
    await d;
    await tick();
    expect(log.at(-1)).toBe('p2 t e');
    producers[1]!.pending.shift()?.settle();
    await e;
    // Merging again after a success.
    const f = serial.send('t', [msg('f')]);
    const g = serial.send('t', [msg('g')]);
    const h = serial.send('t', [msg('h')]);
    await tick();
    producers[1]!.pending.shift()?.settle();
    await f;
    await tick();
    expect(log.at(-1)).toBe('p2 t g,h');
    producers[1]!.pending.shift()?.settle();
    await Promise.all([g, h]);
  });

  it('merges no more than 3 MB into one send', async () => {
    const log: string[] = [];
    const made = manualProducer(1, log);
    const serial = new SerialProducer(() => made.producer);
    const big = (tag: string): OutgoingMessage[] => [{ key: 'k', value: tag + 'x'.repeat(1024 * 1024) }];
    const sends = [serial.send('t', [msg('a')]), ...['B', 'C', 'D', 'E'].map((t) => serial.send('t', big(t)))];
    await tick();
    made.pending.shift()?.settle();
    await tick();
    // 1 MB each: B and C fit together (2 MB), D would make 3 MB + keys — it waits for the next send.
    const sizes = (): number[] => log.slice(1).map((l) => l.split(' ')[2]!.split(',').length);
    expect(sizes()).toEqual([2]);
    made.pending.shift()?.settle();
    await tick();
    expect(sizes()).toEqual([2, 2]);
    made.pending.shift()?.settle();
    await Promise.all(sends);
  });

  it('is a BusProducer: plain send(topic, messages) delivers through the bus', async () => {
    const bus = createInProcessBus();
    await bus.ensureTopics([{ topic: 't', partitions: 1 }]);
    const producer: BusProducer = new SerialProducer(() => bus.producer());
    await producer.send('t', [msg('x'), msg('y')]);
    const seen: string[] = [];
    const consumer = bus.consumer({ groupId: 'g' });
    await consumer.run({ topics: ['t'], eachBatch: async (batch) => void seen.push(...batch.messages.map((m) => m.value.toString())) });
    for (let i = 0; i < 100 && seen.length < 2; i++) await new Promise((r) => setTimeout(r, 5));
    expect(seen).toEqual(['x', 'y']);
    await producer.close();
    await bus.close();
  });

  it('close without a limit waits for queued sends, then closes the producer', async () => {
    const log: string[] = [];
    const made = manualProducer(1, log);
    const serial = new SerialProducer(() => made.producer);
    const a = serial.send('t', [msg('a')]);
    await tick();
    let closed = false;
    const closing = serial.close().then(() => (closed = true));
    await tick();
    expect(closed).toBe(false);
    made.pending.shift()?.settle();
    await Promise.all([a, closing]);
    expect(log).toEqual(['p1 t a', 'p1 closed']);
  });

  it('close with a limit stops waiting for a send that does not finish', async () => {
    const log: string[] = [];
    const made = manualProducer(1, log);
    const serial = new SerialProducer(() => made.producer);
    void serial.send('t', [msg('stuck')]);
    await tick();
    await serial.close(20);
    expect(log).toEqual(['p1 t stuck', 'p1 closed']);
  });

  it('after close, a failed send does not start another producer', async () => {
    const log: string[] = [];
    let made = 0;
    const producers = [manualProducer(1, log), manualProducer(2, log)];
    const serial = new SerialProducer(() => producers[made++]!.producer);
    const a = serial.send('t', [msg('a')]);
    await tick();
    const closing = serial.close(20);
    producers[0]!.pending.shift()?.settle(new Error('closing'));
    await expect(a).rejects.toThrow('closing');
    await closing;
    expect(made).toBe(1);
  });

  it('keeps the send error when no new producer can be made', async () => {
    const log: string[] = [];
    const first = manualProducer(1, log);
    let calls = 0;
    const serial = new SerialProducer(() => {
      if (calls++ > 0) throw new Error('bus is closed');
      return first.producer;
    });
    const a = serial.send('t', [msg('a')]);
    await tick();
    first.pending.shift()?.settle(new Error('broker gone'));
    await expect(a).rejects.toThrow('broker gone');
    expect(calls).toBe(2);
  });
});
