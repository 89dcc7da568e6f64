import { Jt808DecodeError } from './errors.ts';
import type { Jt808Header } from './header.ts';

export interface SubpacketLimits {
  /** Packages being assembled at once; the least recently touched is evicted beyond this. */
  readonly maxPending: number;
  /** Bytes held across all pending packages. */
  readonly maxPendingBytes: number;
  /** Largest `total` accepted for one package. */
  readonly maxParts: number;
  /** A package untouched for longer than this (caller's clock) is dropped. */
  readonly staleAfterMs: number;
}

export interface SubpacketOptions extends Partial<SubpacketLimits> {
  /**
   * Message ids worth reassembling (default: any). A part of any other id is rejected as
   * 'unknown-message' before a byte of it is stored, whatever its index: a caller that cannot
   * use the whole message should not hold hundreds of its parts first.
   */
  readonly messageIds?: ReadonlySet<number>;
}

export const defaultSubpacketLimits: SubpacketLimits = {
  maxPending: 1024,
  maxPendingBytes: 4 * 1024 * 1024,
  maxParts: 256,
  staleAfterMs: 120_000,
};

export type AssemblyOutcome =
  | { readonly kind: 'pending'; readonly received: number; readonly total: number }
  | { readonly kind: 'duplicate'; readonly index: number }
  /** `header` is part 1's header with `subpacket` cleared and `bodyLength` = merged length. */
  | { readonly kind: 'complete'; readonly header: Jt808Header; readonly body: Uint8Array }
  | { readonly kind: 'rejected'; readonly error: Jt808DecodeError };

interface Pending {
  readonly total: number;
  readonly parts: Map<number, Uint8Array>;
  bytes: number;
  lastSeenMs: number;
  firstHeader: Jt808Header;
}

export interface AssemblerStats {
  completed: number;
  duplicates: number;
  rejected: number;
  /** Packages dropped unfinished (stale, over a limit, or restarted with another total). */
  evicted: number;
}

/**
 * Reassembles sub-packaged messages keyed by terminal phone + message id. Memory is bounded by
 * the limits; time comes from the caller (`nowMs`), never from a clock, so replays are exact.
 */
export class SubpacketAssembler {
  readonly limits: SubpacketLimits;
  private readonly messageIds: ReadonlySet<number> | undefined;
  readonly stats: AssemblerStats = { completed: 0, duplicates: 0, rejected: 0, evicted: 0 };
  // Map order doubles as LRU order: every touch re-inserts the key at the end.
  private readonly pending = new Map<string, Pending>();
  private bytes = 0;

  constructor(options: SubpacketOptions = {}) {
    const { messageIds, ...limits } = options;
    this.limits = { ...defaultSubpacketLimits, ...limits };
    this.messageIds = messageIds;
  }

  get pendingCount(): number {
    return this.pending.size;
  }

  get pendingBytes(): number {
    return this.bytes;
  }

  push(header: Jt808Header, body: Uint8Array, nowMs: number): AssemblyOutcome {
    this.evictStale(nowMs);
    const sub = header.subpacket;
    if (sub === undefined) return this.reject(new Jt808DecodeError('bad-value', 'frame is not a sub-package', header));
    if (this.messageIds !== undefined && !this.messageIds.has(header.messageId)) {
      return this.reject(new Jt808DecodeError('unknown-message', `sub-packaged message 0x${header.messageId.toString(16).padStart(4, '0')} is not reassembled`, header));
    }
    if (sub.total > this.limits.maxParts) {
      return this.reject(new Jt808DecodeError('subpackage-limit', `${sub.total} parts exceed the limit of ${this.limits.maxParts}`, header));
    }
    if (body.length > this.limits.maxPendingBytes) {
      return this.reject(new Jt808DecodeError('subpackage-limit', `part of ${body.length} bytes exceeds the pending-bytes limit`, header));
    }
    const key = `${header.phone}:${header.messageId}`;
    let entry = this.pending.get(key);
    if (entry !== undefined && entry.total !== sub.total) {
      this.drop(key, entry);
      entry = undefined;
    }
    if (entry === undefined) {
      entry = { total: sub.total, parts: new Map(), bytes: 0, lastSeenMs: nowMs, firstHeader: header };
    } else {
      this.pending.delete(key);
      if (entry.parts.has(sub.index)) {
        this.stats.duplicates++;
        entry.lastSeenMs = nowMs;
        this.pending.set(key, entry);
        return { kind: 'duplicate', index: sub.index };
      }
    }
    // Make room before storing; the current package is out of the map, so it is never the victim.
    while (this.pending.size >= this.limits.maxPending || this.bytes + body.length > this.limits.maxPendingBytes) {
      const oldest = this.pending.entries().next();
      if (oldest.done === true) break;
      this.drop(oldest.value[0], oldest.value[1]);
    }
    if (this.bytes + body.length > this.limits.maxPendingBytes) {
      if (entry.bytes > 0) {
        this.bytes -= entry.bytes;
        this.stats.evicted++;
      }
      return this.reject(new Jt808DecodeError('subpackage-limit', 'pending sub-packages exceed the byte limit', header));
    }
    // Copy: the caller's buffer may be reused for the next chunk.
    entry.parts.set(sub.index, body.slice());
    entry.bytes += body.length;
    this.bytes += body.length;
    entry.lastSeenMs = nowMs;
    if (sub.index === 1) entry.firstHeader = header;
    if (entry.parts.size < entry.total) {
      this.pending.set(key, entry);
      return { kind: 'pending', received: entry.parts.size, total: entry.total };
    }
    this.bytes -= entry.bytes;
    const merged = new Uint8Array(entry.bytes);
    let o = 0;
    for (let i = 1; i <= entry.total; i++) {
      const part = entry.parts.get(i)!;
      merged.set(part, o);
      o += part.length;
    }
    this.stats.completed++;
    return { kind: 'complete', header: { ...entry.firstHeader, subpacket: undefined, bodyLength: merged.length }, body: merged };
  }

  /** Drop packages untouched for longer than staleAfterMs; returns how many were dropped. */
  evictStale(nowMs: number): number {
    let n = 0;
    // LRU order means the first fresh entry ends the scan (if the caller's clock went backwards,
    // eviction is merely delayed; maxPending still bounds memory).
    for (const [key, entry] of this.pending) {
      if (nowMs - entry.lastSeenMs <= this.limits.staleAfterMs) break;
      this.drop(key, entry);
      n++;
    }
    return n;
  }

  private drop(key: string, entry: Pending): void {
    this.pending.delete(key);
    this.bytes -= entry.bytes;
    this.stats.evicted++;
  }

  private reject(error: Jt808DecodeError): AssemblyOutcome {
    this.stats.rejected++;
    return { kind: 'rejected', error };
  }
}
