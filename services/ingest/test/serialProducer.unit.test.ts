import type { BusProducer, OutgoingMessage } from '@dgt/bus';
import { describe, expect, it } from 'vitest';
import { SerialProducer } from '../src/serialProducer.ts';

/** A producer whose sends complete only when the test says so. */
function manualProducer(id: number, log: string[]) {
  const pending: { topic: string; settle: (error?: Error) => void }[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const producer: BusProducer = {
    send: (topic: string, messages: readonly OutgoingMessage[]) =>
      new Promise<void>((resolve, reject) => {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        log.push(`p${id} ${topic} ${messages.map((m) => m.value).join(',')}`);
        pending.push({ topic, settle: (error) => (inFlight--, error ? reject(error) : resolve()) });
      }),
    close: async () => {
      log.push(`p${id} closed`);
    },
  };
  return { producer, pending, maxInFlight: () => maxInFlight };
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
});
