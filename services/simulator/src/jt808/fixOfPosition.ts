import type { EventOf } from '@dgt/events';
import type { LocationInput } from '@dgt/jt808';

/** JT/T 808 status: ACC on (bit 0) and positioned (bit 1); the gateway publishes only positioned fixes. */
const ACC_ON_POSITIONED = 0b11;

/**
 * The 0x0200 body a terminal sends for a simulated fix. Lossless for what the simulator produces
 * (degrees rounded to 10⁻⁶, speeds to 0.1 km/h, whole-degree headings, whole-second times), so
 * the gateway publishes the very position the simulator would have posted over HTTP.
 */
export function fixOfPosition(event: EventOf<'VehiclePositionReported'>): LocationInput {
  const d = event.data;
  return {
    alarm: 0,
    status: ACC_ON_POSITIONED,
    latitude: d.lat,
    longitude: d.lon,
    altitudeM: 0,
    speedKmh: d.speedKmh,
    direction: Math.round(d.headingDeg ?? 0) % 360,
    timeMs: Date.parse(event.occurredAt),
  };
}
