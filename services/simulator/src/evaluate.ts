import { type DetectionConfig, DetectionEngine, detectionCatalogue, defaultDetectionConfig, type DetectionKind, type EngineStats } from '@dgt/detection';
import type { DetectionEvent } from '@dgt/events';
import { detectedByKind, expectedOf } from './evalKinds.ts';
import type { RuleThresholds } from './ruleTruth.ts';
import { type KindScore, type Mismatch, scoreKind } from './scoring.ts';
import { type SimulationOptions, simulate } from './simulate.ts';
import type { GroundTruth } from './truth.ts';

/** Precision and recall every kind of detection must reach at the default noise levels. */
export const ACCURACY_TARGET = 0.99;
/**
 * Matching rule: a detection matches a truth item of the same kind and vehicle (and zone, where
 * the kind has one) when its start is within this many seconds of the truth's start; each truth
 * item and each detection is matched at most once, closest starts first.
 */
export const DEFAULT_TOLERANCE_S = 300;

export interface EvalReport {
  vehicleDays: number;
  messages: number;
  malformedSkipped: number;
  engine: EngineStats;
  toleranceS: number;
  /** One per kind of the violation catalogue, in its order. */
  scores: KindScore[];
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

/** The thresholds of the engine's config that the rules' truth is defined with. */
export function ruleThresholdsOf(config: DetectionConfig): RuleThresholds {
  const { overspeedKmh, overspeedMinS, segmentExitFixes, crossMaxGapS, crossMaxSpeedKmh, fatigueAfterS, restMinS, offlineAfterS, routeDeviationFixes } = config;
  return { overspeedKmh, overspeedMinS, segmentExitFixes, crossMaxGapS, crossMaxSpeedKmh, fatigueAfterS, restMinS, offlineAfterS, routeDeviationFixes };
}

/**
 * Simulates, runs every valid message through one `DetectionEngine` in arrival order (late and
 * duplicate fixes included, as a live pipeline sees them; malformed ones are what ingest would
 * refuse, so they are skipped), and scores the detections of each kind against the ground truth.
 */
export function evaluate(options: EvalOptions = {}): EvalReport {
  const config = options.config ?? defaultDetectionConfig;
  const sim = simulate({ ...options, rules: { ...ruleThresholdsOf(config), ...options.rules } });
  const engine = options.createEngine?.() ?? new DetectionEngine(config);
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
  const detected = detectedByKind(detections);
  const scores = (Object.keys(detectionCatalogue) as DetectionKind[]).map((kind) =>
    scoreKind(kind, detectionCatalogue[kind].category, expectedOf(kind, sim.truth), detected.get(kind) ?? [], toleranceS, mismatches),
  );
  return {
    vehicleDays: sim.options.vehicles * sim.options.days,
    messages,
    malformedSkipped: malformed,
    engine: engine.stats(),
    toleranceS,
    scores,
    mismatches,
    truth: sim.truth,
  };
}

export function meetsTarget(report: EvalReport, target = ACCURACY_TARGET): boolean {
  return report.scores.every((s) => s.precision >= target && s.recall >= target);
}
