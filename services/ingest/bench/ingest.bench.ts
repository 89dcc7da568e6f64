/*
 * `POST /v1/events` throughput against a bare fastify route that only parses the same bodies and
 * answers 202 (bench/serve.ts). Each server runs in its own process; a closed-loop loader in this
 * one keeps BENCH_CONNECTIONS keep-alive connections posting JSON arrays of BENCH_BATCH fixes for
 * BENCH_SECONDS. Variants: the gateway publishing to a no-op bus (its own work: parse, the #14
 * checks, canonical JSON, sha256 digests, the recent-ids lookup — the figure the ratio is about),
 * and the gateway as `npm start` runs it (embedded SQLite bus, event-store lookup of every id).
 * Each round runs every variant in turn, so they share the machine's mood (a shared 2-core VM
 * swings ±30 %); medians of BENCH_RUNS rounds last, with each server's CPU time per position (from /proc),
 * which its neighbours' load moves far less than its rate. BENCH_CPU_PROF=<dir> writes each server's
 * CPU profile there. With BENCH_REFERENCE_SERVE=<another checkout>/services/ingest/bench/serve.ts,
 * that checkout's gateway (no-op bus) runs in each round too: a before/after in one run.
 *
 *   npm run bench -w @dgt/ingest
 *   BENCH_RUNS=1 BENCH_SECONDS=5 npm run bench -w @dgt/ingest
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { load, type LoadResult } from './load.ts';
import { BENCH_KEY } from './benchKey.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const BATCH = Number(process.env.BENCH_BATCH ?? 500);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 8);
const CPU_PROF = process.env.BENCH_CPU_PROF;
const serveScript = fileURLToPath(new URL('./serve.ts', import.meta.url));
const REFERENCE_SERVE = process.env.BENCH_REFERENCE_SERVE;

interface Variant {
  readonly name: string;
  readonly arg: string;
  readonly script?: string;
}

const variants: Variant[] = [
  { name: 'bare fastify (parse, 202)', arg: 'bare' },
  { name: 'ingest, no-op bus', arg: 'ingest-noop' },
  { name: 'ingest, SQLite bus + store', arg: 'ingest-sqlite' },
  ...(REFERENCE_SERVE === undefined ? [] : [{ name: 'reference ingest, no-op bus', arg: 'ingest-noop', script: REFERENCE_SERVE }]),
];
/**
 * CPU seconds (user + system) a process has used, from /proc (Linux; NaN elsewhere): on a shared
 * machine a server's CPU per position moves far less with its neighbours' load than its rate.
 */
function cpuSeconds(pid: number | undefined): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields 14 and 15 of stat(5) (utime, stime), in clock ticks of 1/100 s on Linux.
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

const key = (v: Variant): string => (v.script === undefined ? v.arg : `reference-${v.arg}`);

const fmt = (n: number, digits = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 === 1 ? (s[(s.length - 1) / 2] as number) : ((s[s.length / 2 - 1] as number) + (s[s.length / 2] as number)) / 2;
};

async function startServer(v: Variant, round: number): Promise<{ port: number; child: ChildProcess }> {
  const { arg } = v;
  const prof = CPU_PROF === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${CPU_PROF}/${key(v)}-round${round}`];
  // Both servers with the young generation `npm start` gives the gateway (--max-semi-space-size=64).
  const child = spawn(process.execPath, [...prof, '--max-semi-space-size=64', '--import', 'tsx', v.script ?? serveScript, arg], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /listening (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.on('exit', (code) => reject(new Error(`${arg} server exited ${code} before listening`)));
  });
  return { port, child };
}

async function stopServer(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

console.log(`ingest bench: ${CONNECTIONS} connections × JSON arrays of ${BATCH} fixes, ${SECONDS} s per variant, ${RUNS} rounds; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
const rates = new Map<string, number[]>(variants.map((v) => [key(v), []]));
const cpuPerPosition = new Map<string, number[]>(variants.map((v) => [key(v), []]));
for (let round = 1; round <= RUNS; round++) {
  const line: string[] = [];
  for (const v of variants) {
    const { port, child } = await startServer(v, round);
    // Warm-up: JIT and the first connections, not measured.
    await load(port, BENCH_KEY, { connections: CONNECTIONS, batch: BATCH, seconds: 1, runId: `w${round}${v.arg}` });
    const cpuBefore = cpuSeconds(child.pid);
    const r: LoadResult = await load(port, BENCH_KEY, { connections: CONNECTIONS, batch: BATCH, seconds: SECONDS, runId: `r${round}${v.arg}` });
    const cpuUs = ((cpuSeconds(child.pid) - cpuBefore) * 1e6) / r.positions;
    cpuPerPosition.get(key(v))?.push(cpuUs);
    await stopServer(child);
    if (r.non202 > 0) throw new Error(`${v.name}: ${r.non202} answers were not 202`);
    const rate = r.positions / r.elapsedS;
    rates.get(key(v))?.push(rate);
    line.push(`${v.name} ${fmt(rate)}/s (p50 ${fmt(r.p50, 1)} ms, p99 ${fmt(r.p99, 1)} ms, server CPU ${fmt(cpuUs, 2)} µs/position)`);
  }
  const bare = rates.get('bare')?.[round - 1] ?? NaN;
  const ratios = variants.filter((v) => v.arg !== 'bare').map((v) => `${v.name} ${fmt((rates.get(key(v))?.[round - 1] ?? NaN) / bare, 2)}×`);
  console.log(`  round ${round}: ${line.join('; ')}`);
  console.log(`    ratios to bare fastify: ${ratios.join(', ')} (target for ingest, no-op bus ≥ 0.50×); load ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
}
const bare = median(rates.get('bare') ?? []);
console.log(`medians of ${RUNS} (positions/s):`);
for (const v of variants) {
  const rate = median(rates.get(key(v)) ?? []);
  const note = key(v) === 'ingest-noop' ? '   (target ≥ 0.50×)' : '';
  console.log(`  ${v.name.padEnd(28)} ${fmt(rate).padStart(9)}   bare fastify ${fmt(bare).padStart(9)}   ratio ${fmt(rate / bare, 2)}×${note}`);
}
const bareCpu = median(cpuPerPosition.get('bare') ?? []);
console.log(`server CPU per position, medians (the bare route's over each variant's: the rate ratio the CPU alone allows):`);
for (const v of variants) {
  const cpu = median(cpuPerPosition.get(key(v)) ?? []);
  console.log(`  ${v.name.padEnd(28)} ${fmt(cpu, 2).padStart(6)} µs   ratio ${fmt(bareCpu / cpu, 2)}×`);
}
