import type { GatewayMetrics, LinkKind, RefusedReason } from './metrics.ts';

type Inc = { inc(n?: number): void };
type Set = { set(v: number): void };

/** Seconds of the fixes-per-minute ring: one bucket per second. */
const RING_SECONDS = 60;

/**
 * What the desk shows of one platform, kept beside its Prometheus series so `status()` reads
 * fields instead of scraping the registry. Fixed-size: a counter per refusal reason and a
 * 60-bucket ring of fixes per second, so recording a fix allocates nothing.
 */
export class PlatformActivity {
  /** Epoch ms (the gateway's clock) the main / down link came up; null while it is not up. */
  mainConnectedAtMs: number | null = null;
  downConnectedAtMs: number | null = null;
  /** Epoch ms of the platform's last frame on either link, to the second (as the metric). */
  lastMessageAtMs: number | null = null;
  fixesTotal = 0;
  readonly refusals: Partial<Record<RefusedReason, number>> = {};
  private readonly ringCounts = new Float64Array(RING_SECONDS);
  /** The epoch second each bucket currently counts; a bucket of an older second is stale. */
  private readonly ringSeconds = new Float64Array(RING_SECONDS).fill(-1);

  constructor(private readonly clock: () => number) {}

  addFixes(n: number): void {
    this.fixesTotal += n;
    const second = Math.floor(this.clock() / 1000);
    const i = second % RING_SECONDS;
    if (this.ringSeconds[i] !== second) {
      this.ringSeconds[i] = second;
      this.ringCounts[i] = 0;
    }
    this.ringCounts[i]! += n;
  }

  /** Fixes accepted in the 60 seconds up to and including the current one. */
  fixesLastMinute(nowMs: number): number {
    const now = Math.floor(nowMs / 1000);
    let sum = 0;
    for (let i = 0; i < RING_SECONDS; i++) {
      const s = this.ringSeconds[i]!;
      if (s > now - RING_SECONDS && s <= now) sum += this.ringCounts[i]!;
    }
    return sum;
  }

  refused(reason: RefusedReason, n = 1): void {
    this.refusals[reason] = (this.refusals[reason] ?? 0) + n;
  }

  linkUp(link: LinkKind, up: boolean): void {
    const at = up ? this.clock() : null;
    if (link === 'main') {
      // A repeated "up" (a login replacing the connection) is a new connection: a new since.
      this.mainConnectedAtMs = at;
    } else {
      this.downConnectedAtMs = at;
    }
  }
}

/**
 * The gateway's metrics with every per-platform update also recorded in that platform's
 * activity: one place where link state, last message, fixes and refusals are counted, so the
 * desk (`status()`) and Prometheus never disagree. Platforms without an activity (an unknown
 * access code's `not-logged-in`) reach only the metric.
 */
export function metricsRecordingActivity(metrics: GatewayMetrics, activityOf: (platformId: string) => PlatformActivity | undefined): GatewayMetrics {
  // The wrappers are made once per label set, as the metric children are: the hot path allocates nothing.
  const cache = new Map<string, Inc | Set>();
  const once = <C extends Inc | Set>(key: string, make: () => C): C => {
    let c = cache.get(key) as C | undefined;
    if (c === undefined) {
      c = make();
      cache.set(key, c);
    }
    return c;
  };
  return {
    ...metrics,
    linkUp: (platformId, link) =>
      once(`up\u0000${platformId}\u0000${link}`, () => {
        const child = metrics.linkUp(platformId, link);
        const activity = activityOf(platformId);
        return {
          set: (v: number) => {
            child.set(v);
            activity?.linkUp(link, v === 1);
          },
        };
      }),
    lastMessage: (platformId) =>
      once(`last\u0000${platformId}`, () => {
        const child = metrics.lastMessage(platformId);
        const activity = activityOf(platformId);
        return {
          set: (seconds: number) => {
            child.set(seconds);
            if (activity !== undefined) activity.lastMessageAtMs = seconds * 1000;
          },
        };
      }),
    fixesPublished: (platformId) =>
      once(`fixes\u0000${platformId}`, () => {
        const child = metrics.fixesPublished(platformId);
        const activity = activityOf(platformId);
        return {
          inc: (n = 1) => {
            child.inc(n);
            activity?.addFixes(n);
          },
        };
      }),
    refused: (platformId, reason) =>
      once(`refused\u0000${platformId}\u0000${reason}`, () => {
        const child = metrics.refused(platformId, reason);
        const activity = activityOf(platformId);
        return {
          inc: (n = 1) => {
            child.inc(n);
            activity?.refused(reason, n);
          },
        };
      }),
  };
}
