import { openEventStore } from '@dgt/eventstore';
import { buildApiApp } from './app.ts';
import { ApiConfigError, readApiConfig } from './env.ts';

async function main(): Promise<void> {
  const config = readApiConfig();
  const store = openEventStore(config.eventStore);
  const app = await buildApiApp({ config, store });
  const url = await app.listen({ port: config.port, host: config.host });
  console.log(`dgt api listening on ${url} (POST /v1/audits)`);
  const stop = async (signal: string): Promise<void> => {
    app.log.info({ signal }, 'shutting down');
    await app.close();
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
