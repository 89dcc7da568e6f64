export { ALERT_CARRIER_HEADER, busAlertsPublisher, type AlertsPublisher } from './alertsPublisher.ts';
export { readProjectorEnv, type ProjectorEnv } from './env.ts';
export { ProjectorError, type ProjectorErrorCode } from './errors.ts';
export { jsonLogger } from './logger.ts';
export { createProjectorMetrics, type ProjectorMetrics } from './metrics.ts';
export { Projection, type ProjectionOutput } from './projection/projection.ts';
export { createProjector, defaultProjectorConfig, type Progress, type Projector, type ProjectorConfig, type ProjectorOptions, type ProjectorState } from './projector.ts';
export { runProjector, type RunOptions } from './run.ts';
export { trustedEvent } from './trustedEvent.ts';
