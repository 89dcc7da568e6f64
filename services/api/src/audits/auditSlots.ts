import { AppError } from '@dgt/http';

/** What a caller refused for lack of room is told to wait: about two whole-store audits. */
export const AUDIT_RETRY_AFTER_SECONDS = 10;

/**
 * How many audits run at once, and how many may wait for a turn. Each running audit holds a
 * worker thread and a core for seconds; beyond the queue a request is refused at once with
 * 503 UNAVAILABLE and Retry-After (the API is busy, not the caller too fast, so not 429),
 * rather than piling up behind work that would finish after the caller gave up.
 */
export class AuditSlots {
  #running = 0;
  readonly #waiting: { start: () => void; refuse: (error: AppError) => void }[] = [];
  #closed = false;

  constructor(
    readonly maxRunning: number,
    readonly maxQueued: number,
  ) {}

  get running(): number {
    return this.#running;
  }

  get queued(): number {
    return this.#waiting.length;
  }

  /** Resolves with the release of a turn once one is free; rejects with 503 when the queue is full or the API closes. */
  acquire(): Promise<() => void> {
    if (this.#closed) return Promise.reject(closing());
    if (this.#running < this.maxRunning) return Promise.resolve(this.#turn());
    if (this.#waiting.length >= this.maxQueued) {
      return Promise.reject(new AppError('UNAVAILABLE', `${this.#running} audits are running and ${this.#waiting.length} waiting, the most this API takes: retry later`, undefined, { retryAfterSeconds: AUDIT_RETRY_AFTER_SECONDS }));
    }
    return new Promise((resolve, reject) => this.#waiting.push({ start: () => resolve(this.#turn()), refuse: reject }));
  }

  /** Refuses every waiting audit (the API is closing); running ones end with their runner. */
  close(): void {
    this.#closed = true;
    for (const w of this.#waiting.splice(0)) w.refuse(closing());
  }

  #turn(): () => void {
    this.#running++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#running--;
      const next = this.#waiting.shift();
      next?.start();
    };
  }
}

function closing(): AppError {
  return new AppError('UNAVAILABLE', 'the API is shutting down; retry the audit on another instance or later', undefined, { retryAfterSeconds: AUDIT_RETRY_AFTER_SECONDS });
}
