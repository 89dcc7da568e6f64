/**
 * Positions through the embedded path of `npm start --no-sim`: a closed-loop loader (BENCH_CONNECTIONS
 * keep-alive connections posting NDJSON batches of BENCH_BATCH fixes) for BENCH_SECONDS, BENCH_RUNS
 * rounds, each run on a fresh data directory. Each round runs every variant in turn, so they share
 * the machine's mood (speed here swings ±30 %): `--synchronous normal` (the default) and `full`,
 * against a same-run reference — the ingest gateway alone on a no-op bus (what durability, the
 * recorder and the projector add to the gateway's own work), or, with
 * BENCH_REFERENCE_MAIN=<another checkout>/services/stack/src/main.ts, that checkout's stack. Prints acknowledged positions/s, ack latency p50/p99, and how long the
 * recorder needed after the load to have recorded every acknowledged fix, and the rate recorded from
 * load start to the last acknowledged fix recorded (the sustained rate); medians per variant last.
 * With each run, the stack's CPU per position from load start to the last fix recorded (Linux
 * /proc): of its main thread — the event loop that ingest, bus writes, recorder and projector
 * share, the resource the sustained rate runs out of — and of all its other threads (append and
 * checkpoint workers, GC helpers). Far steadier than rates on a shared machine: compare those.
 * BENCH_VEHICLES sets the vehicles per connection (default 250, 2,000 in all; a national fleet
 * has ~350,000, and the projector rewrites every vehicle a flush touched).
 *
 *   npm run bench -w @dgt/stack
 *   BENCH_RUNS=1 BENCH_SECONDS=10 npm run bench -w @dgt/stack
 *   BENCH_CPU_PROF=/tmp/prof npm run bench -w @dgt/stack   # each stack process's CPU profile
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { GATEWAY_KEY, startGatewayProcess } from './gatewayProcess.ts';
import { postLoad, type PostLoadResult } from './postLoad.ts';
import { startStackProcess, type StackProcess } from './stackProcess.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const BATCH = Number(process.env.BENCH_BATCH ?? 500);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 8);
const REFERENCE_MAIN = process.env.BENCH_REFERENCE_MAIN;
const VEHICLES_PER_CONNECTION = Number(process.env.BENCH_VEHICLES ?? 250);
/** Issue 21: ≥ 25,000 positions/s acknowledged with ack p99 ≤ 500 ms, every acknowledged fix recorded. */
const TARGET_RATE = 25_000;
const TARGET_P99_MS = 500;

interface Variant {
  readonly name: string;
  readonly args: readonly string[];
  readonly stackMain?: string;
  /** The reference without BENCH_REFERENCE_MAIN: the ingest gateway alone on a no-op bus. */
  readonly gatewayOnly?: true;
}

const variants: Variant[] = [
  REFERENCE_MAIN === undefined ? { name: 'reference: the gateway alone, no-op bus', args: [], gatewayOnly: true } : { name: `reference ${REFERENCE_MAIN}`, args: [], stackMain: REFERENCE_MAIN },
  { name: 'synchronous normal', args: ['--synchronous', 'normal'] },
  { name: 'synchronous full', args: ['--synchronous', 'full'] },
];

interface RunResult extends PostLoadResult {
  readonly rate: number;
  /** Load end → every acknowledged fix recorded, s. */
  readonly catchUpS: number;
  /**
   * Acknowledged fixes over load start → the last of them recorded: what the whole path sustains.
   * Above the acknowledged rate's worth only while the recorder keeps up; a recorder falling
   * behind shows here, not in the acknowledged rate.
   */
  readonly recordedRate: number;
  /** Resident memory of the stack process right after the load (MiB; Linux only, else NaN). */
  readonly rssMb: number;
  /** CPU µs per acknowledged position, load start → the last recorded: the main thread's, and the other threads' together (NaN off Linux). */
  readonly mainCpuUs: number;
  readonly otherCpuUs: number;
}

