import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '@dgt/bus';
import { DetectionEngine } from '@dgt/detection';
import type { DgtEvent } from '@dgt/events';
import { openSqliteEventStore, streamPrefixes } from '@dgt/eventstore';
import { openSqliteReadModelStore } from '@dgt/readmodels';
import { Registry } from 'prom-client';
import { createProjectorMetrics } from '../src/metrics.ts';
import { createProjector } from '../src/projector.ts';
import { record } from '../test/fixtures.ts';
import { fleetEvents } from '../test/syntheticFleet.ts';

/*
 * Projector throughput: store (SQLite) → engine → read models (SQLite), catch-up from an empty
 * checkpoint to the head. Reference, same run, same events: the bare in-memory engine rate
 * (DetectionEngine.apply over the events already in memory), and the bare store read rate.
 */
const vehicles = Number(process.env.BENCH_VEHICLES ?? 5_000);
const fixes = Number(process.env.BENCH_FIXES ?? 200);
const dir = mkdtempSync(join(tmpdir(), 'dgt-projector-bench-'));
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

async function main(): Promise<void> {
  const eventsPath = join(dir, 'events.sqlite');
  const store = openSqliteEventStore({ path: eventsPath });
  let t = performance.now();
  const total = await record(store, fleetEvents({ vehicles, fixesPerVehicle: fixes }));
  process.stderr.write(`setup: ${fmt(total)} events (${vehicles} vehicles × ${fixes} fixes + register, zones, consignments) written in ${((performance.now() - t) / 1000).toFixed(1)} s (not timed)\n`);

  // Reference 1: the store read alone (what the projector cannot go faster than).
  t = performance.now();
  const inMemory: DgtEvent[] = [];
  for await (const r of store.readAll()) if (!r.streamId.startsWith(streamPrefixes.detections)) inMemory.push(r.event as DgtEvent);
  const readS = (performance.now() - t) / 1000;

  // Reference 2: the bare engine on the same events, already in memory.
  t = performance.now();
  const engine = new DetectionEngine();
  let detections = 0;
  for (const e of inMemory) detections += engine.apply(e).detections.length;
  const engineS = (performance.now() - t) / 1000;
  inMemory.length = 0;

  // The projector: catch-up from nothing to the head, into SQLite read models.
  const readModels = await openSqliteReadModelStore({ path: join(dir, 'readmodels.sqlite') });
  const alerts = { count: 0, publish: async (a: readonly unknown[]) => void (alerts.count += a.length) };
  const projector = createProjector({ store, readModels, alerts, metrics: createProjectorMetrics(new Registry()), logger: silentLogger, ...(process.env.BENCH_BATCH ? { config: { maxBatchEvents: Number(process.env.BENCH_BATCH) } } : {}) });
  // BENCH_CPU_PROFILE=file.cpuprofile profiles the catch-up alone (setup and references excluded).
  const profilePath = process.env.BENCH_CPU_PROFILE;
  const session = profilePath ? new Session() : null;
  if (session) {
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.start');
  }
  t = performance.now();
  await projector.catchUp({ onProgress: (p) => process.stderr.write(`  … ${fmt(p.events)} events, ${fmt(p.eventsPerSecond)}/s\n`) });
  const projS = (performance.now() - t) / 1000;
  if (session && profilePath) {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(profilePath, JSON.stringify(profile));
    session.disconnect();
  }
  const sizes = await readModels.sizes();

  const projRate = total / projS;
  const engineRate = total / engineS;
  const readRate = total / readS;
  const rssMb = process.resourceUsage().maxRSS / 1024;
  console.log(`projector catch-up (SQLite store → engine → SQLite read models), ${fmt(total)} events, ${vehicles} vehicles`);
  console.log(`  projector:        ${fmt(projRate)} events/s  (${projS.toFixed(2)} s; target ≥ 200,000)`);
  console.log(`  reference engine: ${fmt(engineRate)} events/s  (bare DetectionEngine.apply, events in memory, ${engineS.toFixed(2)} s)`);
  console.log(`  ratio projector/engine: ${(projRate / engineRate).toFixed(3)}`);
  console.log(`  store read alone: ${fmt(readRate)} events/s  (${readS.toFixed(2)} s = ${((readS / projS) * 100).toFixed(0)} % of the projector's time)`);
  console.log(`  detections: ${fmt(detections)} (engine) / alerts published ${fmt(alerts.count)}; read models: ${JSON.stringify(sizes)}`);
  console.log(`  peak RSS: ${fmt(rssMb)} MB`);
  await readModels.close();
  await store.close();
}

main()
  .catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(() => rmSync(dir, { recursive: true, force: true }));
