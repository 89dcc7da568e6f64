import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openSqliteReadModelStore } from '@dgt/readmodels';
import autocannon from 'autocannon';
import { FLEET_SIZE, fleetRow, prng } from './fleetFixture.ts';

/*
 * GET /v1/fleet latency with 5,000 live vehicles (SQLite read models, written by a
 * projector-like process committing 200 vehicles every 200 ms throughout), 200 concurrent
 * connections on loopback. Reference, same run and machine: a bare fastify route answering a
 * constant small JSON under the same load. Target: p99 ≤ 50 ms on the default page.
 *   BENCH_DURATION_S (default 15), BENCH_CONNECTIONS (default 200)
 */

const duration = Number(process.env.BENCH_DURATION_S ?? 15);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 200);
const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));

function child(file: string, args: string[]): { process: ChildProcess; first: Promise<unknown> } {
  const proc = fork(here(file), args, { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const first = new Promise((resolve, reject) => {
    proc.once('message', resolve);
    proc.once('exit', (code) => reject(new Error(`${file} exited with ${code}`)));
  });
  return { process: proc, first };
}

async function stop(proc: ChildProcess): Promise<unknown> {
  const answer = new Promise((resolve) => {
    proc.once('message', resolve);
    proc.once('exit', () => resolve(undefined));
  });
  proc.send('stop');
  return answer;
}

/** Size of the default page as the API serialises it, for the same-size reference. */
async function pageBytes(file: string): Promise<number> {
  const store = await openSqliteReadModelStore({ path: file, readonly: true });
  const page = await store.fleet({ scope: { carrierId: null }, limit: 100 });
  await store.close();
  return Buffer.byteLength(JSON.stringify(page));
}

async function seed(path: string): Promise<void> {
  const store = await openSqliteReadModelStore({ path });
  const random = prng(1);
  for (let start = 1; start <= FLEET_SIZE; start += 500) {
    const vehicles = Array.from({ length: Math.min(500, FLEET_SIZE - start + 1) }, (_, k) => fleetRow(start + k, random));
    await store.commit({ checkpoint: String(start), vehicles, violations: [], consignments: [], carriers: [], zones: [], withdrawnZoneIds: [], engineState: new Map() });
  }
  await store.close();
}

interface Row {
  readonly name: string;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly rps: number;
  readonly kbPerResponse: number;
  readonly bad: number;
}

async function load(name: string, url: string, key: string, seconds = duration, headers: Record<string, string> = {}): Promise<Row> {
  const r = await autocannon({ url, connections, duration: seconds, headers: { ...headers, ...(key === '' ? {} : { 'x-api-key': key }) } });
  return { name, p50: r.latency.p50, p90: r.latency.p90, p99: r.latency.p99, rps: r.requests.average, kbPerResponse: r.throughput.total / Math.max(1, r.requests.total) / 1024, bad: r.non2xx + r.errors + r.timeouts };
}

async function sample(url: string, key: string): Promise<{ items: { vehicleId: string; lastFix: { eventId: string } }[]; nextCursor: string | null }> {
  const res = await fetch(url, { headers: { 'x-api-key': key } });
  if (res.status !== 200) throw new Error(`${url} answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as { items: { vehicleId: string; lastFix: { eventId: string } }[]; nextCursor: string | null };
}

const dir = mkdtempSync(join(tmpdir(), 'dgt-fleet-bench-'));
const path = join(dir, 'readmodels.sqlite');
try {
  const seeding = performance.now();
  await seed(path);
  console.log(`seeded ${FLEET_SIZE} vehicles in ${((performance.now() - seeding) / 1000).toFixed(1)} s; ${connections} connections, ${duration} s per run`);

  const defaultPageBytes = await pageBytes(path);
  const bare = child('./fleetServer.ts', ['bare', String(defaultPageBytes)]);
  const bareAt = (await bare.first) as { url: string };
  await load('warm-up', `${bareAt.url}/v1/fleet`, '', 2);
  const rows: Row[] = [await load('reference: bare fastify, constant small JSON', `${bareAt.url}/v1/fleet`, '')];
  const sizedRef = await load(`bare fastify, constant ${(defaultPageBytes / 1024).toFixed(0)} KiB body (bytes alone)`, `${bareAt.url}/sized`, '');
  await stop(bare.process);

  const api = child('./fleetServer.ts', ['api', path]);
  const { url, key } = (await api.first) as { url: string; key: string };
  const writer = child('./fleetWriter.ts', [path]);
  await writer.first;
  const before = await sample(`${url}/v1/fleet?limit=5000`, key);
  if (before.items.length !== FLEET_SIZE) throw new Error(`expected ${FLEET_SIZE} vehicles, got ${before.items.length}`);
  await load('warm-up', `${url}/v1/fleet`, key, 2);
  const bbox = '121.2,28.5,121.4,28.7';
  rows.push(await load('GET /v1/fleet (default page, 100)', `${url}/v1/fleet`, key));
  rows.push(sizedRef);
  rows.push(await load('GET /v1/fleet, Accept-Encoding: gzip (as browsers send)', `${url}/v1/fleet`, key, duration, { 'accept-encoding': 'gzip' }));
  rows.push(await load(`GET /v1/fleet?bbox=${bbox}`, `${url}/v1/fleet?bbox=${bbox}`, key));
  rows.push(await load('GET /v1/fleet?limit=5000', `${url}/v1/fleet?limit=5000`, key));
  rows.push(await load('GET /v1/fleet?limit=5000, gzip', `${url}/v1/fleet?limit=5000`, key, duration, { 'accept-encoding': 'gzip' }));
  const after = await sample(`${url}/v1/fleet?limit=5000`, key);
  const moved = after.items.filter((v, i) => v.lastFix.eventId !== before.items[i]?.lastFix.eventId).length;
  const written = (await stop(writer.process)) as { commits: number; slowestCommitMs: number } | undefined;
  await stop(api.process);

  const ref = rows[0]!;
  console.log('\n| run | p50 ms | p90 ms | p99 ms | req/s | KiB/resp | non-2xx+errors | p99 vs ref | req/s vs ref |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of rows) {
    console.log(`| ${r.name} | ${r.p50} | ${r.p90} | ${r.p99} | ${Math.round(r.rps)} | ${r.kbPerResponse.toFixed(1)} | ${r.bad} | ${(r.p99 / Math.max(1, ref.p99)).toFixed(2)}× | ${(r.rps / ref.rps).toFixed(2)}× |`);
  }
  const fleet = rows[1]!;
  const zipped = rows[3]!;
  console.log(`\nwriter: ${written?.commits ?? '?'} commits of 200 vehicles (slowest ${written?.slowestCommitMs.toFixed(1) ?? '?'} ms); ${moved} of ${FLEET_SIZE} vehicles moved between the first and last sample, so the API followed the writes`);
  console.log(`target p99 ≤ 50 ms on the default page: ${fleet.p99 <= 50 ? 'MET' : 'NOT MET'} (${fleet.p99} ms plain, ${zipped.p99} ms gzip)`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
