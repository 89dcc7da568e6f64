import { AppError, TokenBuckets, type Principal } from '@dgt/http';

export interface IngestRateLimitOptions {
  readonly eventsPerS: number;
  readonly burst: number;
  /** Monotonic ms; tests step it. */
  readonly now?: () => number;
}

/**
 * Events per second per API key, as a token bucket: a key may post `burst` events at once and
 * `eventsPerS` on average. Checked twice: before the body is read (a key already out of tokens
 * costs no parsing), and once the batch's size is known (charged its items, valid or not —
 * refusing an item costs the gateway as much as accepting it).
 */
export class IngestRateLimit {
  readonly #buckets: TokenBuckets;

  constructor(private readonly options: IngestRateLimitOptions) {
    this.#buckets = new TokenBuckets({ ratePerS: options.eventsPerS, burst: options.burst, ...(options.now === undefined ? {} : { now: options.now }) });
  }

  /** Throws RATE_LIMITED (429 + Retry-After) when `principal` has no tokens left. */
  beforeBody(principal: Principal): void {
    const take = this.#buckets.check(principal.keyId);
    if (!take.ok) throw this.#limited(take.retryAfterSeconds);
  }

  /** Spends `events` tokens, or throws RATE_LIMITED and nothing of the batch is published. */
  charge(principal: Principal, events: number): void {
    const take = this.#buckets.take(principal.keyId, events);
    if (!take.ok) throw this.#limited(take.retryAfterSeconds);
  }

  #limited(retryAfterSeconds: number): AppError {
    const message = `this API key may post ${this.options.eventsPerS} events per second (bursts of ${this.options.burst}); nothing of this batch was accepted: retry it in ${retryAfterSeconds} s`;
    return new AppError('RATE_LIMITED', message, undefined, { retryAfterSeconds });
  }
}
