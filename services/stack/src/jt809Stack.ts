import type { Bus, BusLogger, TopicNames } from '@dgt/bus';
import { createJt809Gateway, createPlatformAccounts, createVehicleRegister, gatewayConfig, liveVehicleRegister, type Jt809Gateway, type VehicleRegister } from '@dgt/jt809-gateway';
import type { ReadModelStore } from '@dgt/readmodels';
import type { Registry } from 'prom-client';
import type { Jt809StackOptions } from './startStack.ts';
import { StackError } from './stackError.ts';

interface Jt809Deps {
  readonly bus: Bus;
  readonly host: string;
  readonly topics: TopicNames;
  /** The API's registry: the gateway's dgt_jt809_* metrics appear on the stack's /metrics. */
  readonly registry: Registry;
  /** The live register's source when no fixed one is given. */
  readonly readModels: ReadModelStore;
  readonly logger: BusLogger;
}

/** How often the live register asks whether the projector committed since (it also reloads on an unknown plate). */
const REGISTER_REFRESH_MS = 1_000;

/**
 * The JT/T 809 gateway inside the stack, listening. Positions go to the same topic as ingest's,
 * alarms and registration mismatches to the consignments topic, exactly as the standalone service.
 */
export async function startJt809(o: Jt809StackOptions, deps: Jt809Deps): Promise<{ gateway: Jt809Gateway; host: string; port: number; close: () => Promise<void> }> {
  let register: VehicleRegister;
  let stopRegister = () => {};
  if (o.vehicles === undefined) {
    const live = liveVehicleRegister(deps.readModels, {
      refreshMs: REGISTER_REFRESH_MS,
      onError: (error) => deps.logger.warn('the register could not be reloaded; the last copy stays in use', { error: String(error) }),
    });
    await live.start();
    register = live;
    stopRegister = () => live.close();
  } else {
    register = createVehicleRegister(o.vehicles);
  }
  let gateway: Jt809Gateway;
  try {
    gateway = createJt809Gateway({
      config: gatewayConfig({ host: deps.host, port: o.port, positionsTopic: deps.topics.positions, platformEventsTopic: deps.topics.consignments }),
      bus: deps.bus,
      accounts: createPlatformAccounts(o.platforms),
      register,
      registry: deps.registry,
      logger: deps.logger,
    });
  } catch (error) {
    stopRegister();
    throw new StackError('START_FAILED', `the JT/T 809 gateway cannot start: ${(error as Error).message}`, { cause: error });
  }
  try {
    const { port } = await gateway.listen();
    const close = async () => {
      await gateway.close();
      stopRegister();
    };
    return { gateway, host: deps.host, port, close };
  } catch (error) {
    stopRegister();
    await gateway.close().catch(() => undefined);
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES') {
      throw new StackError('PORT_IN_USE', `port ${o.port} on ${deps.host} (JT/T 809 gateway) is ${code === 'EACCES' ? 'not permitted' : 'already in use'}: choose another with --jt809-port <n>, or --jt809-port off`, { cause: error });
    }
    throw error;
  }
}