/**
 * CPU seconds (user + system) from a stat(5) line: fields 14 and 15, in clock ticks of 1/100 s
 * on Linux. `/proc/<pid>/stat` is the whole process, `/proc/<pid>/task/<pid>/stat` its main thread.
 */
function cpuSeconds(statPath: string): number {
  try {
    const stat = readFileSync(statPath, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

function cpuOf(pid: number | undefined): { main: number; all: number } {
  return { main: cpuSeconds(`/proc/${pid}/task/${pid}/stat`), all: cpuSeconds(`/proc/${pid}/stat`) };
}

function rssMb(pid: number | undefined): number {
  try {
    const kb = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb === undefined ? NaN : Number(kb) / 1024;
  } catch {
    return NaN;
  }
}

const fmt = (n: number, digits = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 === 1 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

async function recordedPositions(stack: StackProcess): Promise<number> {
  const res = await fetch(`${stack.apiUrl}/metrics`, { headers: { 'x-api-key': stack.keyFor('metrics') } });
  const text = await res.text();
  let sum = 0;
  for (const m of text.matchAll(/^dgt_recorder_events_appended_total\{[^}]*topic="[^"]*positions"[^}]*\} (\d+(?:\.\d+)?(?:e\+\d+)?)$/gm)) sum += Number(m[1]);
  return sum;
}

async function gatewayRun(n: number): Promise<RunResult> {
  const gateway = await startGatewayProcess();
  try {
    const result = await postLoad({ ingestUrl: gateway.ingestUrl, apiKey: GATEWAY_KEY, connections: CONNECTIONS, batch: BATCH, seconds: SECONDS, runId: `g${n}${Date.now().toString(36)}` });
    // Nothing to record: the no-op bus acknowledges every send at once.
    return { ...result, rate: result.accepted / result.elapsedS, catchUpS: 0, recordedRate: result.accepted / result.elapsedS, rssMb: rssMb(gateway.child.pid), mainCpuUs: NaN, otherCpuUs: NaN };
  } finally {
    await gateway.stop();
  }
}

async function oneRun(n: number, variant: Variant): Promise<RunResult> {
  if (variant.gatewayOnly === true) return gatewayRun(n);
  const dir = mkdtempSync(join(tmpdir(), 'dgt-stack-bench-'));
  // High rate limits: the bench measures the pipeline, not the limiter.
  const env = { INGEST_RATE_LIMIT_EVENTS_PER_S: '10000000', INGEST_RATE_LIMIT_BURST: '10000000' };
  const stack = await startStackProcess(dir, { env, args: variant.args, ...(variant.stackMain === undefined ? {} : { stackMain: variant.stackMain }) });
  try {
    const before = cpuOf(stack.child.pid);
    const result = await postLoad({ ingestUrl: stack.ingestUrl, apiKey: stack.keyFor('ingest'), connections: CONNECTIONS, batch: BATCH, seconds: SECONDS, runId: `b${n}${Date.now().toString(36)}`, vehiclesPerConnection: VEHICLES_PER_CONNECTION });
    const loadEnd = performance.now();
    const rss = rssMb(stack.child.pid);
    while ((await recordedPositions(stack)) < result.accepted) {
      if (performance.now() - loadEnd > 300_000) throw new Error('the recorder did not catch up within 300 s');
      await new Promise((r) => setTimeout(r, 200));
    }
    const catchUpS = (performance.now() - loadEnd) / 1000;
    const after = cpuOf(stack.child.pid);
    const mainCpuUs = ((after.main - before.main) * 1e6) / result.accepted;
    const otherCpuUs = ((after.all - before.all - (after.main - before.main)) * 1e6) / result.accepted;
    const code = await stack.stop();
    if (code !== 0) throw new Error(`npm start exited ${code}:\n${stack.output()}`);
    return { ...result, rate: result.accepted / result.elapsedS, catchUpS, recordedRate: result.accepted / (result.elapsedS + catchUpS), rssMb: rss, mainCpuUs, otherCpuUs };
  } catch (error) {
    stack.child.kill('SIGKILL');
    throw error;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function cpuText(r: RunResult): string {
  return Number.isNaN(r.mainCpuUs) ? '' : `; CPU per position ${fmt(r.mainCpuUs, 1)} µs main thread (the event loop) + ${fmt(r.otherCpuUs, 1)} µs other threads`;
}

async function main(): Promise<void> {
  console.log(`embedded ingest bench: npm start --no-sim, ${CONNECTIONS} connections × batches of ${BATCH} (${fmt(CONNECTIONS * VEHICLES_PER_CONNECTION)} vehicles), ${SECONDS} s, ${RUNS} runs`);
  console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, node ${process.version}, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  const runs = new Map<Variant, RunResult[]>(variants.map((v) => [v, []]));
  for (let n = 1; n <= RUNS; n++) {
    for (const variant of variants) {
      const r = await oneRun(n, variant);
      runs.get(variant)?.push(r);
      console.log(`round ${n}, ${variant.name}: ${fmt(r.rate)} positions/s acknowledged (${fmt(r.accepted)} in ${fmt(r.elapsedS, 1)} s, ${r.requests} requests, ${r.non202} not 202), ack latency p50 ${fmt(r.p50, 1)} ms, p99 ${fmt(r.p99, 1)} ms; all recorded ${fmt(r.catchUpS, 1)} s after the load (${fmt(r.recordedRate)}/s recorded from load start to the last); RSS ${fmt(r.rssMb)} MiB${cpuText(r)}`);
    }
  }
  const reference = runs.get(variants[0]!)!;
  for (const [variant, rs] of runs) {
    const rate = median(rs.map((r) => r.rate));
    const p99 = median(rs.map((r) => r.p99));
    // Per round against the reference of the same round: the machine's mood cancels out.
    const ratios = rs.map((r, k) => r.rate / reference[k]!.rate);
    const vsReference = rs === reference ? '' : `, ${fmt(median(ratios), 2)}× the reference (median of per-round ratios)`;
    const recorded = median(rs.map((r) => r.recordedRate));
    const mainCpu = median(rs.map((r) => r.mainCpuUs));
    const cpuVsReference = rs === reference || Number.isNaN(reference[0]!.mainCpuUs) ? '' : `, main-thread CPU ${fmt(median(rs.map((r, k) => r.mainCpuUs / reference[k]!.mainCpuUs)), 2)}× the reference's`;
    // Sustained means recorded too: a rate the recorder cannot follow only fills the bus file.
    const sustained = Math.min(rate, recorded);
    const verdict =
      rs === reference
        ? 'the reference'
        : `target ≥ ${fmt(TARGET_RATE)}/s acknowledged and recorded: ${fmt(sustained / TARGET_RATE, 2)} (${sustained >= TARGET_RATE ? 'met' : 'missed'}), p99 ≤ ${TARGET_P99_MS} ms: ${p99 <= TARGET_P99_MS ? 'met' : 'missed'}`;
    console.log(
      `median of ${RUNS}, ${variant.name}: ${fmt(rate)} positions/s, p50 ${fmt(median(rs.map((r) => r.p50)), 1)} ms, p99 ${fmt(p99, 1)} ms, recorded ${fmt(median(rs.map((r) => r.catchUpS)), 1)} s after the load (${fmt(recorded)}/s recorded), RSS ${fmt(median(rs.map((r) => r.rssMb)))} MiB${Number.isNaN(mainCpu) ? '' : `, CPU per position ${fmt(mainCpu, 1)} µs main thread + ${fmt(median(rs.map((r) => r.otherCpuUs)), 1)} µs other threads`}${vsReference}${cpuVsReference}; ${verdict}`,
    );
  }
  console.log(`load average after: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
