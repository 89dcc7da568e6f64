import { startOpsServer, type OpsServer } from '@dgt/http';
import { createBus, topicNames, topicSpecs } from '@dgt/bus';
import { Registry } from 'prom-client';
import { readGatewayEnv } from './env.ts';
import { jsonLogger } from './logger.ts';
import { createJt808Gateway } from './server.ts';
import { createTerminalRegistry } from './terminalRegistry.ts';

const env = readGatewayEnv();
const logger = jsonLogger(env.logLevel);
const terminals = createTerminalRegistry({ terminals: env.terminals, authSecret: env.authSecret });
const bus = createBus({ brokers: env.bus.brokers, clientId: env.bus.clientId, logger });
await bus.ensureTopics(topicSpecs(topicNames(env.bus.topics)));
if (env.bus.brokers.length === 0) logger.warn('KAFKA_BROKERS is not set: positions go to the in-process bus and are lost on exit');

const registry = new Registry();
const gateway = createJt808Gateway({ config: env.gateway, bus, terminals, registry, logger });
const { port } = await gateway.listen();
let ops: OpsServer | undefined;
if (env.httpPort !== 0) {
  ops = await startOpsServer({
    name: 'jt808-gateway',
    host: env.httpHost,
    port: env.httpPort,
    registry,
    apiKeys: env.apiKeys,
    logLevel: env.logLevel,
    checks: () => ({ tcp: { ok: gateway.listening, detail: `tcp ${port}, ${gateway.connectionCount} connection(s)` } }),
  });
  logger.info('ops endpoints listening', { address: ops.address });
}

let stopping = false;
const stop = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  logger.info('stopping', { signal });
  await gateway.close();
  await ops?.close();
  await bus.close();
  process.exit(0);
};
process.once('SIGINT', () => void stop('SIGINT'));
process.once('SIGTERM', () => void stop('SIGTERM'));
