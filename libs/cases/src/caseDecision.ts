import type { CasesConfig } from './config.ts';
import type { Decision } from './refusal.ts';
import type { CaseRecorded, Recorded } from './recorded.ts';

/** What a case decision records: the case's own events, and with a disposal its ledger entry. */
export type CaseDecisionEvent = CaseRecorded | Recorded<'PointsRecorded'>;
export type CaseDecision = Decision<CaseDecisionEvent>;

/** What a case decision reads besides the case and the command. */
export interface CaseContext {
  readonly config: CasesConfig;
}
