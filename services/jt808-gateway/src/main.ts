import { startOpsServer, type OpsServer } from '@dgt/http';
import { createBus, topicNames, topicSpecs } from '@dgt/bus';
import { Registry } from 'prom-client';
import { readGatewayEnv, type GatewayEnv } from './env.ts';
import { GatewayError } from './errors.ts';
import { jsonLogger } from './logger.ts';
import { createJt808Gateway } from './server.ts';
import { openTerminalStateStore } from './state/terminalStateStore.ts';
import { createTerminalRecords } from './terminalRecords.ts';

/** Configuration mistakes end the process with one readable line, not a stack trace. */
function refuseToStart(message: string): never {
  process.stderr.write(`jt808-gateway: ${message}\n`);
  process.exit(78); // EX_CONFIG
}

let env: GatewayEnv;
try {
  env = readGatewayEnv();
} catch (e) {
  if (e instanceof GatewayError) refuseToStart(e.message);
  throw e;
}
// The gateway acks a terminal once its report is on the bus, and the terminal then forgets it:
// only a durable bus makes that ack true. The embedded stack will host the gateway on its own
// durable bus; standalone, that is Kafka.
if (env.bus.brokers.length === 0) {
  refuseToStart('KAFKA_BROKERS is not set: the gateway acknowledges reports only once they are on a durable bus, and standalone that is Kafka (e.g. KAFKA_BROKERS=kafka:9092)');
}
if (env.statePath === undefined) {
  refuseToStart('JT808_STATE_PATH is not set: the SQLite file where the gateway keeps terminal registrations (hashed auth codes) and their events, e.g. /var/lib/dgt/jt808-state.sqlite');
}

const logger = jsonLogger(env.logLevel);
const terminals = createTerminalRecords(env.terminals);
const state = openTerminalStateStore({ path: env.statePath, create: true });
const bus = createBus({ brokers: env.bus.brokers, clientId: env.bus.clientId, logger });
await bus.ensureTopics(topicSpecs(topicNames(env.bus.topics)));

const registry = new Registry();
const gateway = createJt808Gateway({ config: env.gateway, bus, terminals, state, registry, logger });
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
  state.close();
  process.exit(0);
};
process.once('SIGINT', () => void stop('SIGINT'));
process.once('SIGTERM', () => void stop('SIGTERM'));
