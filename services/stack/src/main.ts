import { join } from 'node:path';
import { dashboardIsCurrent, ensureDashboardBuilt } from '@dgt/api';
import { buildFleet } from '@dgt/simulator';
import { banner } from './banner.ts';
import { consoleLogger } from './consoleLogger.ts';
import { defaultDemoCarriers, loadOrCreateDemoKeys } from './demoKeys.ts';
import { loadOrCreateDemoPlatform, type DemoPlatform } from './demoPlatform.ts';
import { DemoTerminalCodes, resetStrandedTerminals } from './demoTerminalCodes.ts';
import { loadOrCreateDemoTerminals, type DemoTerminals } from './demoTerminals.ts';
import { demoJt808Delivery, jt808BannerLines, jt808Vehicles } from './jt808Demo.ts';
import { runDemoSimulation, type DemoSimulationResult } from './demoSimulation.ts';
import { demoJt809Delivery, jt809BannerLines, platformCarrier } from './jt809Demo.ts';
import { readStackOptions, stackHelp, UsageError, type StackCliOptions } from './env.ts';
import { seedVehicleRegister } from './seedRegister.ts';
import { loadSeeds, waitForSeedsProjected } from './seeds.ts';
import { isStackError } from './stackError.ts';
import { startStack, type Stack } from './startStack.ts';

/*
 * `npm start`: the stack, the seeds, the simulator, a banner; Ctrl-C stops it all cleanly.
 * Run as `node --import tsx services/stack/src/main.ts` (one process: no wrapper to relay signals).
 */

/** npm relays the terminal's SIGINT to its child, which also gets it from the terminal: one Ctrl-C can arrive twice. */
const SAME_KEYPRESS_MS = 1_000;

async function main(): Promise<number> {
  let cli: StackCliOptions;
  try {
    cli = readStackOptions(process.argv.slice(2));
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`${error.message}\n\n${stackHelp}\n`);
      return 2;
    }
    throw error;
  }
  if (cli.help) {
    process.stdout.write(`${stackHelp}\n`);
    return 0;
  }
  const log = consoleLogger('demo', cli.logLevel);
  // The desk's bundle, built here (not before --help) and only when missing or older than its sources.
  if (!dashboardIsCurrent()) {
    log.info('building the monitoring desk (first start, or its sources changed; ~10 s)…');
    ensureDashboardBuilt();
  }
  const carriers = demoCarriers(cli.vehicles);
  const keys = loadOrCreateDemoKeys(cli.dataDir, carriers);
  // One carrier's vehicles reach the stack through the JT/T 809 gateway, as its platform delivers them.
  const platform: DemoPlatform | undefined = cli.jt809Port === null ? undefined : loadOrCreateDemoPlatform(cli.dataDir, [platformCarrier(carriers)], cli.host);
  const register = platform === undefined && cli.jt808Port === null ? [] : seedVehicleRegister();
  // Every seeded vehicle has a JT/T 808 terminal record; a share of the simulated ones drive theirs.
  const terminals: DemoTerminals | undefined = cli.jt808Port === null ? undefined : loadOrCreateDemoTerminals(cli.dataDir, register);
  const viaJt809 = new Set(platform === undefined ? [] : register.filter((v) => platform.account.carriers.includes(v.carrierId)).map((v) => v.vehicleId));
  const simulatedTerminals = terminals === undefined || !cli.sim ? [] : jt808Vehicles(simulatedVehicleIds(cli.vehicles), viaJt809, terminals.entries, cli.jt808Share);
  const terminalCodes = new DemoTerminalCodes(cli.dataDir);

  const stopRequested = onInterrupt(log);
  const stack: Stack = await startStack({
    dataDir: cli.dataDir,
    host: cli.host,
    apiPort: cli.apiPort,
    ingestPort: cli.ingestPort,
    kafkaBrokers: cli.kafkaBrokers,
    synchronous: cli.synchronous,
    ...(cli.topicPrefix === undefined ? {} : { topicPrefix: cli.topicPrefix }),
    ...(cli.eventStoreUrl === undefined ? {} : { eventStoreUrl: cli.eventStoreUrl }),
    apiKeys: keys.entries,
    logLevel: cli.logLevel,
    serviceEnv: cli.serviceEnv,
    ...(platform === undefined || cli.jt809Port === null ? {} : { jt809: { port: cli.jt809Port, platforms: [platform.account] } }),
    ...(terminals === undefined || cli.jt808Port === null
      ? {}
      : {
          jt808: {
            port: cli.jt808Port,
            terminals: terminals.entries,
            statePath: join(cli.dataDir, JT808_STATE_FILE),
            prepare: (state) => {
              const reset = resetStrandedTerminals(state, simulatedTerminals, terminalCodes, new Date().toISOString());
              if (reset.length > 0) log.info('reset the registrations of simulated JT/T 808 terminals that could no longer log in (code lost or record changed)', { phones: reset });
            },
          },
        }),
  });
  const ingestKey = keys.keyFor('ingest');
  try {
    // The seeds are the register and the zones: an ingest key may not post the register.
    const seeds = await loadSeeds(stack.ingestUrl, keys.keyFor('registry'));
    await waitForSeedsProjected(stack.readModels, seeds);
    log.info('seeds loaded', { files: seeds.files, events: seeds.events });
  } catch (error) {
    await stack.stop().catch(() => undefined);
    throw error;
  }
  process.stdout.write(
    `${banner({
      dashboardUrl: stack.apiUrl,
      ingestUrl: stack.ingestUrl,
      bus: stack.describe.bus,
      store: stack.describe.store,
      dataDir: cli.dataDir,
      simulation: cli.sim ? `${cli.vehicles} vehicles at ${cli.speed}× real time` : 'off (--no-sim)',
      jt809: jt809BannerLines(stack.jt809, platform, cli.sim),
      jt808: jt808BannerLines(stack.jt808, terminals, simulatedTerminals.length, cli.vehicles, cli.sim),
      keys,
    })}\n`,
  );

  const abort = new AbortController();
  const simulation: Promise<DemoSimulationResult | null> = cli.sim
    ? runDemoSimulation({
        ingestUrl: stack.ingestUrl,
        ingestKey,
        dataDir: cli.dataDir,
        speed: cli.speed,
        vehicles: cli.vehicles,
        signal: abort.signal,
        log: consoleLogger('simulator', cli.logLevel),
        ...(stack.jt809 === undefined || platform === undefined ? {} : { jt809: demoJt809Delivery(stack.jt809, platform, register) }),
        ...(stack.jt808 === undefined || simulatedTerminals.length === 0 ? {} : { jt808: demoJt808Delivery(stack.jt808, simulatedTerminals, terminalCodes) }),
      }).catch((error: unknown) => {
        log.error('the simulator stopped', { error: error instanceof Error ? error.message : String(error) });
        return null;
      })
    : Promise.resolve(null);

  const reason = await Promise.race([stopRequested, stack.projector.done().then(() => 'projector ended', () => 'projector failed')]);
  log.info('stopping', { reason });
  abort.abort();
  const simulated = await simulation;
  if (simulated !== null) log.info('simulator stopped', { messages: simulated.messages, refusedMalformed: simulated.rejected, resumesAt: simulated.run.resumeAtMs });
  if (simulated?.jt809 !== undefined) {
    const j = simulated.jt809;
    log.info('jt809 demo platform stopped', { fixesSent: j.fixesSent, backfilled: j.fixesBackfilled, acknowledged: j.fixesAcknowledged, logins: j.logins, outages: j.outages, linksLost: j.linkLosses });
  }
  if (simulated?.jt808 !== undefined) {
    const t = simulated.jt808;
    log.info('jt808 simulated terminals stopped', { terminals: t.terminals, fixesSent: t.fixesSent, acknowledged: t.fixesAcknowledged, refused: t.fixesRefused, registrations: t.registrations, authentications: t.authentications, linksLost: t.linkLosses, textsReceived: t.textMessages, commandsAnswered: t.commandsAnswered });
  }
  await stack.stop();
  log.info('stopped; the next start continues from the data directory', { dataDir: cli.dataDir });
  return reason.startsWith('projector') ? 1 : 0;
}

