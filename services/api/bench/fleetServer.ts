import { openMemoryEventStore } from '@dgt/eventstore';
import { generateApiKey, hashApiKey } from '@dgt/http';
import { defaultComplianceRules, openSqliteReadModelStore } from '@dgt/readmodels';
import Fastify from 'fastify';
import { buildApiApp } from '../src/app.ts';

/**
 * The server side of the fleet benchmark, in its own process so that the load generator does not
 * share its event loop. `api <sqlite path>`: the real API over the read-only SQLite read models;
 * `bare [bytes]`: bare fastify routes answering a constant small JSON (the reference) and, at
 * /sized, a constant body of `bytes`.
 * Sends `{ url, key }` to the parent once listening.
 */
const [mode, path] = process.argv.slice(2);

async function startApi(file: string): Promise<{ url: string; key: string }> {
  const key = generateApiKey();
  const readModels = await openSqliteReadModelStore({ path: file, readonly: true });
  const app = await buildApiApp({
    config: {
      port: 0,
      host: '127.0.0.1',
      apiKeys: [{ id: 'bench-bureau', role: 'bureau', sha256: hashApiKey(key) }],
      eventStore: { kind: 'memory' },
      readModels: { kind: 'sqlite', path: file },
      bus: { brokers: [], clientId: 'bench', topics: {} },
      auditReportsKept: 1,
      // The benchmark is one key sending as fast as it can: the limit must not be what it measures.
      rateLimitPerMinute: 100_000_000,
      alerts: { groupId: 'bench', ringSize: 10, clientQueueMax: 10, heartbeatMs: 15_000 },
      fleetCacheFreshMs: 250,
      complianceRules: defaultComplianceRules,
      dashboardTileUrl: null,
      logLevel: 'silent',
    },
    store: openMemoryEventStore(),
    readModels,
    defaultMetrics: false,
  });
  return { url: await app.listen({ port: 0, host: '127.0.0.1' }), key };
}

async function startBare(bytes: number): Promise<{ url: string; key: string }> {
  const app = Fastify({ logger: false });
  app.get('/v1/fleet', async () => ({ items: [{ vehicleId: 'V00001', laden: true }], nextCursor: null }));
  // A constant body as large as the API's default page: what moving those bytes alone costs.
  const sized = Buffer.from(JSON.stringify({ items: [], pad: 'x'.repeat(Math.max(0, bytes - 30)) }));
  app.get('/sized', async (_request, reply) => reply.type('application/json').send(sized));
  return { url: await app.listen({ port: 0, host: '127.0.0.1' }), key: '' };
}

const started = mode === 'api' && path !== undefined ? await startApi(path) : await startBare(Number(path ?? 0));
process.send?.(started);
process.on('message', (message) => {
  if (message === 'stop') process.exit(0);
});
