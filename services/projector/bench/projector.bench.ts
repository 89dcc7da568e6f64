import { closeSync, copyFileSync, fsyncSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
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
import { collectGarbage, fmt, generatedStore, median, spread } from './benchKit.ts';

/*
 * Projector throughput: store (SQLite) → engine → read models (SQLite), catch-up from an empty
 * checkpoint to the head. References, same run, same events: the bare in-memory engine rate
 * (DetectionEngine.apply over the events already in memory), and the bare store read rate.
 * Each figure is the median of BENCH_RUNS runs (default 5): a shared 2-core machine varies by
 * ±30 % from one minute to the next, and a single run of either side says little.
 *   BENCH_VEHICLES (5,000) × BENCH_FIXES (200) fixes; BENCH_BATCH overrides maxBatchEvents;
 *   BENCH_EVENTS_COPY=file keeps the generated store there and reuses it next time (it depends
 *   on BENCH_VEHICLES/BENCH_FIXES: delete it after changing them);
 *   BENCH_CPU_PROFILE=file.cpuprofile profiles the last projector run.
 */
const vehicles = Number(process.env.BENCH_VEHICLES ?? 5_000);
const fixes = Number(process.env.BENCH_FIXES ?? 200);
const runs = Math.max(1, Number(process.env.BENCH_RUNS ?? 5));
const dir = mkdtempSync(join(tmpdir(), 'dgt-projector-bench-'));




/** One catch-up into fresh read models, on a fresh copy of the store (the projector appends its detections to it). */
async function projectorRun(source: string, run: number, profilePath: string | undefined): Promise<{ seconds: number; alerts: number; sizes: unknown }> {
  const eventsPath = join(dir, `run-${run}.sqlite`);
  copyFileSync(source, eventsPath);
  // Flush the copy's ~450 MB now: writeback during the timed run would be charged to the projector.
  const fd = openSync(eventsPath, 'r+');
  fsyncSync(fd);
  closeSync(fd);
  const store = openSqliteEventStore({ path: eventsPath });
  const readModels = await openSqliteReadModelStore({ path: join(dir, `readmodels-${run}.sqlite`) });
  const alerts = { count: 0, publish: async (a: readonly unknown[]) => void (alerts.count += a.length) };
  const batch = process.env.BENCH_BATCH;
  const projector = createProjector({ store, readModels, alerts, metrics: createProjectorMetrics(new Registry()), logger: silentLogger, ...(batch ? { config: { maxBatchEvents: Number(batch) } } : {}) });
  collectGarbage();
  const session = profilePath ? new Session() : null;
  if (session) {
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.start');
  }
  const t = performance.now();
  await projector.catchUp({ onProgress: (p) => process.stderr.write(`  run ${run}: ${fmt(p.events)} events, ${fmt(p.eventsPerSecond)}/s\n`) });
  const seconds = (performance.now() - t) / 1000;
  if (session && profilePath) {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(profilePath, JSON.stringify(profile));
    session.disconnect();
  }
  const sizes = await readModels.sizes();
  await readModels.close();
  await store.close();
  rmSync(eventsPath, { force: true });
  return { seconds, alerts: alerts.count, sizes };
}

async function main(): Promise<void> {
  let t = performance.now();
  const { path, total } = await generatedStore(dir, vehicles, fixes, process.env.BENCH_EVENTS_COPY);
  process.stderr.write(`setup: ${fmt(total)} events (${vehicles} vehicles × ${fixes} fixes + register, zones, consignments) ready in ${((performance.now() - t) / 1000).toFixed(1)} s (not timed)\n`);

  // Reference 1: the store read alone (what the projector cannot go faster than).
  const store = openSqliteEventStore({ path });
  const readRates: number[] = [];
  let inMemory: DgtEvent[] = [];
  for (let run = 0; run < runs; run++) {
    inMemory = [];
    collectGarbage();
    t = performance.now();
    for await (const r of store.readAll()) if (!r.streamId.startsWith(streamPrefixes.detections)) inMemory.push(r.event as DgtEvent);
    readRates.push(total / ((performance.now() - t) / 1000));
  }
  await store.close();

  // Reference 2: the bare engine on the same events, already in memory.
  const engineRates: number[] = [];
  let detections = 0;
  for (let run = 0; run < runs; run++) {
    const engine = new DetectionEngine();
    detections = 0;
    collectGarbage();
    t = performance.now();
    for (const e of inMemory) detections += engine.apply(e).detections.length;
    engineRates.push(total / ((performance.now() - t) / 1000));
  }
  // The references' million events are garbage now: each projector run starts after a full GC,
  // so it is not charged for someone else's heap.
  inMemory = [];

  const projectorRates: number[] = [];
  let last: { alerts: number; sizes: unknown } = { alerts: 0, sizes: null };
  for (let run = 1; run <= runs; run++) {
    const r = await projectorRun(path, run, run === runs ? process.env.BENCH_CPU_PROFILE : undefined);
    projectorRates.push(total / r.seconds);
    last = r;
  }

  const projRate = median(projectorRates);
  const engineRate = median(engineRates);
  const readRate = median(readRates);
  const rssMb = process.resourceUsage().maxRSS / 1024;
  console.log(`projector catch-up (SQLite store → engine → SQLite read models), ${fmt(total)} events, ${vehicles} vehicles; median of ${runs} run(s)`);
  console.log(`  projector:        ${fmt(projRate)} events/s  (target ≥ 200,000)${spread(projectorRates)}`);
  console.log(`  reference engine: ${fmt(engineRate)} events/s  (bare DetectionEngine.apply, events in memory)${spread(engineRates)}`);
  console.log(`  ratio projector/engine: ${(projRate / engineRate).toFixed(3)}`);
  console.log(`  store read alone: ${fmt(readRate)} events/s  (ratio projector/read ${(projRate / readRate).toFixed(3)})${spread(readRates)}`);
  console.log(`  detections: ${fmt(detections)} (engine) / alerts published ${fmt(last.alerts)}; read models: ${JSON.stringify(last.sizes)}`);
  console.log(`  peak RSS: ${fmt(rssMb)} MB (the references hold all events in memory; the projector does not)`);
}

main()
  .catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(() => rmSync(dir, { recursive: true, force: true }));
