import type { DetectionEvent, DgtEvent } from '@dgt/events';
import type { DetectionConfig } from './config.ts';
import { DetectionEngine, type EngineStats } from './engine.ts';
import type { Rejection } from './rejection.ts';

export interface DetectionRun {
  detections: DetectionEvent[];
  rejections: Rejection[];
  stats: EngineStats;
}

/** Runs an ordered batch of events through a fresh engine. */
export function runDetection(events: Iterable<DgtEvent>, config?: DetectionConfig): DetectionRun {
  const engine = new DetectionEngine(config);
  const detections: DetectionEvent[] = [];
  const rejections: Rejection[] = [];
  for (const event of events) {
    const step = engine.apply(event);
    for (const d of step.detections) detections.push(d);
    if (step.rejection) rejections.push(step.rejection);
  }
  return { detections, rejections, stats: { ...engine.stats() } };
}
