export * from './views.ts';
export type * from './port.ts';
export { type CaseCounty, type CaseRow, caseRow, caseRowOf, caseRowStatus } from './cases/caseRow.ts';
export type { CaseCommit, CaseListQuery, CaseReadModel } from './cases/casePort.ts';
export * from './errors.ts';
export { visibleTo } from './scope.ts';
export {
  beijingDate,
  beijingDayNumber,
  beijingHour,
  carrierCount,
  cellCount,
  dayKindCount,
  hourCount,
  segmentHourCount,
  CELL_DEGREES,
  type CarrierCount,
  type CellCount,
  type DayKindCount,
  type HourCount,
  type ReadModelStatistics,
  type SegmentHourCount,
  type StatisticsQuery,
} from './statistics.ts';
export { consignmentVisibleTo, currentOwner, ownedOccurrence, ownerAt, periodBounds, periodsOf } from './ownership.ts';
export { createMemoryReadModelStore } from './memory/memoryReadModelStore.ts';
export {
  assessCompliance,
  carrierCompliance,
  complianceRulesSchema,
  complianceStatus,
  complianceWindow,
  defaultComplianceRules,
  resolveComplianceRules,
  type CarrierCompliance,
  type ComplianceRules,
  type ComplianceStatus,
} from './compliance.ts';
export { loadCarrierCompliance } from './complianceQuery.ts';
export { DEFAULT_READMODELS_PATH, openSqliteReadModelStore, type SqliteReadModelStoreOptions } from './sqlite/sqliteReadModelStore.ts';
export { openReadModelStore, readModelConfigFromEnv, type ReadModelConfig } from './config.ts';
