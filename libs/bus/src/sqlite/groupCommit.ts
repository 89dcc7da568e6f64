import type { Db } from './openBusDatabase.ts';

export interface GroupCommitHooks {
  /** True when `beforeCommit` has something to write even without a queued write. */
  readonly hasWork: () => boolean;
  /** Inside the transaction, after the queued writes (e.g. committed offsets, log bounds). */
  readonly beforeCommit: () => void;
  /** After the commit, before the writers' promises resolve. */
  readonly afterCommit: () => void;
  /** After a failed transaction (rolled back), before the writers' promises reject. */
  readonly afterRollback: (error: unknown) => void;
}

interface Job {
  /** What the job costs inside the transaction (messages, for the bus). */
  readonly weight: number;
  readonly write: () => void;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Group commit: every write queued within one event-loop turn (or `windowMs`) runs in one SQLite
 * transaction, and each writer's promise settles only after that transaction committed. A commit
 * is the expensive part (a WAL write, with FULL an fsync), so many HTTP requests arriving
 * together pay for one. While a transaction runs (synchronously) new requests queue up behind it
 * and share the next one: the busier the bus, the larger its transactions.
 *
 * A transaction takes queued writes up to `maxWeight` (the first always goes in), the rest go in
 * the next one, scheduled at once: a transaction blocks the event loop while it runs, and HTTP
 * requests must get their turn between two.
 *
 * The writes of one transaction succeed or fail together; callers check their input before
 * queueing, so what remains to fail is the file itself (disk full, I/O error).
 */
export class GroupCommit {
  private queue: Job[] = [];
  private timer: NodeJS.Timeout | NodeJS.Immediate | undefined;
  private transactionCount = 0;
  private closed = false;

  constructor(
    private readonly db: Db,
    private readonly windowMs: number,
    private readonly maxWeight: number,
    private readonly hooks: GroupCommitHooks,
  ) {}

  /** Queues `write` (run inside the next transaction); resolves once that transaction committed. */
  submit(write: () => void, weight = 1): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ write, weight, resolve, reject });
      this.schedule();
    });
  }

  /** Asks for a transaction soon even without a queued write: the hooks have something to write. */
  schedule(): void {
    if (this.timer !== undefined || this.closed) return;
    this.timer = this.windowMs > 0 ? setTimeout(() => this.flush(), this.windowMs) : setImmediate(() => this.flush());
  }

  /** Runs what is queued now (up to `maxWeight`, or everything with `all`). After `close()` the closer calls it once with `all`. */
  flush(all = false): void {
    this.cancelTimer();
    let taken = 0;
    let weight = 0;
    while (taken < this.queue.length && (all || taken === 0 || weight + this.queue[taken]!.weight <= this.maxWeight)) weight += this.queue[taken++]!.weight;
    const jobs = this.queue.splice(0, taken);
    if (this.queue.length > 0) this.schedule();
    if (jobs.length === 0 && !this.hooks.hasWork()) return;
    try {
      this.db.transaction(() => {
        for (const job of jobs) job.write();
        this.hooks.beforeCommit();
      })();
    } catch (error) {
      this.hooks.afterRollback(error);
      for (const job of jobs) job.reject(error);
      return;
    }
    this.transactionCount++;
    this.hooks.afterCommit();
    for (const job of jobs) job.resolve();
  }

  /** Transactions committed so far. */
  transactions(): number {
    return this.transactionCount;
  }

  /** No more scheduled transactions; the caller flushes what is left once, then closes the file. */
  close(): void {
    this.closed = true;
    this.cancelTimer();
  }

  private cancelTimer(): void {
    if (this.timer === undefined) return;
    clearTimeout(this.timer as NodeJS.Timeout);
    clearImmediate(this.timer as NodeJS.Immediate);
    this.timer = undefined;
  }
}
