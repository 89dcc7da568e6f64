import { createBus, topicNames, topicSpecs, type BusLogger } from '@dgt/bus';
import { buildIngestApp } from './app.ts';
import { IngestConfigError, readIngestConfig } from './env.ts';

async function main(): Promise<void> {
  const config = readIngestConfig();
  if (config.bus.brokers.length === 0) {
    // The in-process bus would live and die with this process, with no recorder in it: every 202
    // would be a promise nobody keeps.
    throw new IngestConfigError(
      'KAFKA_BROKERS is required: a standalone ingest gateway publishes to Kafka, where the recorder reads. To run everything in one process with a durable embedded bus, use `npm start`.',
    );
  }
  // The bus logs through the app's logger once it exists; until then kafkajs stays quiet.
  const sink: { log?: BusLogger } = {};
  const bus = createBus({
    brokers: config.bus.brokers,
    clientId: config.bus.clientId,
    logger: {
      debug: (m, f) => sink.log?.debug(m, f),
      info: (m, f) => sink.log?.info(m, f),
      warn: (m, f) => sink.log?.warn(m, f),
      error: (m, f) => sink.log?.error(m, f),
    },
  });
  await bus.ensureTopics(topicSpecs(topicNames(config.bus.topics)));
  const app = await buildIngestApp({ config, bus });
  sink.log = {
    debug: (m, f) => app.log.debug(f ?? {}, m),
    info: (m, f) => app.log.info(f ?? {}, m),
    warn: (m, f) => app.log.warn(f ?? {}, m),
    error: (m, f) => app.log.error(f ?? {}, m),
  };
  const url = await app.listen({ port: config.port, host: config.host });
  console.log(`dgt ingest listening on ${url} (POST /v1/events), publishing to Kafka ${config.bus.brokers.join(',')}`);

  let stopping = false;
  const stop = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'shutting down');
    // Stops accepting requests, lets in-flight ones finish, then flushes and closes the producer.
    await app.close();
    await bus.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(error instanceof IngestConfigError ? error.message : error);
  process.exit(1);
});
