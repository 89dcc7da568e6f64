/*
 * One server of the ingest bench, in its own process (the loader must not share its event loop):
 *   serve.ts bare              a bare fastify route that parses the JSON body and answers 202
 *   serve.ts ingest-noop       the gateway, publishing to a durable no-op bus (every send acked at once)
 *   serve.ts ingest-sqlite     the gateway as `npm start` runs it: the embedded SQLite bus and the
 *                              SQLite event store for the duplicate/conflict lookup, in a temp dir
 * Prints `listening <port>` on stdout once it listens.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSqliteBus, readBusConfig, type Bus } from '@dgt/bus';
import { openSqliteEventLookup, openSqliteEventStore } from '@dgt/eventstore';
import Fastify from 'fastify';
import { buildIngestApp, ingestTopics, readIngestConfig } from '../src/index.ts';
import { BENCH_KEY } from './benchKey.ts';
import { noopBus } from './noopBus.ts';

const variant = process.argv[2];

async function bare(): Promise<{ listen: () => Promise<string> }> {
  const app = Fastify({ bodyLimit: 16 * 1024 * 1024 });
  app.post('/v1/events', async (request, reply) => reply.code(202).send({ accepted: (request.body as unknown[]).length }));
  return { listen: () => app.listen({ port: 0, host: '127.0.0.1' }) };
}

async function ingest(sqlite: boolean): Promise<{ listen: () => Promise<string> }> {
  const { hashApiKey } = await import('@dgt/http');
  const config = readIngestConfig({
    DGT_API_KEYS: JSON.stringify([{ id: 'bench', role: 'ingest', sha256: hashApiKey(BENCH_KEY) }]),
    INGEST_LOG_LEVEL: 'silent',
    // High enough never to refuse the bench's load; the buckets are still checked and charged.
    INGEST_RATE_LIMIT_EVENTS_PER_S: '1000000000',
    INGEST_RATE_LIMIT_BURST: '1000000000',
  });
  let bus: Bus = noopBus();
  let lookup;
  if (sqlite) {
    const dir = mkdtempSync(join(tmpdir(), 'dgt-ingest-bench-'));
    bus = createSqliteBus({ path: join(dir, 'bus.sqlite') });
    await bus.ensureTopics(ingestTopics(config).specs);
    const store = openSqliteEventStore({ path: join(dir, 'events.sqlite') });
    await store.close();
    lookup = openSqliteEventLookup({ path: join(dir, 'events.sqlite') });
  }
  const app = await buildIngestApp({ config: { ...config, bus: readBusConfig({}) }, bus, defaultMetrics: false, ...(lookup === undefined ? {} : { lookup }) });
  return { listen: () => app.listen({ port: 0, host: '127.0.0.1' }) };
}

const server = variant === 'bare' ? await bare() : variant === 'ingest-noop' ? await ingest(false) : variant === 'ingest-sqlite' ? await ingest(true) : undefined;
if (server === undefined) throw new Error(`unknown variant ${variant}`);
const address = await server.listen();
process.stdout.write(`listening ${new URL(address).port}\n`);
// The bench ends the process with SIGTERM; --cpu-prof writes its profile on a normal exit only.
process.on('SIGTERM', () => process.exit(0));
