export interface TokenBucketOptions {
  /** Tokens added per second. */
  readonly ratePerS: number;
  /** Most tokens a bucket holds: how much may be spent at once after a quiet spell. */
  readonly burst: number;
  /** Monotonic clock in ms. Default `performance.now`. */
  readonly now?: () => number;
}

export type TokenTake = { readonly ok: true } | { readonly ok: false; readonly retryAfterSeconds: number };

/**
 * One token bucket per key (an API key id), for limits weighted by cost: the ingest gateway
 * charges a batch its number of events, which a per-request limiter (`@fastify/rate-limit`, used
 * by the API) cannot express — one request may carry 1 event or 5,000. A batch larger than what
 * the bucket holds is let through when the bucket is full and leaves it in debt, so no batch the
 * gateway accepts can be refused forever. Keys come from configuration, so the map stays small.
 */
export class TokenBuckets {
  readonly #rate: number;
  readonly #burst: number;
  readonly #now: () => number;
  readonly #buckets = new Map<string, { tokens: number; atMs: number }>();

  constructor(options: TokenBucketOptions) {
    if (!(options.ratePerS > 0) || !(options.burst > 0)) throw new RangeError('ratePerS and burst must be positive');
    this.#rate = options.ratePerS;
    this.#burst = options.burst;
    this.#now = options.now ?? (() => performance.now());
  }

  /** Spends `cost` tokens of `key`'s bucket, or says when enough will have accrued. */
  take(key: string, cost: number): TokenTake {
    const bucket = this.#refilled(key);
    const needed = Math.min(cost, this.#burst);
    if (bucket.tokens < needed) return { ok: false, retryAfterSeconds: this.#secondsUntil(bucket.tokens, needed) };
    bucket.tokens -= cost;
    return { ok: true };
  }

  /** Whether `key` could spend anything now (checked before a request body is read). */
  check(key: string): TokenTake {
    const bucket = this.#refilled(key);
    return bucket.tokens >= 1 ? { ok: true } : { ok: false, retryAfterSeconds: this.#secondsUntil(bucket.tokens, 1) };
  }

  #refilled(key: string): { tokens: number; atMs: number } {
    const now = this.#now();
    let bucket = this.#buckets.get(key);
    if (bucket === undefined) {
      bucket = { tokens: this.#burst, atMs: now };
      this.#buckets.set(key, bucket);
      return bucket;
    }
    bucket.tokens = Math.min(this.#burst, bucket.tokens + ((now - bucket.atMs) / 1000) * this.#rate);
    bucket.atMs = now;
    return bucket;
  }

  #secondsUntil(tokens: number, needed: number): number {
    return Math.max(1, Math.ceil((needed - tokens) / this.#rate));
  }
}
