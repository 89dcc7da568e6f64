import { decidePoints, evolvePoints, initialLedger, type LedgerCommand, type LedgerRecorded, type LedgerState, type Recorded, type Refusal } from '@dgt/cases';
import { isWrongExpectedRevision, type EventStore, type RecordedEvent, streamPrefixes } from '@dgt/eventstore';
import { AppError } from '@dgt/http';

export function ledgerStreamOf(carrierId: string): string {
  return `${streamPrefixes.points}${carrierId}`;
}

export interface LoadedLedger {
  readonly ledger: LedgerState;
  /** Revision of the stream's last event, or 'no-stream'. */
  readonly revision: number | 'no-stream';
  readonly events: readonly RecordedEvent[];
}

export type LedgerOutcome = { ok: true; loaded: LoadedLedger } | { ok: false; refusal: Refusal };

/** Tries of an append of a disposal's points against a ledger that keeps moving. */
const RECORD_TRIES = 5;

/**
 * A carrier's points ledger (`points-<carrierId>`) over the event store: load (fold with
 * `evolvePoints`), decide, append with optimistic concurrency. Event ids are derived from the
 * revision they take (`points-<carrierId>/<revision>`): two writers deciding on the same revision
 * choose the same id, and the store's id check turns the second into a conflict, never a double.
 */
export class LedgerRepository {
  constructor(private readonly store: EventStore) {}

  async load(carrierId: string): Promise<LoadedLedger> {
    const events: RecordedEvent[] = [];
    for await (const r of this.store.readStream(ledgerStreamOf(carrierId))) events.push(r);
    const ledger = events.reduce((s, r) => evolvePoints(s, r.event as unknown as LedgerRecorded), initialLedger(carrierId));
    const last = events.at(-1);
    return { ledger, revision: last === undefined ? 'no-stream' : last.revision, events };
  }

  /** Decides `command` on the carrier's ledger and records what it decided; on a concurrent write, re-reads and re-decides once, then 409. */
  async decide(carrierId: string, command: LedgerCommand): Promise<LedgerOutcome> {
    for (let attempt = 0; ; attempt++) {
      const loaded = await this.load(carrierId);
      const decision = decidePoints(loaded.ledger, command);
      if (!decision.ok) return decision;
      const first = loaded.revision === 'no-stream' ? 0 : loaded.revision + 1;
      const envelopes = decision.events.map((e, i) => ({ eventId: `${ledgerStreamOf(carrierId)}/${first + i}`, type: e.type, occurredAt: e.occurredAt, data: e.data }));
      if (await appendAt(this.store, ledgerStreamOf(carrierId), envelopes, loaded.revision)) return { ok: true, loaded: await this.load(carrierId) };
      if (attempt >= 1) throw concurrentChange('ledger');
    }
  }

  /**
   * Records a disposal's `PointsRecorded` (decided by the case, which was appended first) at the
   * ledger's current revision. What it records does not depend on the ledger, so a concurrent
   * write only means another try at the new revision; its id (from the case event) makes a
   * repeated record a no-op.
   */
  async record(event: Recorded<'PointsRecorded'>, eventId: string): Promise<void> {
    const stream = ledgerStreamOf(event.data.carrierId);
    for (let attempt = 0; attempt < RECORD_TRIES; attempt++) {
      const { revision } = await this.load(event.data.carrierId);
      try {
        await this.store.append(stream, [{ eventId, type: event.type, occurredAt: event.occurredAt, data: event.data }], { expectedRevision: revision });
        return;
      } catch (error) {
        if (!isWrongExpectedRevision(error)) throw error;
      }
    }
    throw concurrentChange('ledger');
  }
}

/**
 * Appends `envelopes` expecting the stream at `revision`; false when another writer got there
 * first. The store acknowledges a batch of ids it already holds without checking the revision,
 * so an id already taken (by the other writer's event for that revision) is a conflict too.
 */
export async function appendAt(store: EventStore, stream: string, envelopes: readonly { eventId: string; type: string; occurredAt: string; data: Readonly<Record<string, unknown>> }[], revision: number | 'no-stream'): Promise<boolean> {
  try {
    const result = await store.append(stream, envelopes, { expectedRevision: revision });
    return result.written === envelopes.length;
  } catch (error) {
    if (isWrongExpectedRevision(error)) return false;
    throw error;
  }
}

export function concurrentChange(what: 'case' | 'ledger'): AppError {
  return new AppError('CONFLICT', `concurrent-change: the ${what} changed twice while this request was decided; read it again and retry`, [{ path: 'refusal', message: 'concurrent-change' }]);
}
