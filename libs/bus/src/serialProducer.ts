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
  /** Per topic: batches waiting for the send in flight; the next send carries all of them. */
  private readonly waiting = new Map<string, Waiting[]>();
  /** Topics whose last merged send failed: their next sends go one batch each until one succeeds. */
  private readonly unmerged = new Set<string>();
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
    const run = this.producer.concurrentSendsSafe === true ? Promise.resolve(sendIfWanted()) : this.enqueue(topic, messages, abandoned);
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

  /**
   * Batches queued behind a send in flight go out together as one send when it is done (group
   * send): under load one produce request carries every waiting request's messages, in call
   * order, instead of one round trip each. Still one send per topic at a time, so the
   * sequence-number windows above stay closed; each caller's promise settles with the send that
   * carried its messages. At most MAX_MERGED_BYTES are merged (the first batch always goes): the
   * broker limits a partition's batch to 1 MB, and should a merged send fail anyway, the topic's
   * next sends go one batch each again until one succeeds.
   */
  private enqueue(topic: string, messages: readonly OutgoingMessage[], abandoned: () => boolean): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      let queue = this.waiting.get(topic);
      const first = queue === undefined;
      if (queue === undefined) {
        queue = [];
        this.waiting.set(topic, queue);
      }
      queue.push({ messages, abandoned, resolve, reject });
      // Nothing in flight for this topic: the send starts now (the queue lives while one is).
      if (first) void this.sendWaiting(topic);
    });
  }

  /** Sends what waits for `topic` (merged), then again while more arrived meanwhile. */
  private async sendWaiting(topic: string): Promise<void> {
    for (;;) {
      const queue = this.waiting.get(topic) ?? [];
      const taken: Waiting[] = [];
      let bytes = 0;
      while (queue.length > 0) {
        const next = queue[0]!;
        if (next.abandoned()) {
          queue.shift();
          next.resolve();
          continue;
        }
        const size = bytesOf(next.messages);
        if (taken.length > 0 && (this.unmerged.has(topic) || bytes + size > MAX_MERGED_BYTES)) break;
        taken.push(queue.shift()!);
        bytes += size;
      }
      if (taken.length === 0) {
        this.waiting.delete(topic);
        return;
      }
      const messages = taken.length === 1 ? taken[0]!.messages : taken.flatMap((w) => w.messages);
      try {
        await this.sendNow(topic, messages);
        this.unmerged.delete(topic);
        for (const w of taken) w.resolve();
      } catch (error) {
        if (taken.length > 1) this.unmerged.add(topic);
        for (const w of taken) w.reject(error);
      }
    }
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

interface Waiting {
  readonly messages: readonly OutgoingMessage[];
  readonly abandoned: () => boolean;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Most bytes (keys and values) one merged send carries. Kafka's default limit is 1 MB per
 * partition's record batch; topics spread keys over partitions (positions: 6), so 3 MB merged
 * stays under it for any spread but a few hot keys — and a failed merged send falls back to
 * single batches.
 */
const MAX_MERGED_BYTES = 3 * 1024 * 1024;

function bytesOf(messages: readonly OutgoingMessage[]): number {
  let n = 0;
  for (const m of messages) n += m.key.length + (typeof m.value === 'string' ? m.value.length : m.value.byteLength);
  return n;
}
