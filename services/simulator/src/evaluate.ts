import { type DetectionConfig, DetectionEngine, defaultDetectionConfig, type EngineStats } from '@dgt/detection';
import { type DetectionEvent, epochMs, type EventOf } from '@dgt/events';
import { type SimulationOptions, simulate } from './simulate.ts';
import type { GroundTruth, ParkingTruth, SegmentTruth } from './truth.ts';

/** Precision and recall every detector must reach at the default noise levels. */
export const ACCURACY_TARGET = 0.99;
/**
 * Matching rule: a detection matches a truth item of the same vehicle (and, for segments, the
 * same zone) when its start is within this many seconds of the truth's start; each truth item
 * and each detection is matched at most once, closest starts first.
 */
export const DEFAULT_TOLERANCE_S = 300;

export type DetectorName = 'illegal-parking' | 'accident-segment';

export interface TimingStats {
  count: number;
  meanS: number;
  p95S: number;
  maxS: number;
  minS: number;
}

export interface DetectorScore {
  detector: DetectorName;
  truth: number;
  detected: number;
  tp: number;
  fp: number;
  fn: number;
  precision: number;
  recall: number;
  /** Detected start − truth start, over matched pairs. */
  startError: TimingStats;
  /** Detected end − truth end, over matched pairs whose end was detected. */
  endError: TimingStats;
}

export interface Mismatch {
  detector: DetectorName;
  kind: 'missed' | 'false-positive';
  vehicleId: string;
  zoneId?: string;
  start: string;
}

export interface EvalReport {
  vehicleDays: number;
  messages: number;
  malformedSkipped: number;
  engine: EngineStats;
  toleranceS: number;
  scores: DetectorScore[];
  /** Segment passages whose laden flag disagreed with the truth (among matched pairs). */
  ladenMismatches: number;
  mismatches: Mismatch[];
  truth: GroundTruth;
}

export interface EvalOptions extends SimulationOptions {
  toleranceS?: number;
  config?: DetectionConfig;
  /** Called every few thousand messages with the number processed. */
  onProgress?: (messages: number) => void;
  /** The engine under test; default a `DetectionEngine` with `config` (e.g. to try a patched detector). */
  createEngine?: () => Pick<DetectionEngine, 'apply' | 'stats'>;
}

/** A detection reduced to what matching needs (zoneId '' for parking). */
export interface Detected {
  vehicleId: string;
  zoneId: string;
  startMs: number;
  endMs: number | null;
  laden: boolean;
  start: string;
}

/** A ground-truth item reduced to what matching needs (zoneId '' for parking). */
export interface Expected {
  vehicleId: string;
  zoneId: string;
  startMs: number;
  endMs: number;
  laden: boolean;
  start: string;
}

/**
 * Simulates, runs every valid message through one `DetectionEngine` in arrival order (late and
 * duplicate fixes included, as a live pipeline sees them; malformed ones are what ingest would
 * refuse, so they are skipped), and scores the detections against the ground truth.
 */
export function evaluate(options: EvalOptions = {}): EvalReport {
  const sim = simulate(options);
  const engine = options.createEngine?.() ?? new DetectionEngine(options.config ?? defaultDetectionConfig);
  const detections: DetectionEvent[] = [];
  let messages = 0;
  let malformed = 0;
  for (const m of sim.messages) {
    messages++;
    if ((messages & 0x3fff) === 0) options.onProgress?.(messages);
    if (m.kind === 'malformed') {
      malformed++;
      continue;
    }
    const step = engine.apply(m.event);
    for (const d of step.detections) detections.push(d);
  }
  const toleranceS = options.toleranceS ?? DEFAULT_TOLERANCE_S;
  const mismatches: Mismatch[] = [];
  const parking = scoreDetector('illegal-parking', parkingExpected(sim.truth.parking), parkingDetected(detections), toleranceS, mismatches);
  const segments = scoreDetector('accident-segment', segmentExpected(sim.truth.segments), segmentDetected(detections), toleranceS, mismatches);
  return {
    vehicleDays: sim.options.vehicles * sim.options.days,
    messages,
    malformedSkipped: malformed,
    engine: engine.stats(),
    toleranceS,
    scores: [parking.score, segments.score],
    ladenMismatches: segments.ladenMismatches,
    mismatches,
    truth: sim.truth,
  };
}

