import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { BusSynchronous } from '@dgt/bus';
import { parseSpeed, type Speed } from '@dgt/simulator';
import { stackLogLevels, type StackLogLevel } from './consoleLogger.ts';

export const stackHelp = `Usage: npm start [-- options]

The whole dgt system in one process: ingest gateway, recorder, projector, query API and the
monitoring dashboard, on SQLite files in the data directory. Loads the Taizhou seeds (zones,
carriers, vehicles) and runs the fleet simulator in accelerated real time; one carrier's vehicles
reach the stack as a JT/T 809 platform would deliver them (login, 0x1202 fixes, an outage every
few minutes followed by 0x1203 back-fill) through the JT/T 809 gateway, a share of the others as
BeiDou terminals over JT/T 808 (register, authenticate, 0x0200 reports, heartbeats) through the
JT/T 808 gateway, the rest over HTTP. The JT/T 808 gateway knows a terminal for every seeded
vehicle (<data>/terminals.json: phones, plates, identities), so a real terminal can report too.
Prints the dashboard URL, the gateways' ports and a demo API key per role. Ctrl-C stops cleanly
(twice: at once); the next start continues from the data directory.

Without --kafka the bus is embedded and durable: its log is <data>/bus.sqlite (mode 0600). The
gateway answers 202 only after the events are committed there; after a crash or kill the next
start records whatever was acknowledged but not yet in the event store. The log keeps only what
the recorder has not recorded yet (and, for a week, what no consumer reads, e.g. dead letters).

Options:
  --no-sim               do not run the simulator (seeds only; post your own events to ingest)
  --kafka <brokers>      use Kafka (comma-separated host:port) instead of the embedded bus
  --synchronous <mode>   normal (default): an acknowledged event survives the process being
                         killed; full: also an OS crash or power loss (fsync per commit, slower).
                         Applies to bus.sqlite and events.sqlite
  --eventstore <url>     use EventStoreDB (e.g. esdb://localhost:2113?tls=false) instead of SQLite
  --data <dir>           data directory (default ./data, relative to where you ran npm)
  --port <n>             API and dashboard port (default 8080)
  --ingest-port <n>      ingest gateway port (default: the API port + 1)
  --jt809-port <n|off>   JT/T 809 gateway port for monitoring platforms (default 9809, any free
                         port when --port is 0); off: no gateway, the whole fleet over HTTP
  --jt808-port <n|off>   JT/T 808 gateway port for BeiDou terminals (default 6808, any free port
                         when --port is 0); off: no gateway, no simulated terminals
  --jt808-share <p>      share of the simulated vehicles (outside the JT/T 809 platform's carrier)
                         driven as JT/T 808 terminals, as 10% or 0.1 (default 10%; 0: none)
  --host <addr>          interface to listen on (default 127.0.0.1)
  --speed <x>            simulated seconds per second (default 30)
  --vehicles <n>         simulated vehicles (default 300, at most 2400)
  --log-level <level>    debug | info | warn | error | silent (default info)
  -h, --help             show this help

Environment: KAFKA_BROKERS, DGT_SYNCHRONOUS and EVENTSTORE_URL as defaults for --kafka,
--synchronous and --eventstore; API_*, INGEST_*, DGT_DASHBOARD_TILE_URL and DGT_COMPLIANCE_RULES
are passed to the apps.`;

export interface StackCliOptions {
  readonly help: boolean;
  readonly sim: boolean;
  readonly kafkaBrokers: readonly string[];
  /** SQLite `synchronous` of the embedded bus and the event store (NORMAL | FULL). */
  readonly synchronous: BusSynchronous;
  readonly eventStoreUrl: string | undefined;
  readonly dataDir: string;
  readonly host: string;
  readonly apiPort: number;
  readonly ingestPort: number;
  /** JT/T 809 gateway port; null = not run (--jt809-port off). */
  readonly jt809Port: number | null;
  /** JT/T 808 gateway port; null = not run (--jt808-port off). */
  readonly jt808Port: number | null;
  /** Share (0–1) of the simulated vehicles driven as JT/T 808 terminals. */
  readonly jt808Share: number;
  readonly speed: Speed;
  readonly vehicles: number;
  readonly logLevel: StackLogLevel;
  /** DGT_TOPIC_PREFIX: Kafka topic names (default dg.). */
  readonly topicPrefix: string | undefined;
  /** Settings for the apps, passed through from the environment. */
  readonly serviceEnv: Readonly<Record<string, string>>;
}

export class UsageError extends Error {
  override readonly name = 'UsageError';
  readonly code = 'USAGE';
}

