import { closeSync, copyFileSync, fsyncSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '@dgt/bus';
import { DetectionEngine } from '@dgt/detection';
import type { DgtEvent } from '@dgt/events';
import { openSqliteEventStore, streamPrefixes } from '@dgt/eventstore';
import { candidateAreas, demandCells, parsePlanningRows, PlanningFold, recordWeeks } from '@dgt/planning';
import { openSqliteReadModelStore } from '@dgt/readmodels';
import { Registry } from 'prom-client';
import { createProjectorMetrics } from '../src/metrics.ts';
import { createProjector } from '../src/projector.ts';
import { collectGarbage, fmt, generatedStore, median, spread } from './benchKit.ts';

/*
 * Planning aggregation (issue 19): lot occupancy, parking demand on H3 and segment exposure folded
 * from the record — the store read, the detection engine and the planning fold, as
 * `dgt report planning` runs them — against the projector's catch-up over the same store, measured
 * in the same run (target: ≥ 0.5× the projector). The projector's figure includes the planning
 * fold too (it folds planning with every batch) and its SQLite writes.
 *   BENCH_VEHICLES (25,000) × BENCH_FIXES (200) = 5 M fixes; BENCH_RUNS (3) runs each, medians;
 *   BENCH_EVENTS_COPY=file keeps the generated store and reuses it next time.
 */
const vehicles = Number(process.env.BENCH_VEHICLES ?? 25_000);
const fixes = Number(process.env.BENCH_FIXES ?? 200);
const runs = Math.max(1, Number(process.env.BENCH_RUNS ?? 3));
const dir = mkdtempSync(join(tmpdir(), 'dgt-planning-bench-'));




/** Store → engine → planning fold, the whole record, then the tables a planner asks for. */
async function planningRun(path: string): Promise<{ seconds: number; positions: number; cells: number; candidates: number; lots: number }> {
  const store = openSqliteEventStore({ path });
  collectGarbage();
  const t = performance.now();
  const engine = new DetectionEngine();
  const fold = new PlanningFold();
  let positions = 0;
  for await (const r of store.readAll()) {
    if (r.streamId.startsWith(streamPrefixes.detections)) continue;
    const e = r.event as DgtEvent;
    if (e.type === 'VehiclePositionReported') positions++;
    fold.apply(e, engine.apply(e), engine);
  }
  const rows = parsePlanningRows(fold.rows());
  const cells = demandCells(rows.cells, rows.lots, 'long', 8);
  const candidates = candidateAreas(rows.cells, rows.lots, { res: 8, weeks: recordWeeks(rows.meta) });
  const seconds = (performance.now() - t) / 1000;
  await store.close();
  return { seconds, positions, cells: cells.length, candidates: candidates.length, lots: rows.lots.length };
}

async function projectorRun(source: string, run: number): Promise<{ seconds: number; planningRows: number }> {
  const eventsPath = join(dir, `run-${run}.sqlite`);
  copyFileSync(source, eventsPath);
  const fd = openSync(eventsPath, 'r+');
  fsyncSync(fd);
  closeSync(fd);
  const store = openSqliteEventStore({ path: eventsPath });
  const readModels = await openSqliteReadModelStore({ path: join(dir, `readmodels-${run}.sqlite`) });
  const alerts = { publish: async () => undefined };
  const projector = createProjector({ store, readModels, alerts, metrics: createProjectorMetrics(new Registry()), logger: silentLogger });
  collectGarbage();
  const t = performance.now();
  await projector.catchUp();
  const seconds = (performance.now() - t) / 1000;
  const planningRows = (await readModels.planningRows()).length;
  await readModels.close();
  await store.close();
  rmSync(eventsPath, { force: true });
  rmSync(join(dir, `readmodels-${run}.sqlite`), { force: true });
  return { seconds, planningRows };
}

async function main(): Promise<void> {
  const t = performance.now();
  const { path, total } = await generatedStore(dir, vehicles, fixes, process.env.BENCH_EVENTS_COPY);
  process.stderr.write(`setup: ${fmt(total)} events (${fmt(vehicles)} vehicles × ${fixes} fixes + register, zones, consignments) ready in ${((performance.now() - t) / 1000).toFixed(1)} s (not timed)\n`);
  const planningRates: number[] = [];
  const projectorRates: number[] = [];
  let last = { positions: 0, cells: 0, candidates: 0, lots: 0 };
  let planningRows = 0;
  // Alternated, so a slow minute of the shared machine falls on both sides.
  for (let run = 1; run <= runs; run++) {
    const p = await planningRun(path);
    planningRates.push(p.positions / p.seconds);
    last = p;
    process.stderr.write(`  run ${run}: planning ${fmt(p.positions / p.seconds)} positions/s\n`);
    const q = await projectorRun(path, run);
    projectorRates.push(last.positions / q.seconds);
    planningRows = q.planningRows;
    process.stderr.write(`  run ${run}: projector ${fmt(last.positions / q.seconds)} positions/s\n`);
  }
  const planning = median(planningRates);
  const projector = median(projectorRates);
  console.log(`planning aggregation over ${fmt(last.positions)} positions (${fmt(total)} events, ${fmt(vehicles)} vehicles); median of ${runs} run(s)`);
  console.log(`  planning (store → engine → planning fold → tables): ${fmt(planning)} positions/s${spread(planningRates)}`);
  console.log(`  reference projector catch-up (store → engine + planning → SQLite read models): ${fmt(projector)} positions/s${spread(projectorRates)}`);
  console.log(`  ratio planning/projector: ${(planning / projector).toFixed(3)}  (target ≥ 0.5)`);
  console.log(`  tables: ${last.lots} lots, ${fmt(last.cells)} long-stop cells at res 8, ${last.candidates} candidate areas; projector wrote ${fmt(planningRows)} planning rows`);
  console.log(`  peak RSS: ${fmt(process.resourceUsage().maxRSS / 1024)} MB`);
}

main()
  .catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(() => rmSync(dir, { recursive: true, force: true }));
