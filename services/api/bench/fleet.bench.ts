import { fork, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openSqliteReadModelStore } from '@dgt/readmodels';
import autocannon from 'autocannon';
import { FLEET_SIZE, fleetRow, prng } from './fleetFixture.ts';
import { runLoad } from './httpLoad.ts';

/*
 * GET /v1/fleet latency with 5,000 live vehicles (SQLite read models, written by a
 * projector-like process committing 200 vehicles every 200 ms throughout), 200 concurrent
 * connections on loopback. References, same run and machine: a bare fastify route answering a
 * constant small JSON, and one answering the default page's exact bytes (what moving them costs).
 * Target: p99 ≤ 50 ms on the default page.
 * Loader: bench/httpLoad.ts, which skips bodies by counting bytes. autocannon decodes and
 * concatenates every body as UTF-8 text, and with ~35 KiB non-ASCII pages it saturated its core
 * before the API did (100 % vs 31 % CPU); one autocannon row per page kind shows that cost.
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

async function seed(path: string): Promise<void> {
  const store = await openSqliteReadModelStore({ path });
  const random = prng(1);
  for (let start = 1; start <= FLEET_SIZE; start += 500) {
    const vehicles = Array.from({ length: Math.min(500, FLEET_SIZE - start + 1) }, (_, k) => fleetRow(start + k, random));
    await store.commit({ checkpoint: String(start), vehicles, violations: [], consignments: [], carriers: [], zones: [], withdrawnZoneIds: [], engineState: new Map() });
  }
  await store.close();
}

type Loader = 'lean' | 'autocannon';

interface Row {
  readonly name: string;
  readonly loader: Loader;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
  readonly rps: number;
  readonly kbPerResponse: number;
  readonly bad: number;
  readonly errorKinds: Readonly<Record<string, number>>;
  /** CPU time over wall time during the run, in % of one core: the server child and this process (the loader). */
  readonly serverCpu: number;
  readonly loaderCpu: number;
  /** All processes on the machine (NaN off Linux): what is left after server and loader is other work, such as other engineers' runs. */
  readonly machineCpu: number;
}

/** Busy CPU milliseconds of the whole machine since boot, softirq (loopback TCP) included; os.cpus() leaves that out. */
function machineBusyMs(): number {
  if (!existsSync('/proc/stat')) return Number.NaN;
  const ticks = readFileSync('/proc/stat', 'latin1').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const [, , , idle = 0, iowait = 0] = ticks;
  return ((ticks.reduce((a, b) => a + b, 0) - idle - iowait) * 1000) / 100; // USER_HZ is 100 on Linux
}

async function cpuOf(proc: ChildProcess): Promise<number> {
  const answer = new Promise<{ cpu: NodeJS.CpuUsage }>((resolve) => proc.once('message', (m) => resolve(m as { cpu: NodeJS.CpuUsage })));
  proc.send('cpu');
  const { cpu } = await answer;
  return (cpu.user + cpu.system) / 1000;
}

type Measured = Omit<Row, 'name' | 'loader' | 'serverCpu' | 'loaderCpu' | 'machineCpu'>;

async function lean(url: string, seconds: number, headers: Record<string, string>): Promise<Measured> {
  const r = await runLoad({ url, connections, durationS: seconds, headers, expectStatus: 200 });
  return { p50: r.p50, p90: r.p90, p99: r.p99, max: r.max, rps: r.rps, kbPerResponse: r.bytesPerResponse / 1024, bad: r.non2xx + r.errors, errorKinds: r.errorKinds };
}

async function viaAutocannon(url: string, seconds: number, headers: Record<string, string>): Promise<Measured> {
  const r = await autocannon({ url, connections, duration: seconds, headers });
  const errorKinds: Record<string, number> = r.errors + r.timeouts === 0 ? {} : { 'autocannon errors and timeouts': r.errors + r.timeouts };
  return { p50: r.latency.p50, p90: r.latency.p90, p99: r.latency.p99, max: r.latency.max, rps: r.requests.average, kbPerResponse: r.throughput.total / Math.max(1, r.requests.total) / 1024, bad: r.non2xx + r.errors + r.timeouts, errorKinds };
}

