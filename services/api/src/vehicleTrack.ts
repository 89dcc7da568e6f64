import { epochMs, isoUtc } from '@dgt/events';
import { readTimeWindow, vehicleStream, type EventStore, type RecordedEvent } from '@dgt/eventstore';
import { periodsOf, type FixView, type ReadModelStore, type Scope } from '@dgt/readmodels';

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
 * What of a vehicle's track the caller may see: `'all'`, the windows it owned the vehicle in, or
 * `undefined` (answer 404, as for an unknown vehicle). Bureau and enforcement see every known
 * vehicle's track; a carrier the fixes of the periods it owned a registered vehicle — before
 * a transfer for the old owner, from it for the new one — and of an unregistered vehicle only
 * while it is the vehicle's carrier (its latest assignment).
 */
export async function visibleTrack(readModels: ReadModelStore, vehicleId: string, scope: Scope): Promise<'all' | TrackWindow[] | undefined> {
  const carrierId = scope.carrierId;
  if (carrierId !== null) {
    const registration = await readModels.registration(vehicleId);
    if (registration !== undefined) {
      const owned = periodsOf(registration, carrierId);
      return owned.length === 0 ? undefined : owned;
    }
  }
  return (await readModels.vehicle(vehicleId, scope)) === undefined ? undefined : 'all';
}

/**
 * A vehicle's recorded fixes with `occurredAt` in [from, to) — and inside one of `visible`'s
 * windows — from the event store (the track is not part of the read models), ordered by fix
 * time. Reads at most `maxPoints + 1` events.
 */
export async function readTrack(store: EventStore, vehicleId: string, window: TrackWindow, maxPoints: number, visible: 'all' | readonly TrackWindow[] = 'all'): Promise<Track> {
  const parts = visible === 'all' ? [window] : clip(window, visible);
  const points: FixView[] = [];
  let truncated = false;
  for (const part of parts) {
    const events = readTimeWindow(store, { from: isoUtc(part.fromMs), to: isoUtc(part.toMs) }, {
      filter: { streams: [vehicleStream(vehicleId)], types: ['VehiclePositionReported'] },
      maxCount: maxPoints - points.length + 1,
    });
    for await (const recorded of events) {
      if (points.length === maxPoints) {
        truncated = true;
        break;
      }
      const fix = fixOf(recorded);
      // A window's bounds are instants; the store's filter may be coarser than an owner's period.
      if (fix !== undefined && inside(epochMs(fix.occurredAt), part)) points.push(fix);
    }
    if (truncated) break;
  }
  points.sort((a, b) => epochMs(a.occurredAt) - epochMs(b.occurredAt));
  return { points, truncated };
}

/** The parts of `window` inside the visible windows, earliest first. */
function clip(window: TrackWindow, visible: readonly TrackWindow[]): TrackWindow[] {
  return visible
    .map((v) => ({ fromMs: Math.max(window.fromMs, v.fromMs), toMs: Math.min(window.toMs, v.toMs) }))
    .filter((p) => p.fromMs < p.toMs)
    .sort((a, b) => a.fromMs - b.fromMs);
}

function inside(ms: number, w: TrackWindow): boolean {
  return ms >= w.fromMs && ms < w.toMs;
}

function fixOf({ event }: RecordedEvent): FixView | undefined {
  const { lon, lat, speedKmh, headingDeg } = event.data;
  if (typeof lon !== 'number' || typeof lat !== 'number' || typeof speedKmh !== 'number') return undefined;
  return { eventId: event.eventId, occurredAt: event.occurredAt, lon, lat, speedKmh, headingDeg: typeof headingDeg === 'number' ? headingDeg : null };
}
