/**
 * Audit replay throughput from the SQLite store, whole pipeline (read, parse and validate, digest,
 * detect, build and render the report), on ≥ 5,000,000 position events, against the store's raw
 * `readAll` in the same run; and the latency of one vehicle-day (8,640 fixes) out of that store.
 * Targets: ≥ 400,000 events/s and ≥ 0.6 × raw readAll; one vehicle-day ≤ 100 ms. Peak RSS printed.
 *   Run: npm run bench -w @dgt/replay   (POSITIONS=… to vary; the store is cached in replay/.bench/)
 */
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { resolveDetectionConfig } from '@dgt/detection';
import { openSqliteEventStore } from '@dgt/eventstore';
import { normaliseSelection, renderReport, runReplay, storeSource } from '../src/index.ts';
import { DAY_VEHICLE, benchStore } from './buildBenchStore.ts';

const POSITIONS = Number(process.env.POSITIONS ?? 5_000_000);
const DAY_ROUNDS = 5;
const dir = fileURLToPath(new URL('../.bench/', import.meta.url));
const log = (s: string) => console.log(s);
const rate = (n: number, ms: number) => Math.round((n / ms) * 1000);
const fmt = (n: number) => n.toLocaleString('en');

console.log(`replay bench: ${fmt(POSITIONS)} positions, node ${process.version}, ${cpus().length} cpus, load ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
const path = await benchStore(dir, POSITIONS, log);
const store = openSqliteEventStore({ path });
const thresholds = resolveDetectionConfig({});

let t = performance.now();
let raw = 0;
for await (const _ of store.readAll()) raw++;
const rawMs = performance.now() - t;
const rawRate = rate(raw, rawMs);
console.log(`raw readAll:        ${fmt(raw)} events in ${(rawMs / 1000).toFixed(1)} s = ${fmt(rawRate)} events/s (reference)`);

t = performance.now();
const all = await runReplay({ selection: normaliseSelection({}), thresholds }, storeSource(store));
const rendered = renderReport(all.report);
const allMs = performance.now() - t;
const allRate = rate(all.report.digest.events, allMs);
console.log(
  `replay, whole store: ${fmt(all.report.digest.events)} events in ${(allMs / 1000).toFixed(1)} s = ${fmt(allRate)} events/s ` +
    `(${(allRate / rawRate).toFixed(2)} × raw readAll; target ≥ 400,000/s and ≥ 0.6) — ${fmt(all.report.counts.detections)} detections, report.json ${(rendered.json.length / 1e6).toFixed(1)} MB`,
);

const day = { vehicles: [DAY_VEHICLE], from: '2026-03-01T00:00:00+08:00', to: '2026-03-02T00:00:00+08:00' };
const times: number[] = [];
let fixes = 0;
for (let i = 0; i < DAY_ROUNDS; i++) {
  t = performance.now();
  const r = await runReplay({ selection: normaliseSelection(day), thresholds }, storeSource(store));
  renderReport(r.report);
  times.push(performance.now() - t);
  fixes = r.report.counts.positions;
}
const first = times[0] as number;
times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)] as number;
console.log(`one vehicle-day:    ${fmt(fixes)} fixes out of ${fmt(raw)} events, median ${median.toFixed(0)} ms of ${DAY_ROUNDS} (min ${(times[0] as number).toFixed(0)} ms, first ${first.toFixed(0)} ms; target ≤ 100 ms) = ${(median / 100).toFixed(2)} × target`);
console.log(`peak RSS:           ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
await store.close();
