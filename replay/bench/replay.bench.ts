/**
 * Audit replay throughput from the SQLite store, whole pipeline (read, parse and validate, digest,
 * detect, build and render the report), on ≥ 5,000,000 position events, against the store's raw
 * `readAll` in the same run (alternated, `ROUNDS` rounds, medians); and the latency of one vehicle-day (8,640 fixes) out of that store.
 * Targets: ≥ 400,000 events/s and ≥ 0.6 × raw readAll; one vehicle-day ≤ 100 ms. Peak RSS printed.
 *   Run: npm run bench -w @dgt/replay   (POSITIONS=…, ROUNDS=… to vary; the store is cached in replay/.bench/)
 */
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { resolveDetectionConfig } from '@dgt/detection';
import { openSqliteEventStore } from '@dgt/eventstore';
import { normaliseSelection, renderReport, runReplay, storeSource } from '../src/index.ts';
import { DAY_VEHICLE, benchStore } from './buildBenchStore.ts';

const POSITIONS = Number(process.env.POSITIONS ?? 5_000_000);
const DAY_ROUNDS = 5;
/** Rounds of raw readAll then whole-store replay (medians reported). */
const ROUNDS = Number(process.env.ROUNDS ?? 5);
const dir = fileURLToPath(new URL('../.bench/', import.meta.url));
const log = (s: string) => console.log(s);
const rate = (n: number, ms: number) => Math.round((n / ms) * 1000);
const fmt = (n: number) => n.toLocaleString('en');

console.log(`replay bench: ${fmt(POSITIONS)} positions, node ${process.version}, ${cpus().length} cpus, load ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
const path = await benchStore(dir, POSITIONS, log);
const store = openSqliteEventStore({ path });
const thresholds = resolveDetectionConfig({});

/** Raw readAll and the whole-store replay, alternated in each round so both see the same load. */
async function rawReadAll(): Promise<{ events: number; ms: number }> {
  const t0 = performance.now();
  let events = 0;
  for await (const _ of store.readAll()) events++;
  return { events, ms: performance.now() - t0 };
}

async function wholeReplay(): Promise<{ events: number; ms: number; detections: number; jsonBytes: number }> {
  const t0 = performance.now();
  const all = await runReplay({ selection: normaliseSelection({}), thresholds }, storeSource(store));
  const rendered = renderReport(all.report);
  return { events: all.report.digest.events, ms: performance.now() - t0, detections: all.report.counts.detections, jsonBytes: rendered.json.length };
}

const medianOf = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const rawRates: number[] = [];
const replayRates: number[] = [];
const ratios: number[] = [];
// A first pass brings the file into the page cache (the first read of 2 GB from disk took 3× as long): untimed.
const warm = await rawReadAll();
console.log(`warm-up readAll:    ${fmt(warm.events)} events in ${(warm.ms / 1000).toFixed(1)} s (not counted)`);
let raw = 0;
for (let round = 1; round <= ROUNDS; round++) {
  const r = await rawReadAll();
  const p = await wholeReplay();
  raw = r.events;
  const rawRate = rate(r.events, r.ms);
  const replayRate = rate(p.events, p.ms);
  rawRates.push(rawRate);
  replayRates.push(replayRate);
  ratios.push(replayRate / rawRate);
  console.log(
    `round ${round}: raw readAll ${fmt(r.events)} events in ${(r.ms / 1000).toFixed(1)} s = ${fmt(rawRate)}/s; ` +
      `replay ${fmt(p.events)} events in ${(p.ms / 1000).toFixed(1)} s = ${fmt(replayRate)}/s (${fmt(p.detections)} detections, report.json ${(p.jsonBytes / 1e6).toFixed(1)} MB); ` +
      `ratio ${(replayRate / rawRate).toFixed(2)} (load ${loadavg()[0]?.toFixed(1)})`,
  );
}
const ratio = medianOf(ratios);
console.log(`raw readAll:        median ${fmt(medianOf(rawRates))} events/s of ${ROUNDS} rounds (reference)`);
console.log(`replay, whole store: median ${fmt(medianOf(replayRates))} events/s of ${ROUNDS} rounds (target ≥ 400,000/s)`);
console.log(`replay / readAll:   median ${ratio.toFixed(2)} (rounds ${ratios.map((x) => x.toFixed(2)).join(', ')}); target ≥ 0.6 — ${ratio >= 0.6 ? 'met' : 'NOT met'}`);

const day = { vehicles: [DAY_VEHICLE], from: '2026-03-01T00:00:00+08:00', to: '2026-03-02T00:00:00+08:00' };
const times: number[] = [];
let fixes = 0;
for (let i = 0; i < DAY_ROUNDS; i++) {
  const t = performance.now();
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
