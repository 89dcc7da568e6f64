import type { AppealOutcome, CarrierResponse, Disposition } from '@dgt/events';
import type { CaseRecorded } from './recorded.ts';

/**
 * The stage a case has reached (the README's table lists what each allows). `checked` means at
 * least one on-site check was recorded; whether evidence is frozen is `evidence`, not the stage:
 * a check may come before the freeze (an officer sent to a vehicle still parked).
 */
export const caseStatuses = ['opened', 'assigned', 'evidence-frozen', 'checked', 'notified', 'responded', 'appealed', 'appeal-decided', 'disposed'] as const;
export type CaseStatus = (typeof caseStatuses)[number];

export interface CaseState {
  readonly caseId: string;
  readonly carrierId: string;
  readonly vehicleId: string;
  readonly kind: string;
  readonly violationIds: readonly string[];
  readonly window: { readonly from: string; readonly to: string };
  readonly openedBy: 'officer' | 'policy';
  readonly policy: string | null;
  /** Where the violation took place (WGS-84), when the opening recorded it. */
  readonly place: { readonly lon: number; readonly lat: number } | null;
  readonly openedAt: string;
  readonly status: CaseStatus;
  readonly assignment: { readonly unit: string; readonly officer: string; readonly at: string } | null;
  /** The latest frozen evidence (a re-freeze before the notice supersedes it). */
  readonly evidence: { readonly reportDigest: string; readonly frozenAt: string } | null;
  readonly checks: number;
  /** The current round's notice, response, appeal decision and disposition (reopening clears them). */
  readonly notice: { readonly responseDeadline: string; readonly at: string } | null;
  readonly response: { readonly response: CarrierResponse; readonly at: string } | null;
  readonly appeal: { readonly outcome: AppealOutcome; readonly at: string } | null;
  readonly disposition: { readonly disposition: Disposition; readonly at: string } | null;
  /** Disposals so far, reopened ones included: numbers the points entries (`<caseId>:<n>`). */
  readonly disposals: number;
  /** The case's entry in the carrier's ledger that counts (the latest), or null if it recorded none. */
  readonly pointsEntry: { readonly entryId: string; readonly points: number } | null;
  readonly reopenings: number;
}

/** The id of the ledger entry the case's `n`-th disposal records. */
export function pointsEntryId(caseId: string, n: number): string {
  return `${caseId}:${n}`;
}

/** Folds one of the case's events into its state; `null` is the case before it was opened. */
export function evolveCase(state: CaseState | null, event: CaseRecorded): CaseState | null {
  const at = event.occurredAt;
  if (event.type === 'CaseOpened') {
    const d = event.data;
    return {
      caseId: d.caseId,
      carrierId: d.carrierId,
      vehicleId: d.vehicleId,
      kind: d.kind,
      violationIds: d.violationIds,
      window: { from: d.window.from, to: d.window.to },
      openedBy: d.openedBy,
      policy: d.policy ?? null,
      place: d.place === undefined ? null : { lon: d.place.lon, lat: d.place.lat },
      openedAt: at,
      status: 'opened',
      assignment: null,
      evidence: null,
      checks: 0,
      notice: null,
      response: null,
      appeal: null,
      disposition: null,
      disposals: 0,
      pointsEntry: null,
      reopenings: 0,
    };
  }
  // A stream whose first event is not CaseOpened is not a case: nothing to fold into.
  if (state === null) return null;
  switch (event.type) {
    case 'CaseAssigned':
      return { ...state, status: state.status === 'opened' ? 'assigned' : state.status, assignment: { unit: event.data.unit, officer: event.data.officer, at } };
    case 'EvidenceFrozen':
      return { ...state, status: state.status === 'assigned' ? 'evidence-frozen' : state.status, evidence: { reportDigest: event.data.reportDigest, frozenAt: at } };
    case 'OnSiteCheckRecorded':
      return { ...state, status: state.status === 'assigned' || state.status === 'evidence-frozen' ? 'checked' : state.status, checks: state.checks + 1 };
    case 'CarrierNotified':
      return { ...state, status: 'notified', notice: { responseDeadline: event.data.responseDeadline, at } };
    case 'CarrierResponded':
      return { ...state, status: event.data.response === 'appeal' ? 'appealed' : 'responded', response: { response: event.data.response, at } };
    case 'AppealDecided':
      return { ...state, status: 'appeal-decided', appeal: { outcome: event.data.outcome, at } };
    case 'CaseDisposed': {
      const n = state.disposals + 1;
      const points = event.data.points;
      return {
        ...state,
        status: 'disposed',
        disposition: { disposition: event.data.disposition, at },
        disposals: n,
        pointsEntry: points === undefined ? state.pointsEntry : { entryId: pointsEntryId(state.caseId, n), points },
      };
    }
    case 'CaseReopened':
      // A disposed case always has frozen evidence (and its checks): the new round starts from there.
      return { ...state, status: state.checks > 0 ? 'checked' : 'evidence-frozen', notice: null, response: null, appeal: null, disposition: null, reopenings: state.reopenings + 1 };
    default: {
      const never: never = event;
      throw new Error(`not a case event: ${(never as { type: string }).type}`);
    }
  }
}
