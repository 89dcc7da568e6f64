export {
  apiKeyEntry,
  ApiKeyConfigError,
  generateApiKey,
  hashApiKey,
  keyLookup,
  parseApiKeys,
  type ApiKeyEntry,
  type KeyLookup,
} from './apiKeys.ts';
export { authPlugin, type AuthPluginOptions } from './authPlugin.ts';
export {
  buildServiceApp,
  type LogLevel,
  type ServiceApp,
  type ServiceAppOptions,
} from './buildServiceApp.ts';
export {
  AppError,
  errorCatalogue,
  errorResponse,
  type AppErrorOptions,
  type ErrorCode,
  type ErrorDetail,
  type ErrorResponse,
} from './errorCatalogue.ts';
export { toAppError } from './errorMapping.ts';
export { errorsPlugin } from './errorsPlugin.ts';
export {
  healthPlugin,
  type HealthPluginOptions,
  type ReadinessCheck,
  type ReadinessChecks,
} from './healthPlugin.ts';
export { metricsPlugin, type MetricsPluginOptions } from './metricsPlugin.ts';
export {
  fixedRoles,
  isAllowed,
  type FixedRole,
  type Principal,
  type RoleName,
  type RouteRoles,
} from './roles.ts';
export { startOpsServer, type OpsServer, type OpsServerOptions } from './opsServer.ts';
