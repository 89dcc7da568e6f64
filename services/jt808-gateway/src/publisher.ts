import type { BusProducer, OutgoingMessage } from '@dgt/bus';

interface Waiter {
  readonly messages: readonly OutgoingMessage[];
  resolve(): void;
  reject(error: unknown): void;
}

export interface MicroBatchOptions {
  /** A send carries at least this many messages when that many are waiting. */
  readonly batchSize: number;
  /** How long the first message of an idle publisher waits for company. */
  readonly lingerMs: number;
  /** Observes each completed send (size, seconds, ok). */
  readonly onSend?: (messages: number, seconds: number, ok: boolean) => void;
}

/**
 * Group commit towards the bus: reports from all connections are collected and sent together,
 * one send in flight at a time (per-key order then holds across sends). Each caller's promise
 * settles with the send that carried its messages, so a terminal is acked only after the bus
 * has accepted its report. A caller's messages are never split across sends.
 */
export class MicroBatchPublisher {
  private queue: Waiter[] = [];
  private queued = 0;
  private inFlight: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly producer: BusProducer,
    private readonly topic: string,
    private readonly options: MicroBatchOptions,
  ) {}

  /** Messages waiting for a send (not yet handed to the bus). */
  get pending(): number {
    return this.queued;
  }

  publish(messages: readonly OutgoingMessage[]): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ messages, resolve, reject });
      this.queued += messages.length;
      if (this.inFlight !== undefined) return; // the running send picks them up when it settles
      if (this.queued >= this.options.batchSize) this.sendNext();
      else this.timer ??= setTimeout(() => this.sendNext(), this.options.lingerMs);
    });
  }

  /** Resolves once everything published so far has been settled. */
  async flush(): Promise<void> {
    while (this.queue.length > 0 || this.inFlight !== undefined) {
      if (this.inFlight === undefined) this.sendNext();
      await this.inFlight?.catch(() => undefined);
    }
  }

  private sendNext(): void {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.inFlight !== undefined || this.queue.length === 0) return;
    let take = 0;
    let count = 0;
    while (take < this.queue.length && count < this.options.batchSize) count += this.queue[take++]!.messages.length;
    const batch = take === this.queue.length ? this.queue : this.queue.slice(0, take);
    this.queue = take === this.queue.length ? [] : this.queue.slice(take);
    const messages: OutgoingMessage[] = [];
    for (const w of batch) for (const m of w.messages) messages.push(m);
    this.queued -= messages.length;
    const started = performance.now();
    const send = (async () => this.producer.send(this.topic, messages))();
    this.inFlight = send.then(
      () => {
        this.options.onSend?.(messages.length, (performance.now() - started) / 1000, true);
        for (const w of batch) w.resolve();
      },
      (error: unknown) => {
        this.options.onSend?.(messages.length, (performance.now() - started) / 1000, false);
        for (const w of batch) w.reject(error);
      },
    );
    void this.inFlight.finally(() => {
      this.inFlight = undefined;
      if (this.queue.length > 0) this.sendNext();
    });
  }
}
