/*
 * Detection engine throughput on a Taizhou-sized fleet, single core, against the rate of a bare
 * H3 latLngToCell on the same points (the cost the engine would pay to index every fix).
 * Run: npm run bench -w @dgt/detection   (env BENCH_VEHICLES, BENCH_FIXES to resize)
 */
import { cellOf, DEFAULT_H3_RESOLUTION } from '@dgt/geo';
import { DetectionEngine } from '../src/index.ts';
import { mulberry32, taizhouTracks, taizhouZones } from './taizhouFleet.ts';

const vehicles = Number(process.env.BENCH_VEHICLES ?? 10_000);
const fixesPerVehicle = Number(process.env.BENCH_FIXES ?? 120);
const opts = { vehicles, fixesPerVehicle, lots: 120, parks: 30, segments: 150, seed: 808 };
const rnd = mulberry32(opts.seed);
const zones = taizhouZones(opts, rnd);
const { setup, fixes } = taizhouTracks(opts, rnd);
const gc = (globalThis as { gc?: () => void }).gc;

function runEngine(): { engine: DetectionEngine; seconds: number; detections: number } {
  const engine = new DetectionEngine();
  for (const e of zones) engine.apply(e);
  for (const e of setup) engine.apply(e);
  let detections = 0;
  const start = process.hrtime.bigint();
  for (let i = 0; i < fixes.length; i++) detections += engine.apply(fixes[i]!).detections.length;
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return { engine, seconds, detections };
}

function runH3(): number {
  const start = process.hrtime.bigint();
  let sink = 0;
  for (let i = 0; i < fixes.length; i++) {
    const d = (fixes[i] as { data: { lon: number; lat: number } }).data;
    sink += cellOf(d.lon, d.lat, DEFAULT_H3_RESOLUTION).length;
  }
  if (sink === 0) throw new Error('unreachable');
  return Number(process.hrtime.bigint() - start) / 1e9;
}

console.log(`detection engine bench: ${vehicles} vehicles, ${fixes.length.toLocaleString('en')} fixes, ${zones.length} zones (lots/parks/segments ${opts.lots}/${opts.parks}/${opts.segments}), H3 res ${DEFAULT_H3_RESOLUTION}`);
runEngine(); // warm-up
const engineRates: number[] = [];
const h3Rates: number[] = [];
let detections = 0;
for (let round = 0; round < 3; round++) {
  const r = runEngine();
  engineRates.push(fixes.length / r.seconds);
  detections = r.detections;
  h3Rates.push(fixes.length / runH3());
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const engineRate = median(engineRates);
const h3Rate = median(h3Rates);
console.log(`  engine           ${Math.round(engineRate).toLocaleString('en').padStart(12)} positions/s  (median of 3; ${detections} detections per run)`);
console.log(`  h3.latLngToCell  ${Math.round(h3Rate).toLocaleString('en').padStart(12)} points/s     (reference, same points)`);
console.log(`  ratio engine / bare H3: ${(engineRate / h3Rate).toFixed(2)}×   target: ≥ 1,000,000 positions/s → ${engineRate >= 1_000_000 ? 'met' : 'MISSED'}`);

if (gc) {
  gc();
  const before = process.memoryUsage().heapUsed;
  const kept = runEngine().engine;
  gc();
  const withEngine = process.memoryUsage().heapUsed;
  const tracked = kept.vehicleIds().length;
  console.log(`  heap per tracked vehicle: ${((withEngine - before) / tracked).toFixed(0)} bytes (engine state incl. zone index for ${tracked} vehicles: ${((withEngine - before) / 1048576).toFixed(1)} MiB)`);
} else {
  console.log('  heap per tracked vehicle: run with node --expose-gc to measure');
}
