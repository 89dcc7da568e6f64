/*
 * Sums a V8 CPU profile (a `.cpuprofile`, as BENCH_CPU_PROF writes one per server) per function:
 * self time (samples whose innermost frame it is) and total time (samples with it anywhere on the
 * stack, counted once however often it recurs). DevTools shows either per call path; what a
 * gateway's time goes to needs both per function, across every path.
 *   node --import tsx bench/cpuProfileSummary.ts <file.cpuprofile> [regexp] [µs per position]
 * The regexp keeps only matching functions in the totals list; with µs per position (the bench's
 * figure for that server), each share is also given in µs per position. Idle and program time are
 * left out of the shares, as is everything below module loading (the server's start-up).
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly children?: readonly number[];
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

const [file, filter, perPositionArg] = process.argv.slice(2);
if (file === undefined) throw new Error('usage: cpuProfileSummary.ts <file.cpuprofile> [regexp] [µs per position]');
const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
const perPosition = perPositionArg === undefined ? Number.NaN : Number(perPositionArg);

const nodes = new Map<number, ProfileNode>(profile.nodes.map((n) => [n.id, n]));
const parentOf = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parentOf.set(c, n.id);

/** Microseconds sampled in each node (the delta after a sample is the time it stood for). */
const sampled = new Map<number, number>();
for (let i = 0; i < profile.samples.length; i++) {
  const id = profile.samples[i] as number;
  sampled.set(id, (sampled.get(id) ?? 0) + (profile.timeDeltas[i + 1] ?? 0));
}

// A function is its name and where it is defined; paths are cut to the package or the repository.
const nameOf = (n: ProfileNode): string => {
  const url = n.callFrame.url.replace(/^.*\/node_modules\//, '').replace(/^file:\/\/\/.*?\/(services|libs|replay)\//, '$1/');
  return `${n.callFrame.functionName || '(anonymous)'} ${url}${url === '' ? '' : `:${n.callFrame.lineNumber + 1}`}`;
};
const notWork = /^\((idle|program)\) /;
const startUp = /node:internal\/modules|wrapSafe|compileSourceTextModule/;

const self = new Map<string, number>();
const total = new Map<string, number>();
let work = 0;
for (const [id, us] of sampled) {
  const leaf = nodes.get(id);
  if (leaf === undefined || us === 0 || notWork.test(nameOf(leaf))) continue;
  const stack: string[] = [];
  for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) {
    const n = nodes.get(at);
    if (n !== undefined) stack.push(nameOf(n));
  }
  if (stack.some((name) => startUp.test(name))) continue;
  work += us;
  self.set(stack[0] as string, (self.get(stack[0] as string) ?? 0) + us);
  for (const name of new Set(stack)) total.set(name, (total.get(name) ?? 0) + us);
}

const share = (us: number): string => {
  const s = us / work;
  return `${(100 * s).toFixed(1).padStart(5)} %${Number.isNaN(perPosition) ? '' : `  ${(s * perPosition).toFixed(3).padStart(6)} µs`}`;
};
const keep = filter === undefined ? undefined : new RegExp(filter);
console.log(`${(work / 1e6).toFixed(2)} s of work sampled (idle, program and start-up left out)`);
console.log('self time, top 40:');
for (const [name, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 40)) console.log(`  ${share(us)}  ${name}`);
console.log(`total time${keep === undefined ? ', top 80' : ` of functions matching ${keep}`}:`);
const totals = [...total].sort((a, b) => b[1] - a[1]).filter(([name]) => keep === undefined || keep.test(name));
for (const [name, us] of keep === undefined ? totals.slice(0, 80) : totals) console.log(`  ${share(us)}  ${name}`);
