import type { BusProducer, OutgoingMessage } from './port.ts';

/**
 * Sends one batch at a time per topic, and starts a fresh producer after any failed send.
 * Wrap every long-lived producer in it: `new SerialProducer(() => bus.producer())`.
 *
 * Why: kafkajs (2.2.4, producer/sendMessages.js) numbers each partition's batches and rolls
 * the number back when a produce request fails. If that request had in fact been appended
 * (response lost in a broker restart), another send to the same partition that slips in
 * between the attempts, or the next send after the final failure, reuses the sequence
 * number; the broker takes it for a duplicate, kafkajs reports success, and the batch is
 * silently lost (compare kafkajs issue #1005). One send per topic at a time, and a new
 * producer id after every failure, close both windows. kafkajs already sends one request per
 * broker at a time, so this costs little throughput. A producer that declares
 * `concurrentSendsSafe` (the SQLite bus) has no such window: its sends pass straight through.
 */
export class SerialProducer implements BusProducer {
  private producer: BusProducer;
  private readonly tails = new Map<string, Promise<unknown>>();
  private closed = false;

  constructor(private readonly create: () => BusProducer) {
    this.producer = create();
  }

  /**
   * Queues behind earlier sends to `topic`. `abandoned()` is asked just before sending: a
   * request that already gave up (e.g. timed out for its caller) sends nothing.
   */
  send(topic: string, messages: readonly OutgoingMessage[], abandoned: () => boolean = () => false): Promise<void> {
    const previous = this.tails.get(topic) ?? Promise.resolve();
    // A producer without kafkajs's sequence-number hazard keeps call order itself: queueing
    // would only make every request wait for the commit of the one before.
    const sendIfWanted = (): Promise<void> | undefined => (abandoned() ? undefined : this.sendNow(topic, messages));
    const run = this.producer.concurrentSendsSafe === true ? Promise.resolve(sendIfWanted()) : previous.then(sendIfWanted);
    const tail = Promise.all([previous, run.catch(() => undefined)]).then(() => undefined);
    this.tails.set(topic, tail);
    void tail.then(() => {
      if (this.tails.get(topic) === tail) this.tails.delete(topic);
    });
    return run;
  }

  /**
   * Waits for queued sends, then closes the producer. With `maxWaitMs` it waits at most that
   * long (by then their requests have timed out and their callers will retry).
   */
  async close(maxWaitMs?: number): Promise<void> {
    this.closed = true;
    const queued = Promise.all(this.tails.values());
    if (maxWaitMs === undefined) {
      await queued;
    } else {
      let timer: NodeJS.Timeout | undefined;
      const gaveUp = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, maxWaitMs);
      });
      await Promise.race([queued, gaveUp]);
      clearTimeout(timer);
    }
    await this.producer.close();
  }

  private async sendNow(topic: string, messages: readonly OutgoingMessage[]): Promise<void> {
    const producer = this.producer;
    try {
      await producer.send(topic, messages);
    } catch (error) {
      if (this.producer === producer && !this.closed) this.replace(producer);
      throw error;
    }
  }

  private replace(failed: BusProducer): void {
    try {
      this.producer = this.create();
    } catch {
      // No new producer (e.g. the bus is closing): the caller gets the send's error, not this one.
      return;
    }
    // Other topics may still be sending on the old producer; close it once they are done.
    void Promise.all(this.tails.values()).then(() => failed.close().catch(() => undefined));
  }
}
