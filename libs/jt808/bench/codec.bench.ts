/**
 * Decoded location reports per second for the codec alone (target ≥ 500,000/s on one core),
 * with references measured in the same run: JSON.parse of an equivalent JSON position, and
 * unescape + checksum alone (the floor any decoder pays).
 */
import { decodeFrame, encodeLocationReport, unescapeFrame, xorChecksum } from '../src/index.ts';
import type { LocationInput } from '../src/index.ts';

const N = 10_000;
const ROUNDS = 30;

// Deterministic pseudo-random walk around Taizhou (bench code may not use Math.random for reproducibility).
let seed = 808;
const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 0x1_0000_0000);

const t0 = Date.parse('2025-03-01T00:00:00Z');
const inputs: LocationInput[] = Array.from({ length: N }, (_, i) => ({
  alarm: rnd() < 0.02 ? 1 << 1 : 0,
  status: 0b11 | (1 << 19) | (i % 4 === 0 ? 3 << 8 : 0),
  latitude: 28.4 + rnd() * 0.8,
  longitude: 120.8 + rnd() * 0.9,
  altitudeM: Math.floor(rnd() * 200),
  speedKmh: Math.round(rnd() * 900) / 10,
  direction: Math.floor(rnd() * 360),
  timeMs: t0 + i * 15_000,
  extras: { mileageKm: 10_000 + i / 10, fuelL: Math.round(rnd() * 3000) / 10, signalStrength: 20 + (i % 10), satellites: 8 + (i % 12) },
}));
const frames = inputs.map((l, i) => encodeLocationReport({ flavour: i % 2 === 0 ? '2019' : '2013', phone: String(13900000000 + (i % 3000)), serial: i & 0xffff }, l));
const escaped = frames.filter((f) => f.length !== unescapeFrame(f, 1, f.length - 1).length + 2).length;
const jsons = inputs.map((l, i) =>
  JSON.stringify({ phone: String(13900000000 + (i % 3000)), serial: i, alarm: l.alarm, status: l.status, latitude: l.latitude, longitude: l.longitude, altitudeM: l.altitudeM, speedKmh: l.speedKmh, direction: l.direction, time: new Date(l.timeMs).toISOString(), extras: l.extras }),
);

function measure(name: string, fn: () => number): number {
  fn(); // warm-up
  fn();
  const start = process.hrtime.bigint();
  let sink = 0;
  for (let r = 0; r < ROUNDS; r++) sink += fn();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const rate = (N * ROUNDS) / seconds;
  console.log(`${name.padEnd(34)} ${Math.round(rate).toLocaleString('en-US').padStart(12)} /s   (sink ${sink})`);
  return rate;
}

console.log(`jt808 codec bench: ${N} distinct location frames (${escaped} contain escapes), ${ROUNDS} rounds, node ${process.version}`);
const decode = measure('decodeFrame (0x0200 → report)', () => {
  let ok = 0;
  for (const f of frames) {
    const r = decodeFrame(f);
    if (r.ok && r.value.kind === 'message' && r.value.message.type === 'location') ok += r.value.message.latitude > 0 ? 1 : 0;
  }
  return ok;
});
const json = measure('JSON.parse (equivalent position)', () => {
  let ok = 0;
  for (const j of jsons) ok += (JSON.parse(j) as { latitude: number }).latitude > 0 ? 1 : 0;
  return ok;
});
const floor = measure('unescape + checksum only', () => {
  let x = 0;
  for (const f of frames) {
    const u = unescapeFrame(f, 1, f.length - 1);
    x ^= xorChecksum(u, 0, u.length);
  }
  return x;
});
console.log(`ratio decode / JSON.parse:          ${(decode / json).toFixed(2)}×`);
console.log(`ratio decode / unescape+checksum:   ${(decode / floor).toFixed(2)}×`);
console.log(`target ≥ 500,000 reports/s: ${decode >= 500_000 ? 'met' : 'NOT met'}`);
