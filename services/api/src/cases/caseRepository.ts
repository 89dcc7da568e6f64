import { type CaseCommand, type CaseContext, type CaseRecorded, type CaseState, decideCase, evolveCase, type Recorded, type Refusal } from '@dgt/cases';
import { type EventStore, type RecordedEvent, streamPrefixes } from '@dgt/eventstore';
import { appendAt, concurrentChange, type LedgerRepository } from './ledgerRepository.ts';

export function caseStreamOf(caseId: string): string {
  return `${streamPrefixes.case}${caseId}`;
}

export interface LoadedCase {
  readonly state: CaseState | null;
  /** Revision of the stream's last event, or 'no-stream'. */
  readonly revision: number | 'no-stream';
  /** The case's events as recorded (its history, with who and when). */
  readonly events: readonly RecordedEvent[];
}

export type CaseOutcome = { ok: true; loaded: LoadedCase; appended: readonly string[] } | { ok: false; refusal: Refusal };

/**
 * A case (`case-<caseId>`) over the event store: load (fold with `evolveCase`), decide, append
 * the decided events with the revision it was loaded at. A concurrent write is re-read and
 * decided again once (the decision may differ: the other writer may have disposed it), then
 * answered 409. Event ids are `case-<caseId>/<revision>`, derived (`/`), so no client id can
 * squat them and two writers of the same revision collide on the id as well as the revision.
 */
export class CaseRepository {
  constructor(
    private readonly store: EventStore,
    private readonly ledgers: LedgerRepository,
    private readonly context: CaseContext,
  ) {}

  async load(caseId: string): Promise<LoadedCase> {
    const events: RecordedEvent[] = [];
    for await (const r of this.store.readStream(caseStreamOf(caseId))) events.push(r);
    const state = events.reduce<CaseState | null>((s, r) => evolveCase(s, r.event as unknown as CaseRecorded), null);
    const last = events.at(-1);
    return { state, revision: last === undefined ? 'no-stream' : last.revision, events };
  }

  /** Only what the case would decide, recording nothing (a check before costly work such as a replay). */
  async dryRun(caseId: string, command: CaseCommand): Promise<{ ok: true; loaded: LoadedCase } | { ok: false; refusal: Refusal }> {
    const loaded = await this.load(caseId);
    const decision = decideCase(loaded.state, command, this.context);
    return decision.ok ? { ok: true, loaded } : decision;
  }

  /**
   * Decides `command` on case `caseId` and records it. A disposal's `PointsRecorded` goes to the
   * carrier's ledger after the case's own events are in: the case is the decision's source of
   * truth, and the points entry, whose id derives from the case event, can be recorded again.
   */
  async decide(caseId: string, command: CaseCommand): Promise<CaseOutcome> {
    for (let attempt = 0; ; attempt++) {
      const loaded = await this.load(caseId);
      const decision = decideCase(loaded.state, command, this.context);
      if (!decision.ok) return decision;
      const first = loaded.revision === 'no-stream' ? 0 : loaded.revision + 1;
      const caseEvents = decision.events.filter((e): e is CaseRecorded => e.type !== 'PointsRecorded');
      const envelopes = caseEvents.map((e, i) => ({ eventId: `${caseStreamOf(caseId)}/${first + i}`, type: e.type, occurredAt: e.occurredAt, data: e.data }));
      if (!(await appendAt(this.store, caseStreamOf(caseId), envelopes, loaded.revision))) {
        if (attempt >= 1) throw concurrentChange('case');
        continue;
      }
      const points = decision.events.filter((e): e is Recorded<'PointsRecorded'> => e.type === 'PointsRecorded');
      const disposal = envelopes.find((e) => e.type === 'CaseDisposed');
      for (const p of points) await this.ledgers.record(p, `${disposal?.eventId ?? envelopes.at(-1)?.eventId ?? caseStreamOf(caseId)}/points`);
      return { ok: true, loaded: await this.load(caseId), appended: envelopes.map((e) => e.eventId) };
    }
  }
}
