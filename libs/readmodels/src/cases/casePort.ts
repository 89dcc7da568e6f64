import type { CaseStatus } from '@dgt/cases';
import type { Page, Scope } from '../port.ts';
import type { CaseRow } from './caseRow.ts';

/*
 * The case list's read model: a port of its own next to `ReadModelStore` (both adapters implement
 * the two), written by whoever folds the `case-` streams and read by the API's `GET /v1/cases`.
 * Its checkpoint is its own, apart from the projector's: the case folder resumes from it.
 */

/** Cases folded up to one store position, written atomically with that position. */
export interface CaseCommit {
  /** Store position of the last case event folded (opaque string). */
  readonly checkpoint: string;
  /** Whole rows, upserted by caseId (a row replaces the stored one). */
  readonly cases: readonly CaseRow[];
}

export interface CaseListQuery {
  readonly scope: Scope;
  readonly status?: CaseStatus;
  readonly kind?: string;
  /** Only this carrier's cases (intersected with the scope, never widened). */
  readonly carrierId?: string;
  readonly vehicleId?: string;
  /** Only cases whose violation took place in this county (its six-digit code, e.g. 331002). */
  readonly county?: string;
  /** `openedAt` at or after (inclusive), ISO-8601. */
  readonly from?: string;
  /** `openedAt` strictly before (exclusive), ISO-8601. */
  readonly to?: string;
  /** Newest opened first (`openedAt` as an instant, descending), then caseId descending; the cursor is opaque. */
  readonly cursor?: string;
  readonly limit: number;
}

export interface CaseReadModel {
  /** The checkpoint of the last `commitCases`; `null` before the first (or after a reset). */
  caseCheckpoint(): Promise<string | null>;
  /** Upserts the rows and sets the checkpoint in one atomic step; a batch with a bad row is refused whole. */
  commitCases(commit: CaseCommit): Promise<void>;
  cases(query: CaseListQuery): Promise<Page<CaseRow>>;
  /** The case if the scope may see it (a carrier sees only its own), else undefined. */
  caseRow(caseId: string, scope: Scope): Promise<CaseRow | undefined>;
}
