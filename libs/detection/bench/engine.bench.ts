/*
 * Detection engine throughput on a Taizhou-sized fleet, single core, against the rate of a bare
 * H3 latLngToCell on the same points (the cost the engine would pay to index every fix).
 * Run: npm run bench -w @dgt/detection   (env BENCH_VEHICLES, BENCH_FIXES to resize; BENCH_RULES=0 for
 * the fleet of zones without rules or restricted areas, as before issue #15; BENCH_CROSS=0 to leave out
 * passages between fixes, to see what they cost)
 */
import { cellOf, DEFAULT_H3_RESOLUTION } from '@dgt/geo';
import { clockTick, type DetectionEvent, type DgtEvent, epochMs } from '@dgt/events';
import { defaultDetectionConfig, DetectionEngine } from '../src/index.ts';
import { materialise, mulberry32, taizhouTracks, taizhouZones } from './taizhouFleet.ts';

const vehicles = Number(process.env.BENCH_VEHICLES ?? 10_000);
const fixesPerVehicle = Number(process.env.BENCH_FIXES ?? 120);
const restricted = process.env.BENCH_RULES === '0' ? 0 : 20;
// Issue #16: waybills declare routes and the record's clock ticks every minute (BENCH_TIME=0: neither, as before it).
const timeRules = process.env.BENCH_TIME !== '0';
const opts = { vehicles, fixesPerVehicle, lots: 120, parks: 30, segments: 150, restricted, seed: 808, routes: timeRules };
const rnd = mulberry32(opts.seed);
const zones = taizhouZones(opts, rnd);
const { setup, track } = taizhouTracks(opts, rnd);
// A Kafka fetch batch is a few thousand messages.
const CHUNK = 2_000;
const gc = (globalThis as { gc?: () => void }).gc;

/** The record's clock as the recorder writes it: a ClockTicked before the first fix of each new minute. */
function withClockTicks(chunk: DgtEvent[], last: { minute: number }): DgtEvent[] {
  const out: DgtEvent[] = [];
  for (const e of chunk) {
    const minute = Math.floor(epochMs(e.occurredAt) / 60_000);
    if (minute > last.minute) {
      last.minute = minute;
      out.push(clockTick(minute * 60_000));
    }
    out.push(e);
  }
  return out;
}

function runEngine(): { engine: DetectionEngine; seconds: number; detections: number; byType: Map<string, number> } {
  const lastTick = { minute: -Infinity };
  const engine = new DetectionEngine(process.env.BENCH_CROSS === '0' ? { ...defaultDetectionConfig, crossMaxGapS: 0.001 } : undefined);
  for (const e of zones) engine.apply(e);
  for (const e of setup) engine.apply(e);
  let detections = 0;
  let elapsed = 0n;
  const emitted: DetectionEvent[][] = [];
  // Events are built in chunks outside the timed section, as a consumer holds freshly parsed ones.
  for (let from = 0; from < track.count; from += CHUNK) {
    const fixes = materialise(track, from, Math.min(track.count, from + CHUNK));
    const chunk = timeRules ? withClockTicks(fixes, lastTick) : fixes;
    const start = process.hrtime.bigint();
    for (let i = 0; i < chunk.length; i++) {
      const d = engine.apply(chunk[i]!).detections;
      if (d.length > 0) {
        detections += d.length;
        emitted.push(d as DetectionEvent[]);
      }
    }
    elapsed += process.hrtime.bigint() - start;
  }
  const byType = new Map<string, number>();
  for (const ds of emitted) for (const d of ds) byType.set(d.type + (d.data.interpolated ? ' (between fixes)' : ''), (byType.get(d.type + (d.data.interpolated ? ' (between fixes)' : '')) ?? 0) + 1);
  return { engine, seconds: Number(elapsed) / 1e9, detections, byType };
}

