export { beijingDate, beijingHour, beijingWeek, DAY_MS, HOUR_MS, WEEK_MS } from './calendar.ts';
export { DEFAULT_CANDIDATE_MIN_DISTANCE_M, defaultPlanningConfig, type PlanningConfig, planningConfigFor } from './config.ts';
export { type PlanningContext, PlanningFold, type VehiclePlanData } from './planningFold.ts';
export { parsePlanningRows, type PlanningRows } from './planningRows.ts';
export { type CellRow, type LotRow, type MetaRow, type PlanningRowKind, type PlanningRowRecord, type SegmentRow, type StopKind, stopKinds } from './rows.ts';
export * from './tables.ts';
export * from './exports.ts';
export { inWindow, type Window, wholeRecord } from './window.ts';
