import { startOpsServer, type OpsServer } from '@dgt/http';
import { createBus, topicNames, topicSpecs } from '@dgt/bus';
import { Registry } from 'prom-client';
import { readGatewayEnv, type GatewayEnv } from './env.ts';
import { GatewayError, jsonLogger } from '@dgt/jt808-gateway';
import { createPlatformAccounts } from './platformAccounts.ts';
import { linksRoute } from './linksRoute.ts';
import { createJt809Gateway } from './server.ts';
import { openRegister } from './registerSource.ts';

/** Configuration mistakes end the process with one readable line, not a stack trace. */
function refuseToStart(message: string): never {
  process.stderr.write(`jt809-gateway: ${message}\n`);
  process.exit(78); // EX_CONFIG
}

let env: GatewayEnv;
try {
  env = readGatewayEnv();
} catch (e) {
  if (e instanceof GatewayError) refuseToStart(e.message);
  throw e;
}
// A heartbeat reply says "everything before it is on the bus": only a durable bus makes that true.
if (env.bus.brokers.length === 0) {
  refuseToStart('KAFKA_BROKERS is not set: the gateway answers a platform\'s heartbeat only once its data is on a durable bus, and standalone that is Kafka (e.g. KAFKA_BROKERS=kafka:9092)');
}
if (env.platforms.length === 0) refuseToStart('no platform is configured: set JT809_PLATFORMS_FILE (see services/jt809-gateway/README.md)');
if (env.vehicles.length === 0 && env.readModelsPath === undefined) {
  refuseToStart("no register: a platform may publish only its carriers' registered vehicles. Set DGT_READMODELS_PATH to the projector's readmodels.sqlite (the live register) or JT809_VEHICLES_FILE to a fixed list");
}

const logger = jsonLogger(env.logLevel, 'jt809-gateway');
const bus = createBus({ brokers: env.bus.brokers, clientId: env.bus.clientId, logger });
await bus.ensureTopics(topicSpecs(topicNames(env.bus.topics)));

const register = await openRegister(env, (error) => logger.warn('the register could not be reloaded; the last copy stays in use', { error: String(error) }));
const registry = new Registry();
const gateway = createJt809Gateway({
  config: env.gateway,
  bus,
  accounts: createPlatformAccounts(env.platforms),
  register: register.register,
  registry,
  logger,
});
const { port } = await gateway.listen();
let ops: OpsServer | undefined;
if (env.httpPort !== 0) {
  ops = await startOpsServer({
    name: 'jt809-gateway',
    host: env.httpHost,
    port: env.httpPort,
    registry,
    apiKeys: env.apiKeys,
    logLevel: env.logLevel,
    checks: () => {
      const up = gateway.status().filter((s) => s.mainLink === 'up').length;
      return { tcp: { ok: gateway.listening, detail: `tcp ${port}, ${up} of ${env.platforms.length} platform(s) logged in` } };
    },
    jsonRoutes: [linksRoute(gateway)],
  });
  logger.info('ops endpoints listening', { address: ops.address });
}

let stopping = false;
const stop = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  logger.info('stopping', { signal });
  await gateway.close();
  await register.close();
  await ops?.close();
  await bus.close();
  process.exit(0);
};
process.once('SIGINT', () => void stop('SIGINT'));
process.once('SIGTERM', () => void stop('SIGTERM'));
