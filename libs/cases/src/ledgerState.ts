import type { CorrectiveAction } from '@dgt/events';
import { instantMs } from './instants.ts';
import type { LedgerRecorded } from './recorded.ts';

/*
 * A carrier's points ledger (记分/销分), folded from `points-<carrierId>`. Points count from the
 * disposal that recorded them until `expiresAt`; a later entry for the same case supersedes the
 * earlier one (a re-disposal after reopening), keeping what was already cleared of it; clearing
 * takes points off the oldest live entries first. Expiry needs no event: it is a matter of the
 * time asked about, so the ledger reads the same whenever it is folded.
 */

export interface PointsEntry {
  readonly entryId: string;
  readonly caseId: string;
  readonly kind: string;
  readonly points: number;
  readonly defaultPoints: number;
  readonly overrideReason: string | null;
  readonly recordedAt: string;
  readonly expiresAt: string;
  /** Points of this entry not yet cleared (0–points). */
  readonly remaining: number;
  /** The entry of the same case that replaced this one, if any. */
  readonly supersededBy: string | null;
}

export interface CorrectiveActionRecord {
  readonly actionId: string;
  readonly action: CorrectiveAction;
  readonly description: string;
  readonly attachments: number;
  readonly submittedAt: string;
  /** Set once the bureau cleared points for it (each action at most once). */
  readonly cleared: { readonly points: number; readonly at: string } | null;
}

export const ledgerRowTypes = ['recorded', 'action-submitted', 'cleared', 'expired'] as const;
export type LedgerRowType = (typeof ledgerRowTypes)[number];

/** One line of a ledger's history: what happened, how it changed the outstanding points, the total after it. */
export interface LedgerRow {
  readonly at: string;
  readonly type: LedgerRowType;
  readonly entryId?: string;
  readonly caseId?: string;
  readonly actionId?: string;
  /** The entry a recorded one replaced (same case). */
  readonly supersedes?: string;
  readonly delta: number;
  readonly total: number;
}

export interface LedgerState {
  readonly carrierId: string;
  /** In the order recorded. */
  readonly entries: readonly PointsEntry[];
  readonly actions: readonly CorrectiveActionRecord[];
  /** History up to the latest event (expiries between events included, in time order). */
  readonly rows: readonly LedgerRow[];
  /** The latest event time folded (epoch ms), −∞ before the first. */
  readonly lastMs: number;
}

export function initialLedger(carrierId: string): LedgerState {
  return { carrierId, entries: [], actions: [], rows: [], lastMs: Number.NEGATIVE_INFINITY };
}

/** Whether an entry counts at `ms`: not superseded, recorded by then, not yet expired. */
export function isLive(e: PointsEntry, ms: number): boolean {
  return e.supersededBy === null && instantMs(e.recordedAt) <= ms && ms < instantMs(e.expiresAt);
}

export function liveTotal(entries: readonly PointsEntry[], ms: number): number {
  let total = 0;
  for (const e of entries) if (isLive(e, ms)) total += e.remaining;
  return total;
}

/**
 * The expiry rows of live entries whose `expiresAt` falls in (afterMs, untilMs], in time order,
 * each with the total just after it.
 */
export function expiryRows(entries: readonly PointsEntry[], afterMs: number, untilMs: number): LedgerRow[] {
  const expiring = entries
    .filter((e) => e.supersededBy === null && e.remaining > 0 && instantMs(e.expiresAt) > afterMs && instantMs(e.expiresAt) <= untilMs)
    .sort((a, b) => instantMs(a.expiresAt) - instantMs(b.expiresAt) || (a.entryId < b.entryId ? -1 : 1));
  // No event falls inside the interval, so only these expiries change the total within it.
  let total = liveTotal(entries, afterMs);
  return expiring.map((e) => {
    total -= e.remaining;
    return { at: e.expiresAt, type: 'expired' as const, entryId: e.entryId, caseId: e.caseId, delta: -e.remaining, total };
  });
}

/** Folds one ledger event. Replaying an entry or action id already folded changes nothing. */
export function evolvePoints(state: LedgerState, event: LedgerRecorded): LedgerState {
  const ms = instantMs(event.occurredAt);
  const expired = ms > state.lastMs ? expiryRows(state.entries, state.lastMs, ms) : [];
  const base = { ...state, rows: [...state.rows, ...expired], lastMs: Math.max(state.lastMs, ms) };
  switch (event.type) {
    case 'PointsRecorded': {
      const d = event.data;
      if (state.entries.some((e) => e.entryId === d.entryId)) return state;
      const prior = state.entries.find((e) => e.caseId === d.caseId && e.supersededBy === null);
      // What was cleared of the case's earlier entry stays cleared.
      const cleared = prior === undefined ? 0 : prior.points - prior.remaining;
      const entry: PointsEntry = {
        entryId: d.entryId,
        caseId: d.caseId,
        kind: d.kind,
        points: d.points,
        defaultPoints: d.defaultPoints,
        overrideReason: d.overrideReason ?? null,
        recordedAt: event.occurredAt,
        expiresAt: d.expiresAt,
        remaining: Math.max(0, d.points - cleared),
        supersededBy: null,
      };
      const before = liveTotal(state.entries, ms);
      const entries = [...state.entries.map((e) => (e === prior ? { ...e, supersededBy: d.entryId } : e)), entry];
      const total = liveTotal(entries, ms);
      const row: LedgerRow = { at: event.occurredAt, type: 'recorded', entryId: d.entryId, caseId: d.caseId, ...(prior === undefined ? {} : { supersedes: prior.entryId }), delta: total - before, total };
      return { ...base, entries, rows: [...base.rows, row] };
    }
    case 'CorrectiveActionSubmitted': {
      const d = event.data;
      if (state.actions.some((a) => a.actionId === d.actionId)) return state;
      const action: CorrectiveActionRecord = { actionId: d.actionId, action: d.action, description: d.description, attachments: d.attachments.length, submittedAt: event.occurredAt, cleared: null };
      const row: LedgerRow = { at: event.occurredAt, type: 'action-submitted', actionId: d.actionId, delta: 0, total: liveTotal(state.entries, ms) };
      return { ...base, actions: [...state.actions, action], rows: [...base.rows, row] };
    }
    case 'PointsCleared': {
      const d = event.data;
      if (state.actions.some((a) => a.actionId === d.actionId && a.cleared !== null)) return state;
      const before = liveTotal(state.entries, ms);
      let left = d.points;
      // Oldest live entries first.
      const entries = state.entries.map((e) => {
        if (left === 0 || e.remaining === 0 || !isLive(e, ms)) return e;
        const take = Math.min(left, e.remaining);
        left -= take;
        return { ...e, remaining: e.remaining - take };
      });
      const actions = state.actions.map((a) => (a.actionId === d.actionId ? { ...a, cleared: { points: d.points, at: event.occurredAt } } : a));
      const total = liveTotal(entries, ms);
      const row: LedgerRow = { at: event.occurredAt, type: 'cleared', actionId: d.actionId, delta: total - before, total };
      return { ...base, entries, actions, rows: [...base.rows, row] };
    }
    default: {
      const never: never = event;
      throw new Error(`not a points event: ${(never as { type: string }).type}`);
    }
  }
}
