import { createBus } from '@dgt/bus';
import { openEventStore } from '@dgt/eventstore';
import { openReadModelStore, openSqliteReadModelStore } from '@dgt/readmodels';
import { buildApiApp } from './app.ts';
import { ApiConfigError, readApiConfig } from './env.ts';

async function main(): Promise<void> {
  const config = readApiConfig();
  const store = openEventStore(config.eventStore);
  // The projector owns the file; the API only reads it (from another process, so read-only).
  const readModels = await openReadModelStore(config.readModels, { readonly: true });
  // The case list is the API's own read model: in its own writable file when configured.
  const cases = config.casesDbPath === undefined ? undefined : await openSqliteReadModelStore({ path: config.casesDbPath });
  const bus = createBus({ brokers: config.bus.brokers, clientId: config.bus.clientId });
  const app = await buildApiApp({ config, store, readModels, bus, ...(cases === undefined ? {} : { caseReadModel: cases }) });
  const url = await app.listen({ port: config.port, host: config.host });
  console.log(`dgt api listening on ${url} (/v1/…, OpenAPI at /docs)`);
  const stop = async (signal: string): Promise<void> => {
    app.log.info({ signal }, 'shutting down');
    await app.close();
    await bus.close();
    await readModels.close();
    await cases?.close();
    await store.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(error instanceof ApiConfigError ? error.message : error);
  process.exit(1);
});
