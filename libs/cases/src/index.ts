export { type Actor, decisionMakerOf, isCaseActorRole } from './actor.ts';
export { addCalendarMonths } from './calendarMonths.ts';
export type { AssignCase, CaseCommand, CommandMeta, DecideAppeal, Dispose, FreezeEvidence, NotifyCarrier, OpenCase, RecordOnSiteCheck, Reopen, Respond } from './caseCommands.ts';
export type { CaseContext, CaseDecision, CaseDecisionEvent } from './caseDecision.ts';
export { type CaseState, type CaseStatus, caseStatuses, evolveCase, pointsEntryId } from './caseState.ts';
export { type CasesConfig, CasesConfigError, type CasesConfigInput, casesConfigSchema, defaultCasesConfig, resolveCasesConfig } from './config.ts';
export { decideCase } from './decideCase.ts';
export { type ClearPoints, decidePoints, type LedgerCommand, type LedgerDecision, type SubmitCorrectiveAction } from './decidePoints.ts';
export { defaultPointsOf } from './defaultPoints.ts';
export { ledgerHistory, outstandingPoints, standing } from './ledgerHistory.ts';
export {
  type CorrectiveActionRecord,
  evolvePoints,
  initialLedger,
  type LedgerRow,
  type LedgerRowType,
  ledgerRowTypes,
  type LedgerState,
  type PointsEntry,
} from './ledgerState.ts';
export {
  type CasePolicy,
  CasePolicyError,
  type CasePolicyRule,
  casePolicyRuleSchema,
  casePolicySchema,
  defaultCasePolicy,
  policyOpens,
  type PolicyVerdict,
  type PolicyViolation,
  resolveCasePolicy,
} from './policy.ts';
export { type PolicyOpening, PolicyWatch, type PolicyWatchEvent } from './policyWatch.ts';
export type { CaseEventType, CaseRecorded, LedgerRecorded, PointsEventType, Recorded, RecordedOf } from './recorded.ts';
export { type Decision, type FieldProblem, type Refusal, type RefusalCode, refusalCodes } from './refusal.ts';
export { type CaseCommandType, caseCommandRoles, type LedgerCommandType, ledgerCommandRoles, mayIssue } from './roles.ts';
export { defaultStandingThresholds, type Standing, standingOf, standings, type StandingThresholds, standingThresholdsSchema } from './standing.ts';
