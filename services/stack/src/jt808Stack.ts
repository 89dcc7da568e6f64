import type { Bus, BusLogger, TopicNames } from '@dgt/bus';
import {
  createJt808Gateway,
  createTerminalRecords,
  gatewayConfig,
  openTerminalStateStore,
  type Jt808Gateway,
  type TerminalEntry,
  type TerminalRecords,
  type TerminalStateStore,
} from '@dgt/jt808-gateway';
import type { Registry } from 'prom-client';
import { StackError } from './stackError.ts';

export interface Jt808StackOptions {
  /** TCP port terminals connect to (the gateway's default 6808); 0 = any free port. */
  readonly port: number;
  /** The terminals it knows (`JT808_TERMINALS` entries: phone, plate, identity, vehicle). */
  readonly terminals: readonly TerminalEntry[];
  /** Registrations (hashed auth codes) and the terminal event outbox: a SQLite file, created 0600. */
  readonly statePath: string;
  /** Runs on the opened state before the gateway accepts a terminal (the demo resets terminals that lost their codes). */
  readonly prepare?: (state: TerminalStateStore) => void;
}

interface Jt808Deps {
  readonly bus: Bus;
  readonly host: string;
  readonly topics: TopicNames;
  /** The API's registry: the gateway's dgt_jt808_* metrics appear on the stack's /metrics. */
  readonly registry: Registry;
  readonly logger: BusLogger;
  /** Receipt clock of frames (epoch ms); the stack's `ingestNow`, so both gateways judge fix times alike. */
  readonly clock?: () => number;
}

export interface HostedJt808 {
  readonly gateway: Jt808Gateway;
  readonly host: string;
  readonly port: number;
  readonly terminals: number;
  readonly close: () => Promise<void>;
}

/**
 * The JT/T 808 gateway inside the stack, listening: terminals' positions go to the same topic as
 * ingest's, their registrations and resets to the consignments topic, exactly as the standalone
 * service. The stack's bus is durable, which the gateway requires (it acks a terminal's report
 * only once the report is on the bus).
 */
export async function startJt808(o: Jt808StackOptions, deps: Jt808Deps): Promise<HostedJt808> {
  let records: TerminalRecords;
  try {
    records = createTerminalRecords(o.terminals);
  } catch (error) {
    throw new StackError('START_FAILED', `the JT/T 808 terminal records are invalid: ${(error as Error).message}`, { cause: error });
  }
  let state: TerminalStateStore;
  try {
    state = openTerminalStateStore({ path: o.statePath, create: true });
  } catch (error) {
    throw new StackError('START_FAILED', `the JT/T 808 gateway's state ${o.statePath} cannot be opened: ${(error as Error).message}`, { cause: error });
  }
  let gateway: Jt808Gateway | undefined;
  try {
    o.prepare?.(state);
    gateway = createJt808Gateway({
      config: gatewayConfig({ host: deps.host, port: o.port, positionsTopic: deps.topics.positions, consignmentsTopic: deps.topics.consignments }),
      bus: deps.bus,
      terminals: records,
      state,
      registry: deps.registry,
      logger: deps.logger,
      ...(deps.clock === undefined ? {} : { clock: deps.clock }),
    });
    const { port } = await gateway.listen();
    const hosted = gateway;
    return {
      gateway: hosted,
      host: deps.host,
      port,
      terminals: records.size,
      close: async () => {
        try {
          await hosted.close();
        } finally {
          state.close();
        }
      },
    };
  } catch (error) {
    await gateway?.close().catch(() => undefined);
    state.close();
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES') {
      throw new StackError('PORT_IN_USE', `port ${o.port} on ${deps.host} (JT/T 808 gateway) is ${code === 'EACCES' ? 'not permitted' : 'already in use'}: choose another with --jt808-port <n>, or --jt808-port off`, { cause: error });
    }
    if (error instanceof StackError) throw error;
    throw new StackError('START_FAILED', `the JT/T 808 gateway cannot start: ${(error as Error).message}`, { cause: error });
  }
}
