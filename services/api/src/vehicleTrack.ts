import { epochMs, isoUtc } from '@dgt/events';
import { readTimeWindow, vehicleStream, type EventStore, type RecordedEvent } from '@dgt/eventstore';
import type { FixView } from '@dgt/readmodels';

export interface TrackWindow {
  readonly fromMs: number;
  readonly toMs: number;
}

export interface Track {
  readonly points: FixView[];
  /** More fixes lie in the window than `maxPoints`: the earliest recorded ones were kept. */
  readonly truncated: boolean;
}

/**
 * A vehicle's recorded fixes with `occurredAt` in [from, to), from the event store (the track is
 * not part of the read models), ordered by fix time. Reads at most `maxPoints + 1` events.
 */
export async function readTrack(store: EventStore, vehicleId: string, window: TrackWindow, maxPoints: number): Promise<Track> {
  const points: FixView[] = [];
  let truncated = false;
  const events = readTimeWindow(store, { from: isoUtc(window.fromMs), to: isoUtc(window.toMs) }, {
    filter: { streams: [vehicleStream(vehicleId)], types: ['VehiclePositionReported'] },
    maxCount: maxPoints + 1,
  });
  for await (const recorded of events) {
    if (points.length === maxPoints) {
      truncated = true;
      break;
    }
    const fix = fixOf(recorded);
    if (fix !== undefined) points.push(fix);
  }
  points.sort((a, b) => epochMs(a.occurredAt) - epochMs(b.occurredAt));
  return { points, truncated };
}

function fixOf({ event }: RecordedEvent): FixView | undefined {
  const { lon, lat, speedKmh, headingDeg } = event.data;
  if (typeof lon !== 'number' || typeof lat !== 'number' || typeof speedKmh !== 'number') return undefined;
  return { eventId: event.eventId, occurredAt: event.occurredAt, lon, lat, speedKmh, headingDeg: typeof headingDeg === 'number' ? headingDeg : null };
}
