import type { Recorded } from '@dgt/cases';
import type { EventStore } from '@dgt/eventstore';
import type { LedgerRepository } from './ledgerRepository.ts';
import { followRecord } from './recordFollower.ts';

/**
 * A disposal is recorded in two streams: `CaseDisposed` in the case, then its `PointsRecorded` in
 * the carrier's ledger. A crash between the two appends would leave a penalty without its points.
 * The case event carries the entry (`pointsEntry`), so this follows every disposal in the record
 * and records its entry again under the same derived id (`<CaseDisposed id>/points`): a no-op
 * when it is there, the missing entry when it is not. Runs while the API runs, from the start.
 */
export interface PointsReconciler {
  /** Disposals with points whose ledger entry was made sure of (recorded if it was missing). */
  readonly stats: { checked: number };
  caughtUp(): Promise<void>;
  stop(): Promise<void>;
}

export function startPointsReconciler(o: { store: EventStore; ledgers: LedgerRepository; onError?: (error: unknown) => void }): PointsReconciler {
  const stats = { checked: 0 };
  const follower = followRecord(
    o.store,
    ['CaseDisposed'],
    async (r) => {
      const entry = (r.event.data as { pointsEntry?: Recorded<'PointsRecorded'>['data'] }).pointsEntry;
      if (entry === undefined) return;
      await o.ledgers.record({ type: 'PointsRecorded', occurredAt: r.event.occurredAt, data: entry }, `${r.event.eventId}/points`);
      stats.checked++;
    },
    o.onError,
  );
  return { stats, caughtUp: () => follower.caughtUp(), stop: () => follower.stop() };
}
