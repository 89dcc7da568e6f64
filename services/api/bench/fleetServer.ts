import { openMemoryEventStore } from '@dgt/eventstore';
import { generateApiKey, hashApiKey } from '@dgt/http';
import { defaultComplianceRules, openSqliteReadModelStore } from '@dgt/readmodels';
import Fastify from 'fastify';
import { buildApiApp } from '../src/app.ts';

/**
 * The server side of the fleet benchmark, in its own process so that the load generator does not
 * share its event loop. `api <sqlite path>`: the real API over the read-only SQLite read models;
 * `bare <sqlite path>`: bare fastify routes answering a constant small JSON (the reference) and, at
 * /sized, the exact bytes of the API's default page built from the same read models.
 * Sends `{ url, key }` to the parent once listening; answers the message 'cpu' with
 * `{ cpu: process.cpuUsage() }` so the parent can show how busy the server was during each run.
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
      audits: { running: 1, queued: 0 },
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

async function startBare(file: string): Promise<{ url: string; key: string }> {
  const app = Fastify({ logger: false });
  app.get('/v1/fleet', async () => ({ items: [{ vehicleId: 'V00001', laden: true }], nextCursor: null }));
  // The default page's own bytes (non-ASCII plates included), so /sized costs what moving those bytes alone costs.
  const readModels = await openSqliteReadModelStore({ path: file, readonly: true });
  const sized = Buffer.from(JSON.stringify(await readModels.fleet({ scope: { carrierId: null }, limit: 100 })));
  await readModels.close();
  app.get('/sized', async (_request, reply) => reply.type('application/json; charset=utf-8').send(sized));
  return { url: await app.listen({ port: 0, host: '127.0.0.1' }), key: '' };
}

if ((mode !== 'api' && mode !== 'bare') || path === undefined) throw new Error('usage: fleetServer.ts api|bare <sqlite path>');
const started = mode === 'api' ? await startApi(path) : await startBare(path);
process.send?.(started);
process.on('message', (message) => {
  if (message === 'cpu') process.send?.({ cpu: process.cpuUsage() });
  if (message === 'stop') process.exit(0);
});
