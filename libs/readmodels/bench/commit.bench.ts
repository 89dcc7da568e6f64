/**
 * Commit throughput of the SQLite read-model store, against raw better-sqlite3 upserts of the
 * same rows measured in the same run (the floor an adapter can reach on this machine).
 * Steady state of a projector over a busy fleet: every commit rewrites 5,000 vehicles and
 * upserts 1,000 violations (half new, half closing earlier ones). Then the API side: fleet
 * and violation pages read back.
 *   npm run bench -w @dgt/readmodels   (COMMITS=30 VEHICLES=5000 VIOLATIONS=1000 to change)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { ReadModelBatch } from '../src/port.ts';
import { openSqliteReadModelStore } from '../src/sqlite/sqliteReadModelStore.ts';
import type { FleetVehicle, ViolationView } from '../src/views.ts';
import { batch, vehicleRow, violationRow } from '../test/fixtures.ts';

const COMMITS = Number(process.env.COMMITS ?? 30);
const VEHICLES = Number(process.env.VEHICLES ?? 5000);
const VIOLATIONS = Number(process.env.VIOLATIONS ?? 1000);
const dir = mkdtempSync(join(tmpdir(), 'dgt-readmodels-bench-'));

function vehicles(k: number): FleetVehicle[] {
  return Array.from({ length: VEHICLES }, (_, i) =>
    vehicleRow(`V${String(i).padStart(6, '0')}`, `C${i % 40}`, {
      lon: 121 + ((i * 7 + k) % 1000) / 1000,
      lat: 28.5 + ((i * 13 + k) % 1000) / 2000,
      laden: (i + k) % 3 !== 0,
      waybillNo: `WB${i}-${k}`,
      goods: [{ unNumber: 'UN1203', name: 'Gasoline', hazardClass: '3', quantityKg: 20_000 }],
      zones: i % 5 === 0 ? [{ zoneId: `Z${i % 300}`, kind: 'chemical-park', name: `Park ${i % 300}` }] : [],
      openViolations: i % 11 === 0 ? [{ violationId: `X${i}`, kind: 'illegal-parking', startedAt: '2026-03-01T08:00:00+08:00' }] : [],
    }),
  );
}

function violations(k: number): ViolationView[] {
  const half = VIOLATIONS / 2;
  return Array.from({ length: VIOLATIONS }, (_, i) => {
    // Half open new violations of this commit, half close those opened by the previous one.
    const opening = i < half;
    const id = opening ? `X${k}-${i}` : `X${k - 1}-${i - half}`;
    const minute = String((k * 7 + i) % 60).padStart(2, '0');
    return violationRow(id, {
      vehicleId: `V${String((i * 5) % VEHICLES).padStart(6, '0')}`,
      carrierId: `C${i % 40}`,
      status: opening || k === 0 ? 'open' : 'closed',
      startedAt: `2026-03-${String(1 + (k % 28)).padStart(2, '0')}T08:${minute}:00+08:00`,
      endedAt: opening ? null : '2026-03-01T09:00:00+08:00',
      evidence: [`fix-${id}-a`, `fix-${id}-b`, `wb-${id}`],
    });
  });
}

function batches(): ReadModelBatch[] {
  return Array.from({ length: COMMITS }, (_, k) =>
    batch(String((k + 1) * 10_000), { vehicles: vehicles(k), violations: violations(k), engineState: new Map([['engine', 'x'.repeat(50_000)]]) }),
  );
}

function rate(n: number, ms: number): string {
  return `${Math.round((n / ms) * 1000).toLocaleString('en-US')}/s`;
}

async function adapterRun(input: ReadModelBatch[]): Promise<number> {
  const store = await openSqliteReadModelStore({ path: join(dir, 'adapter.sqlite') });
  await store.commit(input[0]!); // warm-up: statements prepared, tables populated
  const t0 = performance.now();
  for (const b of input.slice(1)) await store.commit(b);
  const ms = performance.now() - t0;

  const scope = { carrierId: null };
  const time = async (label: string, runs: number, f: () => Promise<unknown>) => {
    const s = performance.now();
    for (let i = 0; i < runs; i++) await f();
    console.log(`  ${label}: ${((performance.now() - s) / runs).toFixed(2)} ms`);
  };
  console.log('queries (SQLite adapter, same file):');
  await time(`fleet, all ${VEHICLES} vehicles in one page`, 20, () => store.fleet({ scope, limit: VEHICLES }));
  await time('fleet, page of 500', 100, () => store.fleet({ scope, limit: 500 }));
  await time('fleet, one carrier, laden, bbox', 100, () => store.fleet({ scope: { carrierId: 'C7' }, laden: true, bbox: { west: 121.2, south: 28.6, east: 121.8, north: 28.9 }, limit: 500 }));
  await time('violations, newest 100', 100, () => store.violations({ scope, limit: 100 }));
  await time('violations, open, one carrier, 100', 100, () => store.violations({ scope: { carrierId: 'C3' }, status: 'open', limit: 100 }));
  await time('sizes', 100, () => store.sizes());
  await store.close();
  return ms;
}

function rawRun(input: ReadModelBatch[]): number {
  const db = new Database(join(dir, 'raw.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec('CREATE TABLE v (id TEXT PRIMARY KEY, json TEXT NOT NULL); CREATE TABLE x (id TEXT PRIMARY KEY, json TEXT NOT NULL); CREATE TABLE m (k TEXT PRIMARY KEY, v TEXT)');
  const v = db.prepare('INSERT INTO v (id, json) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET json = excluded.json');
  const x = db.prepare('INSERT INTO x (id, json) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET json = excluded.json');
  const m = db.prepare('INSERT INTO m (k, v) VALUES (?, ?) ON CONFLICT (k) DO UPDATE SET v = excluded.v');
  const commit = db.transaction((b: ReadModelBatch) => {
    for (const r of b.vehicles) v.run(r.vehicleId, JSON.stringify(r));
    for (const r of b.violations) x.run(r.violationId, JSON.stringify(r));
    for (const [k, val] of b.engineState) m.run(k, val);
    m.run('checkpoint', b.checkpoint);
  });
  commit(input[0]!);
  const t0 = performance.now();
  for (const b of input.slice(1)) commit(b);
  const ms = performance.now() - t0;
  db.close();
  return ms;
}

try {
  console.log(`building ${COMMITS} batches of ${VEHICLES} vehicles + ${VIOLATIONS} violations…`);
  const input = batches();
  const commits = COMMITS - 1;
  const rows = commits * (VEHICLES + VIOLATIONS);
  const raw = rawRun(input);
  const adapter = await adapterRun(input);
  console.log(`raw better-sqlite3 upserts (id + json, 1 index each): ${commits} commits in ${raw.toFixed(0)} ms = ${(raw / commits).toFixed(1)} ms/commit, ${rate(rows, raw)} rows`);
  console.log(`SQLite adapter commit (filter columns, 5 indexes):     ${commits} commits in ${adapter.toFixed(0)} ms = ${(adapter / commits).toFixed(1)} ms/commit, ${rate(rows, adapter)} rows`);
  console.log(`ratio adapter / raw (throughput): ${(raw / adapter).toFixed(2)}×`);
  const perCommit = adapter / commits;
  for (const events of [10_000, 50_000, 100_000])
    console.log(`  a projector committing every ${events.toLocaleString('en-US')} events spends ${((perCommit * 1000) / events).toFixed(2)} µs/event on commits (cap ${rate(events, perCommit)})`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