function runH3(): number {
  let sink = 0;
  let elapsed = 0n;
  for (let from = 0; from < track.count; from += CHUNK) {
    const chunk = materialise(track, from, Math.min(track.count, from + CHUNK));
    const start = process.hrtime.bigint();
    for (let i = 0; i < chunk.length; i++) {
      const d = (chunk[i] as { data: { lon: number; lat: number } }).data;
      sink += cellOf(d.lon, d.lat, DEFAULT_H3_RESOLUTION).length;
    }
    elapsed += process.hrtime.bigint() - start;
  }
  if (sink === 0) throw new Error('unreachable');
  return Number(elapsed) / 1e9;
}

const ruledZones = zones.filter((z) => z.type === 'ZoneDesignated' && z.data.rules !== undefined).length;
console.log(
  `detection engine bench: ${vehicles} vehicles, ${track.count.toLocaleString('en')} fixes, ${zones.length} zones ` +
    `(lots/parks/segments/restricted areas ${opts.lots}/${opts.parks}/${opts.segments}/${opts.restricted}; ${ruledZones} with rules), H3 res ${DEFAULT_H3_RESOLUTION}` +
    (timeRules ? '; routed waybills and a clock tick a minute' : '; no routes, no clock ticks (BENCH_TIME=0)'),
);
runEngine(); // warm-up
const engineRates: number[] = [];
const h3Rates: number[] = [];
let detections = 0;
let byType = new Map<string, number>();
for (let round = 0; round < 3; round++) {
  const r = runEngine();
  engineRates.push(track.count / r.seconds);
  detections = r.detections;
  byType = r.byType;
  h3Rates.push(track.count / runH3());
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const engineRate = median(engineRates);
const h3Rate = median(h3Rates);
console.log(`  engine           ${Math.round(engineRate).toLocaleString('en').padStart(12)} positions/s  (median of 3; ${detections} detections per run)`);
console.log(`  h3.latLngToCell  ${Math.round(h3Rate).toLocaleString('en').padStart(12)} points/s     (reference, same points)`);
console.log(`  ratio engine / bare H3: ${(engineRate / h3Rate).toFixed(2)}×   target: ≥ 1,000,000 positions/s → ${engineRate >= 1_000_000 ? 'met' : 'MISSED'}`);
console.log(`  runs (positions/s): ${engineRates.map((r) => Math.round(r).toLocaleString('en')).join(', ')}`);
console.log(`  detections per run: ${[...byType].sort(([a], [b]) => (a < b ? -1 : 1)).map(([t, n]) => `${t} ${n}`).join(', ')}`);

if (gc) {
  // Per-vehicle state: engines sharing one zone index, so the index is not counted; each vehicle's
  // waybill is. A throw-away run first, so compiled code and feedback are not counted either.
  const shared = new DetectionEngine();
  for (const e of zones) shared.apply(e);
  const load = () => {
    const engine = new DetectionEngine(undefined, shared.zones);
    for (const e of setup) engine.apply(e);
    for (let from = 0; from < track.count; from += CHUNK) for (const e of materialise(track, from, Math.min(track.count, from + CHUNK))) engine.apply(e);
    return engine;
  };
  load();
  gc();
  // Typed arrays (a route corridor is one) keep their numbers outside the JS heap: counted too.
  const used = () => {
    const m = process.memoryUsage();
    return m.heapUsed + m.arrayBuffers;
  };
  const before = used();
  const loaded = load();
  gc();
  const after = used();
  const tracked = loaded.vehicleIds().length;
  console.log(
    `  heap per tracked vehicle: ${Math.round((after - before) / tracked)} bytes (${tracked} vehicles, incl. each one's waybill${timeRules ? ' and its declared route of ~17 points' : ''}, typed arrays included; the shared zone index of ${shared.zones.stats().cells.toLocaleString('en')} H3 cells excluded)`,
  );
} else {
  console.log('  heap per tracked vehicle: run with node --expose-gc to measure');
}

