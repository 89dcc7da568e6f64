import { type CaseRecorded, type CaseState, type CaseStatus, evolveCase } from '@dgt/cases';
import { epochMs } from '@dgt/events';
import { type EventStore, type Position, streamPrefixes, type Subscription } from '@dgt/eventstore';

export interface IndexedCase {
  readonly state: CaseState;
  /** Revision of the case's last event folded. */
  readonly revision: number;
  /** occurredAt of that event: when the case last changed. */
  readonly updatedAt: string;
}

export interface CaseQuery {
  /** Only this carrier's cases (a carrier's key always passes its own). */
  readonly scopeCarrierId: string | null;
  readonly status?: CaseStatus | undefined;
  readonly kind?: string | undefined;
  readonly carrierId?: string | undefined;
  readonly vehicleId?: string | undefined;
  /** openedAt at or after (inclusive). */
  readonly from?: string | undefined;
  /** openedAt before (exclusive). */
  readonly to?: string | undefined;
  readonly limit: number;
  readonly cursor?: string | undefined;
}

export interface CasePage {
  readonly items: readonly IndexedCase[];
  readonly nextCursor: string | null;
}

export class BadCursorError extends Error {
  override readonly name = 'BadCursorError';
}

/** How long a command waits for the index to show its own write before answering anyway. */
const WAIT_FOR_WRITE_MS = 5_000;

/**
 * The case list (`GET /v1/cases`): every case folded with `evolveCase`, kept in memory from a
 * catch-up subscription to the store's `case-` streams. In memory because cases are thousands,
 * not millions (each a few hundred bytes), and a restart rebuilds it from the store in moments;
 * once that stops being true, a SQLite read model kept by the projector is the next step.
 *
 * Read-your-writes: a command waits (`seen`) until the index has folded the revision it appended,
 * so the list a client asks for next shows its change.
 */
export class CaseIndex {
  readonly #cases = new Map<string, IndexedCase>();
  /** Cases by stream revision seen, for `seen`, including streams that are not (yet) a case. */
  readonly #revisions = new Map<string, number>();
  readonly #waiters = new Map<string, { revision: number; resolve: () => void }[]>();
  #subscription: Subscription | undefined;
  #closed = false;
  readonly ready: Promise<void>;
  readonly #running: Promise<void>;

  constructor(
    private readonly store: EventStore,
    private readonly onError: (error: unknown) => void,
  ) {
    let caughtUp!: () => void;
    this.ready = new Promise((resolve) => (caughtUp = resolve));
    this.#running = this.#run(caughtUp).catch((error: unknown) => {
      if (!this.#closed) onError(error);
      caughtUp();
    });
  }

  /** Reads what is recorded (then `ready`), then follows new case events live. */
  async #run(caughtUp: () => void): Promise<void> {
    const filter = { streamPrefixes: [streamPrefixes.case] };
    let checkpoint: Position | undefined;
    for await (const r of this.store.readAll({ filter })) {
      if (this.#closed) return;
      this.#apply(r.streamId, r.revision, r.event as unknown as CaseRecorded);
      checkpoint = r.position;
    }
    caughtUp();
    if (this.#closed) return;
    this.#subscription = this.store.subscribeAll({ filter, ...(checkpoint === undefined ? {} : { fromCheckpoint: checkpoint }) });
    for await (const r of this.#subscription) this.#apply(r.streamId, r.revision, r.event as unknown as CaseRecorded);
  }

  #apply(streamId: string, revision: number, event: CaseRecorded): void {
    const caseId = streamId.slice(streamPrefixes.case.length);
    const seen = this.#revisions.get(caseId);
    if (seen !== undefined && revision <= seen) return;
    this.#revisions.set(caseId, revision);
    const state = evolveCase(this.#cases.get(caseId)?.state ?? null, event);
    if (state !== null) this.#cases.set(caseId, { state, revision, updatedAt: event.occurredAt });
    const waiting = this.#waiters.get(caseId);
    if (waiting !== undefined) {
      const still = waiting.filter((w) => {
        if (w.revision > revision) return true;
        w.resolve();
        return false;
      });
      if (still.length === 0) this.#waiters.delete(caseId);
      else this.#waiters.set(caseId, still);
    }
  }

  /** Resolves once the index folded `revision` of the case (or after a few seconds: the write stands, only the list may lag). */
  async seen(caseId: string, revision: number): Promise<void> {
    if ((this.#revisions.get(caseId) ?? -1) >= revision || this.#closed) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, WAIT_FOR_WRITE_MS);
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      this.#waiters.set(caseId, [...(this.#waiters.get(caseId) ?? []), { revision, resolve: done }]);
    });
  }

  get(caseId: string): IndexedCase | undefined {
    return this.#cases.get(caseId);
  }

  get size(): number {
    return this.#cases.size;
  }

  /** Newest opened first (then by case id, descending), after the cursor's case. */
  list(q: CaseQuery): CasePage {
    const after = q.cursor === undefined ? undefined : decodeCursor(q.cursor);
    const fromMs = q.from === undefined ? undefined : epochMs(q.from);
    const toMs = q.to === undefined ? undefined : epochMs(q.to);
    const rows: { c: IndexedCase; ms: number }[] = [];
    for (const c of this.#cases.values()) {
      const s = c.state;
      if (q.scopeCarrierId !== null && s.carrierId !== q.scopeCarrierId) continue;
      if (q.status !== undefined && s.status !== q.status) continue;
      if (q.kind !== undefined && s.kind !== q.kind) continue;
      if (q.carrierId !== undefined && s.carrierId !== q.carrierId) continue;
      if (q.vehicleId !== undefined && s.vehicleId !== q.vehicleId) continue;
      const ms = epochMs(s.openedAt);
      if (fromMs !== undefined && ms < fromMs) continue;
      if (toMs !== undefined && ms >= toMs) continue;
      if (after !== undefined && !(ms < after.ms || (ms === after.ms && s.caseId < after.caseId))) continue;
      rows.push({ c, ms });
    }
    rows.sort((a, b) => b.ms - a.ms || (a.c.state.caseId < b.c.state.caseId ? 1 : -1));
    const page = rows.slice(0, q.limit);
    const last = page.at(-1);
    return { items: page.map((r) => r.c), nextCursor: rows.length > q.limit && last !== undefined ? encodeCursor(last.ms, last.c.state.caseId) : null };
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const waiting of this.#waiters.values()) for (const w of waiting) w.resolve();
    this.#waiters.clear();
    await this.#subscription?.close();
    await this.#running;
  }
}

function encodeCursor(ms: number, caseId: string): string {
  return Buffer.from(JSON.stringify([ms, caseId]), 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): { ms: number; caseId: string } {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && Number.isFinite(value[0]) && typeof value[1] === 'string') return { ms: value[0] as number, caseId: value[1] };
  } catch {
    // answered below
  }
  throw new BadCursorError('not a cursor this listing gave out');
}
