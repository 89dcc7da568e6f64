import type { ChangeSignal } from './changeSignal.ts';
import { EventStoreError } from './errors.ts';
import { compileFilter, type CompiledFilter } from './filter.ts';
import { pagedIterable } from './pagedIterable.ts';
import type { ReadAllOptions, RecordedEvent, SubscribeAllOptions, Subscription } from './port.ts';
import { seqAfter, seqUpTo } from './sequencePosition.ts';

/** What the memory and SQLite adapters provide so global reads and subscriptions are written once. */
export interface SequencedLog {
  /** Sequence number of the last committed event; 0 when the log is empty. */
  head(): number;
  /** Up to `limit` events with `afterSeq < seq <= uptoSeq` that match `filter`, in sequence order. */
  page(afterSeq: number, uptoSeq: number, filter: CompiledFilter | undefined, limit: number): RecordedEvent[];
}

function seqOf(e: RecordedEvent): number {
  return Number(e.position);
}

export function checkMaxCount(maxCount: number | undefined): number {
  if (maxCount === undefined) return Number.POSITIVE_INFINITY;
  if (!(Number.isSafeInteger(maxCount) && maxCount >= 0)) throw new EventStoreError('INVALID_ARGUMENT', `maxCount must be a non-negative integer, got ${maxCount}`);
  return maxCount;
}

export function readAllFromLog(log: SequencedLog, options: ReadAllOptions, pageSize: number): AsyncIterable<RecordedEvent> {
  let started = false;
  let after = 0;
  let head = 0;
  let remaining = 0;
  let filter: CompiledFilter | undefined;
  return pagedIterable(() => {
    if (!started) {
      started = true;
      after = seqAfter(options.fromPosition);
      remaining = checkMaxCount(options.maxCount);
      filter = compileFilter(options.filter);
      head = seqUpTo(options.toPosition, log.head());
    }
    if (remaining <= 0 || after >= head) return null;
    const limit = Math.min(pageSize, remaining);
    const page = log.page(after, head, filter, limit);
    remaining -= page.length;
    const last = page[page.length - 1];
    if (page.length < limit || last === undefined) after = head;
    else after = seqOf(last);
    return page.length > 0 ? page : null;
  });
}

export interface SubscriptionRuntime {
  signal: ChangeSignal;
  /** How often to look for appends made by other processes; undefined = only in-process notifications. */
  pollIntervalMs: number | undefined;
  /** Called when the subscription ends, so the store can forget it. */
  onEnd(sub: Subscription): void;
}

export function subscribeToLog(log: SequencedLog, options: SubscribeAllOptions, pageSize: number, rt: SubscriptionRuntime): Subscription {
  let after = seqAfter(options.fromCheckpoint);
  const filter = compileFilter(options.filter);
  let closed = false;
  const nextPage = async () => {
    for (;;) {
      if (closed) return null;
      const head = log.head();
      if (head > after) {
        const page = log.page(after, head, filter, pageSize);
        const last = page[page.length - 1];
        after = page.length === pageSize && last !== undefined ? seqOf(last) : head;
        if (page.length > 0) return page;
        continue;
      }
      await rt.signal.wait(rt.pollIntervalMs);
    }
  };
  const iterable = pagedIterable(nextPage, () => {
    closed = true;
    rt.onEnd(subscription);
  });
  const subscription: Subscription = {
    [Symbol.asyncIterator]: () => {
      const it = iterable[Symbol.asyncIterator]();
      // A closed subscription stops at once, even with events still buffered.
      return {
        next: () => (closed ? it.return!() : it.next()),
        return: () => it.return!(),
      };
    },
    close: async () => {
      closed = true;
      rt.signal.notify();
      rt.onEnd(subscription);
    },
  };
  return subscription;
}
