import { type CaseRecorded, type CaseState, type CaseStatus, evolveCase } from '@dgt/cases';
import { type EventStore, type Position, type RecordedEvent, streamPrefixes, type Subscription } from '@dgt/eventstore';
import { type CaseCounty, type CaseReadModel, type CaseRow, caseRowOf, createMemoryReadModelStore, type Page } from '@dgt/readmodels';

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
  /** Six-digit county code of the violation's place. */
  readonly county?: string | undefined;
  /** openedAt at or after (inclusive). */
  readonly from?: string | undefined;
  /** openedAt before (exclusive). */
  readonly to?: string | undefined;
  readonly limit: number;
  readonly cursor?: string | undefined;
}

export type CasePage = Page<CaseRow>;

export interface CaseIndexOptions {
  /**
   * Where the folded cases are kept (written only by this index). A durable one (the SQLite
   * read-model adapter) lets a restart resume from its checkpoint instead of re-reading every
   * case; default: a private in-memory one, rebuilt from the store at each start.
   */
  readonly readModel?: CaseReadModel;
  /** Which county a case's place lies in (`CountyIndex` of `@dgt/geo`); without it cases have no county. */
  readonly counties?: CountyLookup;
}

/** The one question the case list asks of the county boundaries. */
export interface CountyLookup {
  countyAt(lon: number, lat: number): CaseCounty | null;
}

/** How long a command waits for the index to show its own write before answering anyway. */
const WAIT_FOR_WRITE_MS = 5_000;
/** Events folded per commit while catching up (live events are committed one by one). */
const CATCH_UP_BATCH = 500;
const ALL = { carrierId: null };

function stateOf(row: CaseRow): CaseState {
  const { revision: _revision, updatedAt: _updatedAt, county: _county, place, ...state } = row;
  // Rows of cases opened before places were recorded have none.
  return { ...state, place: place ?? null };
}

/**
 * The case list (`GET /v1/cases`): every case folded with `evolveCase` into a case read model
 * (`CaseReadModel` of `@dgt/readmodels`), following the store's `case-` streams from the read
 * model's checkpoint: first what is recorded (then `ready`), then new events live.
 *
 * Read-your-writes: a command waits (`seen`) until the index has committed the revision it
 * appended, so the list a client asks for next shows its change.
 */
export class CaseIndex {
  readonly #readModel: CaseReadModel;
  /** The read model when the index made it (closed with the index). */
  readonly #owned: { close(): Promise<void> } | undefined;
  /** The state each case touched since start was folded to (`null`: a stream that is not a case), for the next event. */
  readonly #states = new Map<string, CaseState | null>();
  /** Revision folded per stream, committed or not: a repeated event is skipped. */
  readonly #folded = new Map<string, number>();
  /** Revision committed to the read model per stream, for `seen`. */
  readonly #committed = new Map<string, number>();
  readonly #pendingRows = new Map<string, CaseRow>();
  readonly #pendingRevisions = new Map<string, number>();
  /** Position of the last event folded, and of the last one committed. */
  #position: Position | undefined;
  #committedPosition: Position | undefined;
  readonly #waiters = new Map<string, { revision: number; resolve: () => void }[]>();
  #subscription: Subscription | undefined;
  #closed = false;
  readonly ready: Promise<void>;
  readonly #running: Promise<void>;
  readonly #counties: CountyLookup | undefined;