async function load(name: string, loader: Loader, server: ChildProcess, url: string, key: string, options: { seconds?: number; headers?: Record<string, string> } = {}): Promise<Row> {
  const headers = { ...options.headers, ...(key === '' ? {} : { 'x-api-key': key }) };
  const serverBefore = await cpuOf(server);
  const loaderBefore = process.cpuUsage();
  const machineBefore = machineBusyMs();
  const startedAt = performance.now();
  const measured = await (loader === 'lean' ? lean : viaAutocannon)(url, options.seconds ?? duration, headers);
  const wallMs = performance.now() - startedAt;
  const loaderCpu = process.cpuUsage(loaderBefore);
  const machineCpu = machineBusyMs() - machineBefore;
  const serverCpu = (await cpuOf(server)) - serverBefore;
  return { name, loader, ...measured, serverCpu: (100 * serverCpu) / wallMs, loaderCpu: (100 * (loaderCpu.user + loaderCpu.system)) / 1000 / wallMs, machineCpu: (100 * machineCpu) / wallMs };
}

async function sample(url: string, key: string): Promise<{ items: { vehicleId: string; lastFix: { eventId: string } }[]; nextCursor: string | null }> {
  const res = await fetch(url, { headers: { 'x-api-key': key } });
  if (res.status !== 200) throw new Error(`${url} answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as { items: { vehicleId: string; lastFix: { eventId: string } }[]; nextCursor: string | null };
}

async function bytesOf(url: string, key: string): Promise<Buffer> {
  const res = await fetch(url, { headers: key === '' ? {} : { 'x-api-key': key } });
  if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
  return Buffer.from(await res.arrayBuffer());
}

const fixed = (x: number) => x.toFixed(1);

const dir = mkdtempSync(join(tmpdir(), 'dgt-fleet-bench-'));
const path = join(dir, 'readmodels.sqlite');
try {
  const seeding = performance.now();
  await seed(path);
  console.log(`seeded ${FLEET_SIZE} vehicles in ${((performance.now() - seeding) / 1000).toFixed(1)} s; ${connections} connections, ${duration} s per run; ${availableParallelism()} cores, load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);

  const bare = child('./fleetServer.ts', ['bare', path]);
  const bareAt = (await bare.first) as { url: string };
  const bareBytes = await bytesOf(`${bareAt.url}/sized`, '');
  const kib = `${(bareBytes.length / 1024).toFixed(0)} KiB`;
  await load('warm-up', 'lean', bare.process, `${bareAt.url}/v1/fleet`, '', { seconds: 2 });
  await load('warm-up', 'lean', bare.process, `${bareAt.url}/sized`, '', { seconds: 2 });
  const ref = await load('reference: bare fastify, constant small JSON', 'lean', bare.process, `${bareAt.url}/v1/fleet`, '');
  const sized = [
    await load(`bare fastify, the default page's ${kib} as constant bytes (bytes alone)`, 'lean', bare.process, `${bareAt.url}/sized`, ''),
    await load(`bare fastify, the default page's ${kib} as constant bytes (bytes alone)`, 'autocannon', bare.process, `${bareAt.url}/sized`, ''),
  ];
  await stop(bare.process);

  const api = child('./fleetServer.ts', ['api', path]);
  const { url, key } = (await api.first) as { url: string; key: string };
  // Before the writer moves anything, the bare server's bytes must be the API's default page.
  const apiBytes = await bytesOf(`${url}/v1/fleet`, key);
  const sameBytes = apiBytes.equals(bareBytes);
  const writer = child('./fleetWriter.ts', [path]);
  await writer.first;
  const writerCpuBefore = await cpuOf(writer.process);
  const writingSince = performance.now();
  const before = await sample(`${url}/v1/fleet?limit=5000`, key);
  if (before.items.length !== FLEET_SIZE) throw new Error(`expected ${FLEET_SIZE} vehicles, got ${before.items.length}`);
  await load('warm-up', 'lean', api.process, `${url}/v1/fleet`, key, { seconds: 2 });
  const gzip = { 'accept-encoding': 'gzip' };
  const bbox = '121.2,28.5,121.4,28.7';
  const fleet = await load('GET /v1/fleet (default page, 100)', 'lean', api.process, `${url}/v1/fleet`, key);
  const fleetAutocannon = await load('GET /v1/fleet (default page, 100)', 'autocannon', api.process, `${url}/v1/fleet`, key);
  const zipped = await load('GET /v1/fleet, Accept-Encoding: gzip (as browsers send)', 'lean', api.process, `${url}/v1/fleet`, key, { headers: gzip });
  const rest = [
    await load(`GET /v1/fleet?bbox=${bbox}`, 'lean', api.process, `${url}/v1/fleet?bbox=${bbox}`, key),
    await load('GET /v1/fleet?limit=5000', 'lean', api.process, `${url}/v1/fleet?limit=5000`, key),
    await load('GET /v1/fleet?limit=5000, gzip', 'lean', api.process, `${url}/v1/fleet?limit=5000`, key, { headers: gzip }),
  ];
  const after = await sample(`${url}/v1/fleet?limit=5000`, key);
  const moved = after.items.filter((v, i) => v.lastFix.eventId !== before.items[i]?.lastFix.eventId).length;
  const writerCpu = ((await cpuOf(writer.process)) - writerCpuBefore) / (performance.now() - writingSince);
  const written = (await stop(writer.process)) as { commits: number; slowestCommitMs: number } | undefined;
  await stop(api.process);

  const rows = [ref, ...sized, fleet, fleetAutocannon, zipped, ...rest];
  console.log(`\nlean = bench/httpLoad.ts (skips bodies by counting bytes); autocannon = autocannon 8 (decodes every body). CPU = CPU time / wall time of the run, in % of one core (the machine has ${availableParallelism()} cores; machine = all processes, kernel network work included).`);
  console.log('\n| run | loader | p50 ms | p90 ms | p99 ms | max ms | req/s | KiB/resp | non-2xx+errors | server CPU | loader CPU | machine CPU | p99 vs ref | req/s vs ref |');
  console.log('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of rows) {
    console.log(`| ${r.name} | ${r.loader} | ${fixed(r.p50)} | ${fixed(r.p90)} | ${fixed(r.p99)} | ${fixed(r.max)} | ${Math.round(r.rps)} | ${r.kbPerResponse.toFixed(1)} | ${r.bad} | ${r.serverCpu.toFixed(0)} % | ${r.loaderCpu.toFixed(0)} % | ${r.machineCpu.toFixed(0)} % | ${(r.p99 / Math.max(1, ref.p99)).toFixed(2)}× | ${(r.rps / ref.rps).toFixed(2)}× |`);
  }
  for (const r of rows.filter((x) => Object.keys(x.errorKinds).length > 0)) console.log(`errors in "${r.name}" (${r.loader}): ${JSON.stringify(r.errorKinds)}`);
  console.log(`\nbare /sized ${sameBytes ? 'serves' : 'does NOT serve'} the API's default page byte for byte (${bareBytes.length} vs ${apiBytes.length} bytes before the writer started)`);
  console.log(`writer: ${written?.commits ?? '?'} commits of 200 vehicles (slowest ${written?.slowestCommitMs.toFixed(1) ?? '?'} ms, ${(100 * writerCpu).toFixed(0)} % of a core); ${moved} of ${FLEET_SIZE} vehicles moved between the first and last sample, so the API followed the writes`);
  console.log(`target p99 ≤ 50 ms on the default page: ${fleet.p99 <= 50 ? 'MET' : 'NOT MET'} (lean loader: ${fixed(fleet.p99)} ms plain, ${fixed(zipped.p99)} ms gzip; autocannon: ${fixed(fleetAutocannon.p99)} ms plain)`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
