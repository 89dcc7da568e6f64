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
export { errorBody, errorsPlugin, notFoundMessage } from './errorsPlugin.ts';
export { replyFrameworkError, writeClientError } from './clientErrors.ts';
export { authenticatedCacheControl, securityHeaders, securityHeadersPlugin, strictContentSecurityPolicy } from './securityHeadersPlugin.ts';
export { wellFormedJsonPlugin } from './wellFormedJsonPlugin.ts';
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
  roleProblem,
  type FixedRole,
  type Principal,
  type RoleName,
  type RouteRoles,
} from './roles.ts';
export { startOpsServer, type OpsJsonRoute, type OpsServer, type OpsServerOptions } from './opsServer.ts';
export { defaultServerTimeouts, fastifyTimeoutOptions, type ServerTimeouts } from './serverTimeouts.ts';
export { bodyAdmissionPlugin, type BodyAdmissionOptions } from './bodyAdmission.ts';
export { TokenBuckets, type TokenBucketOptions, type TokenTake } from './tokenBuckets.ts';