  constructor(
    private readonly store: EventStore,
    private readonly onError: (error: unknown) => void,
    options: CaseIndexOptions = {},
  ) {
    if (options.readModel === undefined) {
      const own = createMemoryReadModelStore();
      this.#owned = own;
      this.#readModel = own;
    } else {
      this.#readModel = options.readModel;
    }
    this.#counties = options.counties;
    let caughtUp!: () => void;
    this.ready = new Promise((resolve) => (caughtUp = resolve));
    this.#running = this.#run(caughtUp).catch((error: unknown) => {
      if (!this.#closed) onError(error);
      caughtUp();
    });
  }

  /** Reads what was recorded after the read model's checkpoint (then `ready`), then follows new case events live. */
  async #run(caughtUp: () => void): Promise<void> {
    const filter = { streamPrefixes: [streamPrefixes.case] };
    const saved = await this.#readModel.caseCheckpoint();
    this.#position = this.#committedPosition = saved === null ? undefined : (saved as Position);
    const checkpoint = this.#position;
    for await (const r of this.store.readAll({ filter, ...(checkpoint === undefined ? {} : { fromPosition: checkpoint }) })) {
      if (this.#closed) return;
      await this.#fold(r);
      if (this.#pendingRevisions.size >= CATCH_UP_BATCH) await this.#flush();
    }
    await this.#flush();
    caughtUp();
    if (this.#closed) return;
    const from = this.#committedPosition;
    this.#subscription = this.store.subscribeAll({ filter, ...(from === undefined ? {} : { fromCheckpoint: from }) });
    for await (const r of this.#subscription) {
      await this.#fold(r);
      await this.#flush();
    }
  }

  async #fold(r: RecordedEvent): Promise<void> {
    this.#position = r.position;
    const caseId = r.streamId.slice(streamPrefixes.case.length);
    let before = this.#states.get(caseId);
    if (before === undefined) {
      // Not touched since start: the read model has it as of its checkpoint (or not at all).
      const row = await this.#readModel.caseRow(caseId, ALL);
      before = row === undefined ? null : stateOf(row);
      this.#states.set(caseId, before);
      if (row !== undefined) this.#folded.set(caseId, row.revision);
    }
    const seen = this.#folded.get(caseId);
    if (seen !== undefined && r.revision <= seen) return;
    this.#folded.set(caseId, r.revision);
    this.#pendingRevisions.set(caseId, r.revision);
    const event = r.event as unknown as CaseRecorded;
    const state = evolveCase(before, event);
    this.#states.set(caseId, state);
    if (state !== null) this.#pendingRows.set(caseId, caseRowOf(state, r.revision, event.occurredAt, this.countyOf(state)));
  }

  /** The county of the case's place, when the place and the boundaries are known. */
  countyOf(state: CaseState): CaseCounty | null {
    if (state.place === null || this.#counties === undefined) return null;
    return this.#counties.countyAt(state.place.lon, state.place.lat);
  }

  /** Commits what was folded with its position, then answers the commands waiting for it. */
  async #flush(): Promise<void> {
    const position = this.#position;
    if (position === undefined || position === this.#committedPosition) return;
    await this.#readModel.commitCases({ checkpoint: position, cases: [...this.#pendingRows.values()] });
    this.#pendingRows.clear();
    this.#committedPosition = position;
    for (const [caseId, revision] of this.#pendingRevisions) {
      this.#committed.set(caseId, revision);
      this.#answerWaiters(caseId, revision);
    }
    this.#pendingRevisions.clear();
  }

  #answerWaiters(caseId: string, revision: number): void {
    const waiting = this.#waiters.get(caseId);
    if (waiting === undefined) return;
    const still = waiting.filter((w) => {
      if (w.revision > revision) return true;
      w.resolve();
      return false;
    });
    if (still.length === 0) this.#waiters.delete(caseId);
    else this.#waiters.set(caseId, still);
  }

  /** Resolves once the index committed `revision` of the case (or after a few seconds: the write stands, only the list may lag). */
  async seen(caseId: string, revision: number): Promise<void> {
    if ((this.#committed.get(caseId) ?? -1) >= revision || this.#closed) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, WAIT_FOR_WRITE_MS);
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      this.#waiters.set(caseId, [...(this.#waiters.get(caseId) ?? []), { revision, resolve: done }]);
    });
  }

  /** The case as listed (bureau's view: unscoped). */
  async get(caseId: string): Promise<CaseRow | undefined> {
    return this.#readModel.caseRow(caseId, ALL);
  }

  /** Newest opened first (then by case id, descending), after the cursor's case. A bad cursor is the read model's `INVALID_CURSOR`. */
  async list(q: CaseQuery): Promise<CasePage> {
    return this.#readModel.cases({
      scope: { carrierId: q.scopeCarrierId },
      limit: q.limit,
      ...(q.status === undefined ? {} : { status: q.status }),
      ...(q.kind === undefined ? {} : { kind: q.kind }),
      ...(q.carrierId === undefined ? {} : { carrierId: q.carrierId }),
      ...(q.vehicleId === undefined ? {} : { vehicleId: q.vehicleId }),
      ...(q.county === undefined ? {} : { county: q.county }),
      ...(q.from === undefined ? {} : { from: q.from }),
      ...(q.to === undefined ? {} : { to: q.to }),
      ...(q.cursor === undefined ? {} : { cursor: q.cursor }),
    });
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const waiting of this.#waiters.values()) for (const w of waiting) w.resolve();
    this.#waiters.clear();
    await this.#subscription?.close();
    await this.#running;
    await this.#owned?.close();
  }
}