function parkingExpected(truth: readonly ParkingTruth[]): Expected[] {
  return truth.map((t) => ({ vehicleId: t.vehicleId, zoneId: '', startMs: t.startMs, endMs: t.endMs, laden: true, start: t.start }));
}

function segmentExpected(truth: readonly SegmentTruth[]): Expected[] {
  return truth.map((t) => ({ vehicleId: t.vehicleId, zoneId: t.zoneId, startMs: t.startMs, endMs: t.endMs, laden: t.laden, start: t.start }));
}

function parkingDetected(all: readonly DetectionEvent[]): Detected[] {
  const ends = new Map<string, number>();
  for (const d of all) if (d.type === 'IllegalParkingEnded') ends.set(`${d.data.vehicleId}@${d.data.stoppedSince}`, epochMs(d.data.endedAt));
  return all
    .filter((d): d is EventOf<'IllegalParkingStarted'> => d.type === 'IllegalParkingStarted')
    .map((d) => ({
      vehicleId: d.data.vehicleId,
      zoneId: '',
      startMs: epochMs(d.data.stoppedSince),
      endMs: ends.get(`${d.data.vehicleId}@${d.data.stoppedSince}`) ?? null,
      laden: true,
      start: d.data.stoppedSince,
    }));
}

function segmentDetected(all: readonly DetectionEvent[]): Detected[] {
  const out: Detected[] = [];
  const open = new Map<string, Detected>();
  for (const d of all) {
    if (d.type === 'AccidentSegmentEntered') {
      const det: Detected = { vehicleId: d.data.vehicleId, zoneId: d.data.zoneId, startMs: epochMs(d.occurredAt), endMs: null, laden: d.data.laden, start: d.occurredAt };
      out.push(det);
      open.set(`${d.data.vehicleId}@${d.data.zoneId}`, det);
    } else if (d.type === 'AccidentSegmentExited') {
      const key = `${d.data.vehicleId}@${d.data.zoneId}`;
      const det = open.get(key);
      if (det) {
        det.endMs = epochMs(d.occurredAt);
        open.delete(key);
      }
    }
  }
  return out;
}

/** Matches one detector's detections to its truth (see DEFAULT_TOLERANCE_S) and scores them. */
export function scoreDetector(
  detector: DetectorName,
  expected: readonly Expected[],
  detected: readonly Detected[],
  toleranceS: number,
  mismatches: Mismatch[],
): { score: DetectorScore; ladenMismatches: number } {
  const key = (x: { vehicleId: string; zoneId: string }) => `${x.vehicleId}@${x.zoneId}`;
  const byKey = new Map<string, { e: number[]; d: number[] }>();
  expected.forEach((e, i) => {
    const g = byKey.get(key(e)) ?? { e: [], d: [] };
    g.e.push(i);
    byKey.set(key(e), g);
  });
  detected.forEach((d, i) => {
    const g = byKey.get(key(d)) ?? { e: [], d: [] };
    g.d.push(i);
    byKey.set(key(d), g);
  });
  const matchedE = new Set<number>();
  const matchedD = new Set<number>();
  const startErrors: number[] = [];
  const endErrors: number[] = [];
  let ladenMismatches = 0;
  for (const g of byKey.values()) {
    const pairs: [number, number, number][] = [];
    for (const ei of g.e) {
      for (const di of g.d) {
        const delta = (detected[di]!.startMs - expected[ei]!.startMs) / 1000;
        if (Math.abs(delta) <= toleranceS) pairs.push([Math.abs(delta), ei, di]);
      }
    }
    pairs.sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]);
    for (const [, ei, di] of pairs) {
      if (matchedE.has(ei) || matchedD.has(di)) continue;
      matchedE.add(ei);
      matchedD.add(di);
      const e = expected[ei]!;
      const d = detected[di]!;
      startErrors.push((d.startMs - e.startMs) / 1000);
      if (d.endMs !== null) endErrors.push((d.endMs - e.endMs) / 1000);
      if (d.laden !== e.laden) ladenMismatches++;
    }
  }
  expected.forEach((e, i) => {
    if (!matchedE.has(i)) mismatches.push({ detector, kind: 'missed', vehicleId: e.vehicleId, ...(e.zoneId ? { zoneId: e.zoneId } : {}), start: e.start });
  });
  detected.forEach((d, i) => {
    if (!matchedD.has(i)) mismatches.push({ detector, kind: 'false-positive', vehicleId: d.vehicleId, ...(d.zoneId ? { zoneId: d.zoneId } : {}), start: d.start });
  });
  const tp = matchedE.size;
  const fp = detected.length - matchedD.size;
  const fn = expected.length - tp;
  return {
    score: {
      detector,
      truth: expected.length,
      detected: detected.length,
      tp,
      fp,
      fn,
      precision: detected.length === 0 ? (expected.length === 0 ? 1 : 0) : tp / (tp + fp),
      recall: expected.length === 0 ? 1 : tp / expected.length,
      startError: timing(startErrors),
      endError: timing(endErrors),
    },
    ladenMismatches,
  };
}

