export { buildApiApp, type ApiAppOptions } from './app.ts';
export { ApiConfigError, readApiConfig, type ApiConfig } from './env.ts';
export { ReportArchive } from './reportArchive.ts';
export { auditRequest, auditResponse, auditRoutes, type AuditRoutesOptions } from './routes/audits.ts';
