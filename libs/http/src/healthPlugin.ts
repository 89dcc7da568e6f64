import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { z } from 'zod';

export interface ReadinessCheck {
  readonly ok: boolean;
  /** Short and safe to show to any key holder (no secrets, no stack traces). */
  readonly detail?: string;
}
export type ReadinessChecks = Readonly<Record<string, ReadinessCheck>>;

export interface HealthPluginOptions {
  /** The dependency checks behind `/readyz`; omitted → always ready. */
  readonly ready?: () => Promise<ReadinessChecks>;
  /** A check that has not answered by then counts as failed. Default 3000 ms. */
  readonly readyTimeoutMs?: number;
}

const healthResponse = z.object({ status: z.literal('ok') });
const readyResponse = z.object({
  status: z.enum(['ready', 'not_ready']),
  checks: z.record(z.string(), z.object({ ok: z.boolean(), detail: z.string().optional() })),
});

/** `GET /healthz` (the process answers) and `GET /readyz` (its dependencies do; 503 otherwise), for any valid key. */
export const healthPlugin = fp(
  async (app: FastifyInstance, { ready, readyTimeoutMs = 3000 }: HealthPluginOptions) => {
    app.get('/healthz', { config: { roles: 'any' }, schema: { response: { 200: healthResponse } } }, async () => ({
      status: 'ok' as const,
    }));
    app.get(
      '/readyz',
      { config: { roles: 'any' }, schema: { response: { 200: readyResponse, 503: readyResponse } } },
      async (request, reply) => {
        const checks = await runChecks(ready, readyTimeoutMs).catch((error: unknown) => {
          request.log.warn({ err: error }, 'readiness check failed');
          return { readiness: { ok: false, detail: 'the readiness check failed' } };
        });
        const ok = Object.values(checks).every((c) => c.ok);
        return reply.code(ok ? 200 : 503).send({ status: ok ? 'ready' : 'not_ready', checks });
      },
    );
  },
  { name: 'dgt-health', fastify: '5.x', dependencies: ['dgt-auth'] },
);

async function runChecks(ready: HealthPluginOptions['ready'], timeoutMs: number): Promise<ReadinessChecks> {
  if (ready === undefined) return {};
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<ReadinessChecks>((resolve) => {
    timer = setTimeout(() => resolve({ readiness: { ok: false, detail: `no answer within ${timeoutMs} ms` } }), timeoutMs);
  });
  try {
    return await Promise.race([ready(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
