import type { Bus, BusProducer, OutgoingMessage } from '@dgt/bus';
import { BusError, createInProcessBus, topicNames, topicSpecs } from '@dgt/bus';

export type SendMode = 'pass' | 'hold' | 'fail';

/**
 * The in-process bus with a switch on its producers: 'hold' keeps sends waiting until
 * `release()`, 'fail' rejects them. `sent` lists what the bus accepted, in order.
 */
export interface ControlledBus extends Bus {
  mode: SendMode;
  readonly sent: { topic: string; message: OutgoingMessage }[];
  readonly sends: number[];
  /** Every producer made from this bus, in creation order: messages it got accepted, and whether it was closed. */
  readonly producers: { sent: number; closed: boolean }[];
  /** Lets every held send proceed. */
  release(): void;
  readonly heldSends: number;
}

export async function createControlledBus(): Promise<ControlledBus> {
  const inner = createInProcessBus();
  await inner.ensureTopics(topicSpecs(topicNames()));
  const held: (() => void)[] = [];
  const sent: { topic: string; message: OutgoingMessage }[] = [];
  const sends: number[] = [];
  const producers: { sent: number; closed: boolean }[] = [];
  const bus: ControlledBus = {
    mode: 'pass',
    sent,
    sends,
    producers,
    get heldSends() {
      return held.length;
    },
    release() {
      for (const r of held.splice(0)) r();
    },
    durable: inner.durable,
    ensureTopics: (t) => inner.ensureTopics(t),
    consumer: (o) => inner.consumer(o),
    close: () => inner.close(),
    producer(): BusProducer {
      const p = inner.producer();
      const record = { sent: 0, closed: false };
      producers.push(record);
      return {
        send: async (topic, messages) => {
          if (bus.mode === 'hold') await new Promise<void>((resolve) => held.push(resolve));
          if (bus.mode === 'fail') throw new BusError('SEND_FAILED', 'test bus refuses sends');
          await p.send(topic, messages);
          record.sent += messages.length;
          sends.push(messages.length);
          for (const message of messages) sent.push({ topic, message });
        },
        close: () => {
          record.closed = true;
          return p.close();
        },
      };
    },
  };
  return bus;
}
