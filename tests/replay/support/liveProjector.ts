import { type DetectionConfig, DetectionEngine } from '@dgt/detection';
import type { DetectionEvent, DgtEvent } from '@dgt/events';
import { detectionsStream, type EventStore, streamFor } from '@dgt/eventstore';

export interface LiveRun {
  engine: DetectionEngine;
  recorded: DetectionEvent[];
}

/**
 * What the live projector does: each event is recorded, run through the engine as it arrives,
 * and the detections it emits are recorded in `detections-<vehicleId>`. `drop` leaves chosen
 * detections unrecorded (a live output that went missing).
 */
export async function recordLive(
  store: EventStore,
  events: readonly DgtEvent[],
  options: { config?: DetectionConfig; drop?: (d: DetectionEvent) => boolean; engine?: DetectionEngine } = {},
): Promise<LiveRun> {
  const engine = options.engine ?? new DetectionEngine(options.config);
  const recorded: DetectionEvent[] = [];
  for (const event of events) {
    await store.append(streamFor(event), [event]);
    for (const d of engine.apply(event).detections) {
      if (options.drop?.(d)) continue;
      await store.append(detectionsStream(d.data.vehicleId), [d]);
      recorded.push(d);
    }
  }
  return { engine, recorded };
}

/** Records events without running detection (history the projector has not seen yet). */
export async function recordOnly(store: EventStore, events: readonly DgtEvent[]): Promise<void> {
  for (const event of events) await store.append(streamFor(event), [event]);
}