/** The gateway's registrations and terminal event outbox, in the data directory. */
const JT808_STATE_FILE = 'jt808-state.sqlite';

/** The simulated vehicles' ids, in fleet order. */
function simulatedVehicleIds(vehicles: number): string[] {
  return buildFleet().vehicles.slice(0, vehicles).map((v) => v.vehicleId);
}

/** Carriers whose desks see moving vehicles: the owners of the first simulated vehicles. */
function demoCarriers(vehicles: number): string[] {
  const owners: string[] = [];
  for (const v of buildFleet().vehicles.slice(0, vehicles)) {
    if (!owners.includes(v.carrierId)) owners.push(v.carrierId);
    if (owners.length === 2) return owners;
  }
  return owners.length > 0 ? owners : [...defaultDemoCarriers];
}

/** Resolves on the first Ctrl-C (or SIGTERM); a later Ctrl-C exits at once. */
function onInterrupt(log: ReturnType<typeof consoleLogger>): Promise<string> {
  return new Promise((resolve) => {
    let firstAt: number | null = null;
    const handle = (signal: NodeJS.Signals): void => {
      const now = performance.now();
      if (firstAt === null) {
        firstAt = now;
        process.stderr.write(`\n${signal}: stopping cleanly… (Ctrl-C again to force)\n`);
        resolve(signal);
        return;
      }
      if (now - firstAt < SAME_KEYPRESS_MS) return;
      log.warn('forced exit: anything not yet recorded is lost; the next start resumes from the store');
      process.exit(130);
    };
    process.on('SIGINT', handle);
    process.on('SIGTERM', handle);
  });
}

main().then(
  (code) => {
    process.exitCode = code;
    // Lingering sockets (a browser's keep-alive, kafkajs timers) must not keep a stopped demo alive.
    setTimeout(() => process.exit(code), 2_000).unref();
  },
  (error: unknown) => {
    if (isStackError(error)) process.stderr.write(`dgt: ${error.message}\n`);
    else process.stderr.write(`dgt failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
