import rateLimit from '@fastify/rate-limit';
import { AppError, type ServiceApp } from '@dgt/http';

/**
 * Rate limit for the routes registered in `app`'s context (the /v1 routes) — one budget per
 * API key across all of them, per client IP for requests without one. Registered after auth,
 * so the principal is known when the limit is counted.
 */
export async function registerRateLimit(app: ServiceApp, perMinute: number): Promise<void> {
  await app.register(rateLimit, {
    global: true,
    max: perMinute,
    timeWindow: 60_000,
    keyGenerator: (request) => {
      const keyId = (request.principal as { keyId?: string } | null)?.keyId;
      return keyId === undefined ? `ip:${request.ip}` : `key:${keyId}`;
    },
    errorResponseBuilder: (_request, context) =>
      new AppError('RATE_LIMITED', `rate limit of ${context.max} requests per minute exceeded; retry in ${context.after}`, undefined, { retryAfterSeconds: Math.max(1, Math.ceil(context.ttl / 1000)) }),
  });
}
