export * from './config.ts';
export { type Consignment, type ConsignmentStatus, decideConsignment, type LifecycleDecision, type StoredRoute } from './consignmentLifecycle.ts';
export { DetectionEngine, type EngineStats, type EngineStep, type Ignored, type VehicleSnapshot } from './engine.ts';
export type { Fix } from './fix.ts';
export type { Rejection, RejectionCode } from './rejection.ts';
export { runDetection, type DetectionRun } from './runDetection.ts';
export { evolveSegments, type Presence } from './segmentPresence.ts';
export { evolveOverspeed, type OverspeedRun, type OverspeedStep } from './overspeed.ts';
export { brokenRule, evolveRestricted, type RestrictedEntry, type RestrictedRule, type RestrictedStep } from './restrictedEntry.ts';
export { type CompiledRules, compileRules } from './zoneRules.ts';
export { beijingMsOfDay } from './beijingTime.ts';
export { evolveStop, type Stop, type StopStep } from './stopTracker.ts';
export { type Driving, evolveFatigue, type FatigueStep, restCompletedAt } from './fatigue.ts';
export { type DeviationRun, type DeviationStep, evolveDeviation } from './routeDeviation.ts';
export {
  type ConsignmentStateData,
  ENGINE_STATE_VERSION,
  type EngineChanges,
  type EngineState,
  EngineStateError,
  type VehicleStateData,
  type ZoneOp,
  type ZoneStateData,
} from './engineState.ts';
export * from './violations.ts';
export * from './occurrences.ts';
