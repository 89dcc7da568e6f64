import { isoAtOffsetOf } from '@dgt/events';
import { alongLine, type ZoneCrossing } from '@dgt/geo';
import type { Fix } from './fix.ts';

/**
 * A zone passed between two fixes with neither inside it (a 500 m tunnel at 80 km/h between 30 s
 * reports): the vehicle is taken to have driven the straight line between them at an even pace, so
 * entry and exit are dated, and the entry placed, by the fraction of the line where they lie.
 */
export interface Passage {
  zoneId: string;
  /** The fix before, and the fix that revealed the passage. */
  from: Fix;
  to: Fix;
  enterMs: number;
  exitMs: number;
  enteredAt: string;
  exitedAt: string;
  /** Where the line enters the zone (to 1e-7°, ~1 cm). */
  lon: number;
  lat: number;
  /** The two reported speeds interpolated at the entry, to 0.1 km/h. */
  speedKmh: number;
}

export function passageOf(crossing: ZoneCrossing, from: Fix, to: Fix): Passage {
  const enterMs = Math.round(from.ms + crossing.enter * (to.ms - from.ms));
  const exitMs = Math.round(from.ms + crossing.exit * (to.ms - from.ms));
  return {
    zoneId: crossing.zoneId,
    from,
    to,
    enterMs,
    exitMs,
    enteredAt: isoAtOffsetOf(enterMs, to.occurredAt),
    exitedAt: isoAtOffsetOf(exitMs, to.occurredAt),
    lon: Math.round(alongLine(from.lon, to.lon, crossing.enter) * 1e7) / 1e7,
    lat: Math.round(alongLine(from.lat, to.lat, crossing.enter) * 1e7) / 1e7,
    speedKmh: Math.round(alongLine(from.speedKmh, to.speedKmh, crossing.enter) * 10) / 10,
  };
}
