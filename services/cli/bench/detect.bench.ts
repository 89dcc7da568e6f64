/*
 * `dgt detect` over a 1M-position NDJSON file (2,000 laden vehicles, 210 zones) against the floor
 * of reading it: a bare `readline` + `JSON.parse` pass (bench/readlineFloor.mjs), both as a fresh
 * `node` process timed from spawn to exit, so start-up counts on both sides. Also start-up alone
 * (`dgt detect` on an empty file) from the bundle (`npm run build`) and from the TypeScript sources
 * through tsx (DGT_FROM_SOURCE=1). Every round runs each variant in turn, so they share the
 * machine's mood (a shared 2-core VM swings ±30 %); medians of BENCH_RUNS rounds (default 3).
 *
 * With BENCH_REFERENCE_BIN=<another checkout>/services/cli/bin/dgt.mjs, that checkout's `dgt detect`
 * runs in each round too (e.g. the commit before the fast path, for a before/after in one run).
 *
 *   npm run bench -w @dgt/cli            (builds the bundle first)
 *   BENCH_VEHICLES=500 BENCH_RUNS=1 npm run bench -w @dgt/cli
 */
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFleetFile, type FleetFileOptions } from './fleetFile.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const opts: FleetFileOptions = {
  vehicles: Number(process.env.BENCH_VEHICLES ?? 2_000),
  fixesPerVehicle: Number(process.env.BENCH_FIXES ?? 500),
  lots: 120,
  parks: 30,
  segments: 60,
  seed: 808,
};
const bin = fileURLToPath(new URL('../bin/dgt.mjs', import.meta.url));
const floor = fileURLToPath(new URL('./readlineFloor.mjs', import.meta.url));
const REFERENCE_BIN = process.env.BENCH_REFERENCE_BIN;

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 === 1 ? (s[(s.length - 1) / 2] as number) : ((s[s.length / 2 - 1] as number) + (s[s.length / 2] as number)) / 2;
};
const fmt = (n: number, digits = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** Wall-clock seconds from spawn to exit; stdout discarded, a failure throws with its stderr. */
function timed(args: string[], env: NodeJS.ProcessEnv = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...env } });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      const s = Number(process.hrtime.bigint() - start) / 1e9;
      if (code === 0) resolve(s);
      else reject(new Error(`${args.join(' ')} exited ${code}: ${stderr}`));
    });
  });
}

const file = join(tmpdir(), `dgt-detect-bench-${opts.vehicles}x${opts.fixesPerVehicle}-z${opts.lots + opts.parks + opts.segments}-s${opts.seed}-v2.ndjson`);
const empty = join(tmpdir(), 'dgt-detect-bench-empty.ndjson');
writeFileSync(empty, '');
let lines: number;
if (existsSync(file)) {
  lines = opts.lots + opts.parks + opts.segments + opts.vehicles * (3 + opts.fixesPerVehicle);
} else {
  process.stderr.write(`writing ${file} …\n`);
  lines = (await writeFleetFile(file, opts)).lines;
}

console.log(
  `dgt detect bench: ${fmt(lines)} lines (${fmt(opts.vehicles * opts.fixesPerVehicle)} positions, ${opts.vehicles} laden vehicles, ${opts.lots + opts.parks + opts.segments} zones), ` +
    `${RUNS} rounds, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`,
);
const results = { floor: [] as number[], detect: [] as number[], reference: [] as number[], startBundle: [] as number[], startSources: [] as number[] };
for (let round = 1; round <= RUNS; round++) {
  const f = await timed([floor, file]);
  const d = await timed([bin, 'detect', '--quiet', file]);
  const r = REFERENCE_BIN === undefined ? NaN : await timed([REFERENCE_BIN, 'detect', '--quiet', file]);
  if (REFERENCE_BIN !== undefined) results.reference.push(r);
  const sb = await timed([bin, 'detect', '--quiet', empty]);
  const ss = await timed([bin, 'detect', '--quiet', empty], { DGT_FROM_SOURCE: '1' });
  results.floor.push(f);
  results.detect.push(d);
  results.startBundle.push(sb);
  results.startSources.push(ss);
  console.log(
    `  round ${round}: floor ${fmt(lines / f)} lines/s (${fmt(f, 2)} s), dgt detect ${fmt(lines / d)} lines/s (${fmt(d, 2)} s) = ${fmt(f / d, 2)}× the floor; ` +
      (REFERENCE_BIN === undefined ? '' : `reference ${fmt(lines / r)} lines/s = ${fmt(f / r, 2)}×; `) +
      `start-up ${fmt(sb, 2)} s bundled, ${fmt(ss, 2)} s from sources (tsx); load ${loadavg()[0]?.toFixed(1)}`,
  );
}
const floorRate = lines / median(results.floor);
const detectRate = lines / median(results.detect);
console.log(`medians of ${RUNS}:`);
console.log(`  dgt detect            ${fmt(detectRate).padStart(9)} lines/s   floor (readline + JSON.parse) ${fmt(floorRate).padStart(9)} lines/s   ratio ${fmt(detectRate / floorRate, 2)}×   (target ≥ 0.60×)`);
if (REFERENCE_BIN !== undefined) {
  const referenceRate = lines / median(results.reference);
  console.log(`  reference dgt detect  ${fmt(referenceRate).padStart(9)} lines/s   floor (readline + JSON.parse) ${fmt(floorRate).padStart(9)} lines/s   ratio ${fmt(referenceRate / floorRate, 2)}×   (${REFERENCE_BIN})`);
}
console.log(`  start-up (empty file) ${fmt(median(results.startBundle), 2).padStart(9)} s bundled   from sources (tsx) ${fmt(median(results.startSources), 2).padStart(9)} s         ratio ${fmt(median(results.startBundle) / median(results.startSources), 2)}×   (target ≤ 0.50 s)`);
