import type { AppealOutcome, Attachment, CarrierResponse, Disposition, EvidenceDigest } from '@dgt/events';
import type { Actor } from './actor.ts';

/**
 * What every command carries: who issues it and the server's time, which becomes the recorded
 * event's `occurredAt` (never a time the client chose; the library never reads a clock).
 */
export interface CommandMeta {
  readonly actor: Actor;
  /** ISO-8601 with offset: the server's time when the API received the command. */
  readonly now: string;
}

/** Open a case (立案) from one or more violations of one vehicle. `policy` only from the policy runner. */
export interface OpenCase extends CommandMeta {
  readonly type: 'open';
  readonly caseId: string;
  readonly carrierId: string;
  readonly vehicleId: string;
  /** A violation kind of `@dgt/detection`'s catalogue (advisories cannot become cases). */
  readonly kind: string;
  readonly violationIds: readonly string[];
  readonly window: { readonly from: string; readonly to: string };
  /** The auto-open policy's rule that opened it (see policy.ts); absent when an officer opens it. */
  readonly policy?: string;
  /** Where the violation took place (WGS-84), when known: the case list's county comes from it. */
  readonly place?: { readonly lon: number; readonly lat: number };
}

export interface AssignCase extends CommandMeta {
  readonly type: 'assign';
  readonly unit: string;
  readonly officer: string;
}

/** Fix the online evidence: a replay run of the case's vehicle over (at least) the case's window. */
export interface FreezeEvidence extends CommandMeta {
  readonly type: 'freezeEvidence';
  readonly selection: { readonly vehicleIds: readonly string[]; readonly from: string; readonly to: string; readonly recordedUpTo?: string };
  readonly thresholds: Readonly<Record<string, number>>;
  readonly inputs: EvidenceDigest;
  readonly reportDigest: string;
  readonly archive: { readonly html: string; readonly json: string; readonly csv: string };
  readonly auditId?: string;
}

export interface RecordOnSiteCheck extends CommandMeta {
  readonly type: 'recordOnSiteCheck';
  readonly officer: string;
  readonly checkedAt: string;
  readonly place: { readonly lon: number; readonly lat: number; readonly text?: string };
  readonly findings: string;
  readonly attachments: readonly Attachment[];
}

export interface NotifyCarrier extends CommandMeta {
  readonly type: 'notifyCarrier';
  /** Until when the carrier may appeal; after the command's `now`. */
  readonly responseDeadline: string;
}

/** The carrier's answer to a notice: acknowledge, or appeal (with reasons) before the deadline. */
export interface Respond extends CommandMeta {
  readonly type: 'respond';
  readonly response: CarrierResponse;
  readonly reasons?: string;
  readonly attachments?: readonly Attachment[];
}

export interface DecideAppeal extends CommandMeta {
  readonly type: 'decideAppeal';
  readonly outcome: AppealOutcome;
  readonly reasons: string;
}

export interface Dispose extends CommandMeta {
  readonly type: 'dispose';
  readonly disposition: Disposition;
  /** Required for penalised. */
  readonly legalBasis?: string;
  /** Required for penalised, refused otherwise. */
  readonly amountYuan?: number;
  /** Required for dismissed. */
  readonly reason?: string;
  /** Points to record instead of the catalogue's default for the case's kind (penalised, warned). */
  readonly points?: number;
  /** Required when `points` differs from the default. */
  readonly pointsReason?: string;
}

export interface Reopen extends CommandMeta {
  readonly type: 'reopen';
  readonly reason: string;
}

export type CaseCommand = OpenCase | AssignCase | FreezeEvidence | RecordOnSiteCheck | NotifyCarrier | Respond | DecideAppeal | Dispose | Reopen;
