import { epochMs } from '@dgt/events';
import { ReadModelError } from '../errors.ts';
import { type CaseRow, caseRow } from './caseRow.ts';
import type { CaseCommit } from './casePort.ts';

export interface StoredCase {
  readonly row: CaseRow;
  /** `openedAt` as epoch ms: the listing's sort key (ISO strings with different offsets do not sort as text). */
  readonly openedMs: number;
}

/**
 * Checks a case commit before anything is written, the same way for both adapters: every row
 * against the schema (the error names the case and the field), every `openedAt` readable. The rows
 * returned are the parsed copies, so a caller reusing its objects cannot change stored rows.
 */
export function checkCaseCommit(commit: CaseCommit): StoredCase[] {
  if (typeof commit.checkpoint !== 'string' || commit.checkpoint === '')
    throw new ReadModelError('INVALID_ARGUMENT', `case commit: checkpoint must be a non-empty string, got ${JSON.stringify(commit.checkpoint)}`);
  return commit.cases.map((candidate, i) => {
    const parsed = caseRow.safeParse(candidate);
    const name = typeof (candidate as { caseId?: unknown } | null)?.caseId === 'string' ? `case ${(candidate as { caseId: string }).caseId}` : `cases[${i}]`;
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new ReadModelError('INVALID_ARGUMENT', `${name}: ${issue.path.join('.') || '(row)'}: ${issue.message}`);
    }
    const openedMs = epochMs(parsed.data.openedAt);
    if (Number.isNaN(openedMs)) throw new ReadModelError('INVALID_ARGUMENT', `${name}: openedAt: not an ISO-8601 timestamp: ${JSON.stringify(parsed.data.openedAt)}`);
    return { row: parsed.data, openedMs };
  });
}