/** The only place `npm start` reads its arguments and the environment. */
export function readStackOptions(argv: readonly string[], env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): StackCliOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      allowPositionals: false,
      options: {
        'no-sim': { type: 'boolean', default: false },
        kafka: { type: 'string' },
        synchronous: { type: 'string' },
        eventstore: { type: 'string' },
        data: { type: 'string' },
        port: { type: 'string' },
        'ingest-port': { type: 'string' },
        'jt809-port': { type: 'string' },
        'jt808-port': { type: 'string' },
        'jt808-share': { type: 'string' },
        host: { type: 'string' },
        speed: { type: 'string' },
        vehicles: { type: 'string' },
        'log-level': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const apiPort = port('--port', values.port, 8080);
  const ingestPort = port('--ingest-port', values['ingest-port'], apiPort === 0 ? 0 : apiPort + 1);
  if (apiPort !== 0 && apiPort === ingestPort) throw new UsageError('--port and --ingest-port must differ');
  // Tests run several stacks at once with --port 0: they must not all fight over 9809.
  const jt809Port = gatewayPortOf('--jt809-port', values['jt809-port'], apiPort === 0 ? 0 : 9809);
  if (jt809Port !== null && jt809Port !== 0 && (jt809Port === apiPort || jt809Port === ingestPort)) throw new UsageError('--jt809-port must differ from --port and --ingest-port');
  const jt808Port = gatewayPortOf('--jt808-port', values['jt808-port'], apiPort === 0 ? 0 : 6808);
  if (jt808Port !== null && jt808Port !== 0 && (jt808Port === apiPort || jt808Port === ingestPort || jt808Port === jt809Port)) {
    throw new UsageError('--jt808-port must differ from --port, --ingest-port and --jt809-port');
  }
  const jt808Share = shareOf(values['jt808-share']);
  const speed = parseSpeed(values.speed ?? '30');
  if (speed === null) throw new UsageError(`--speed must be a positive number or "max", got "${values.speed}"`);
  const vehicles = Number(values.vehicles ?? '300');
  if (!Number.isInteger(vehicles) || vehicles < 1 || vehicles > 2400) throw new UsageError(`--vehicles must be an integer from 1 to 2400, got "${values.vehicles}"`);
  const logLevel = values['log-level'] ?? 'info';
  if (!isLogLevel(logLevel)) throw new UsageError(`--log-level must be one of ${stackLogLevels.join(', ')}, got "${logLevel}"`);
  const kafkaText = values.kafka ?? env.KAFKA_BROKERS ?? '';
  const kafkaBrokers = kafkaText.split(',').map((b) => b.trim()).filter((b) => b !== '');
  if (values.kafka !== undefined && kafkaBrokers.length === 0) throw new UsageError('--kafka needs at least one broker host:port');
  const synchronous = (values.synchronous ?? env.DGT_SYNCHRONOUS ?? 'normal').trim().toUpperCase();
  if (synchronous !== 'NORMAL' && synchronous !== 'FULL') throw new UsageError(`--synchronous must be normal or full, got "${values.synchronous ?? env.DGT_SYNCHRONOUS}"`);
  const eventStoreUrl = values.eventstore ?? (env.EVENTSTORE_URL?.trim() || undefined);
  if (eventStoreUrl !== undefined && !/^(esdb|esdb\+discover|kurrentdb|kurrentdb\+discover):\/\//.test(eventStoreUrl)) {
    throw new UsageError(`--eventstore must be an EventStoreDB connection string like esdb://localhost:2113?tls=false, got "${eventStoreUrl}"`);
  }
  // `npm start` runs in the repository root; INIT_CWD is where the user typed it.
  const base = env.INIT_CWD?.trim() || cwd;
  return {
    help: values.help,
    sim: !values['no-sim'],
    kafkaBrokers,
    synchronous,
    eventStoreUrl,
    dataDir: resolve(base, values.data ?? 'data'),
    host: values.host ?? '127.0.0.1',
    apiPort,
    ingestPort,
    jt809Port,
    jt808Port,
    jt808Share,
    speed,
    vehicles,
    logLevel,
    topicPrefix: env.DGT_TOPIC_PREFIX?.trim() || undefined,
    serviceEnv: passThrough(env),
  };
}

function port(flag: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > 65_535) throw new UsageError(`${flag} must be a port number from 0 to 65535, got "${text}"`);
  return n;
}

function gatewayPortOf(flag: string, text: string | undefined, fallback: number): number | null {
  if (text?.trim().toLowerCase() === 'off') return null;
  try {
    return port(flag, text, fallback);
  } catch {
    throw new UsageError(`${flag} must be a port number from 0 to 65535, or off, got "${text}"`);
  }
}

/** `10%` or `0.1`; default 10 %. */
function shareOf(text: string | undefined): number {
  if (text === undefined) return 0.1;
  const t = text.trim();
  const n = t.endsWith('%') ? Number(t.slice(0, -1)) / 100 : Number(t);
  if (t === '' || t === '%' || !Number.isFinite(n) || n < 0 || n > 1) throw new UsageError(`--jt808-share must be a share from 0 to 1 or a percentage from 0% to 100%, got "${text}"`);
  return n;
}

function isLogLevel(text: string): text is StackLogLevel {
  return (stackLogLevels as readonly string[]).includes(text);
}

/** The apps' own settings; ports, hosts, keys and log levels are the stack's and are not passed. */
function passThrough(env: NodeJS.ProcessEnv): Record<string, string> {
  const owned = new Set(['API_PORT', 'API_HOST', 'API_LOG_LEVEL', 'INGEST_PORT', 'INGEST_HOST', 'INGEST_LOG_LEVEL']);
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || owned.has(name)) continue;
    if (name.startsWith('API_') || name.startsWith('INGEST_') || name === 'DGT_DASHBOARD_TILE_URL' || name === 'DGT_COMPLIANCE_RULES') out[name] = value;
  }
  return out;
}
