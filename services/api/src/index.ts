export { buildApiApp, type ApiAppOptions } from './app.ts';
export { ApiConfigError, readApiConfig, type ApiConfig } from './env.ts';
export { AlertHub, defaultAlertHubSettings, type AlertHubSettings } from './alerts/alertHub.ts';
export { FleetResponseCache, type FleetCacheOptions } from './fleet/fleetResponseCache.ts';
export { ReportArchive } from './reportArchive.ts';
export { schemaProjection, ProjectionError } from './schemaProjection.ts';
export { auditRequest, auditResponse, auditRoutes, type AuditRoutesOptions } from './routes/audits.ts';
export { linkStatus, platformLinksResponse, type LinkStatus, type PlatformLinksView } from './platformLinks/linkStatus.ts';
export { dashboardDistDir, dashboardIsCurrent, dashboardSourceDir, ensureDashboardBuilt } from './dashboardBuild.ts';