export function timing(values: readonly number[]): TimingStats {
  if (values.length === 0) return { count: 0, meanS: 0, p95S: 0, maxS: 0, minS: 0 };
  const sorted = [...values].sort((a, b) => a - b);
  const p95 = sorted[Math.min(sorted.length - 1, Math.ceil(0.95 * sorted.length) - 1)]!;
  return {
    count: sorted.length,
    meanS: sorted.reduce((a, b) => a + b, 0) / sorted.length,
    p95S: p95,
    maxS: sorted[sorted.length - 1]!,
    minS: sorted[0]!,
  };
}

export function meetsTarget(report: EvalReport, target = ACCURACY_TARGET): boolean {
  return report.scores.every((s) => s.precision >= target && s.recall >= target);
}

/** The report as a plain-text table (one row per detector), then the noise it was measured at. */
export function formatReport(report: EvalReport, target = ACCURACY_TARGET): string {
  const head = ['detector', 'truth', 'detected', 'TP', 'FP', 'FN', 'precision', 'recall', 'start err s mean/p95/max', 'end err s mean/p95/max'];
  const f1 = (x: number) => x.toFixed(1);
  const rows = report.scores.map((s) => [
    s.detector,
    String(s.truth),
    String(s.detected),
    String(s.tp),
    String(s.fp),
    String(s.fn),
    s.precision.toFixed(4),
    s.recall.toFixed(4),
    `${f1(s.startError.meanS)} / ${f1(s.startError.p95S)} / ${f1(s.startError.maxS)}`,
    `${f1(s.endError.meanS)} / ${f1(s.endError.p95S)} / ${f1(s.endError.maxS)}`,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  const t = report.truth;
  const n = t.negatives;
  const fa = t.faults;
  const e = report.engine;
  const verdict = meetsTarget(report, target) ? `PASS: precision and recall ≥ ${target} for every detector` : `FAIL: below the ${target} target`;
  return [
    `dgt eval — seed ${t.seed}, ${t.vehicles} vehicles × ${t.days} day(s) from ${t.start.slice(0, 10)} = ${report.vehicleDays} vehicle-days`,
    '',
    line(head),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
    '',
    `matching: same vehicle${' '}(+ same zone for segments), detected start within ±${report.toleranceS} s of the truth start; one-to-one, closest first.`,
    `  parking start = IllegalParkingStarted.stoppedSince vs the moment the wheels stopped; segment start = AccidentSegmentEntered time vs entering the corridor.`,
    `  segment laden flag disagreements among matches: ${report.ladenMismatches}`,
    `negatives (must not be reported): ${n.shortLadenStops} short laden roadside stops (2–8 min), ${n.emptyRoadsideStops} long empty roadside stops, ` +
      `${n.ladenLotRests} laden rests in dedicated lots, ${n.loadingStops} loading and ${n.unloadingStops} unloading stops, ${n.redLightStops} red lights`,
    `noise: ${fa.fixes} fixes; ${fa.outOfOrder} out of order, ${fa.duplicates} duplicated, ${fa.malformed} malformed (skipped), ` +
      `${fa.movingGaps} signal-loss gaps (${fa.droppedInGaps} fixes lost or uploaded late), ${fa.sleepGaps} terminal sleeps; ` +
      `parked drift ±${t.noise.parkedDriftM} m with phantom speeds up to ${t.noise.phantomSpeedMaxKmh} km/h on ${Math.round(t.noise.phantomSpeedShare * 100)} % of stationary fixes`,
    `engine: ${e.events} events, ${e.positions} positions, ${e.late} late and ${e.duplicates} duplicates ignored, ${e.rejected} refused`,
    verdict,
  ].join('\n');
}
