import { fixNumbers } from '../../ingest/bench/fixNumbers.ts';

/**
 * Position events as JSON text, built by string concatenation: the load generator shares two
 * cores with the gateway, recorder and broker, so it must stay cheap. Same shape as the
 * catalog's VehiclePositionReported, with numbers as terminals report them (the ingest bench's
 * fixNumbers.ts: six places, hundreds of thousands of distinct coordinates, speed in tenths).
 */
const BASE_MS = Date.parse('2026-03-01T00:00:00Z');

export function positionJson(runId: string, vehicle: number, seq: number): string {
  const occurredAt = new Date(BASE_MS + seq * 10_000).toISOString();
  const { lon, lat, speedKmh, headingDeg } = fixNumbers(seq * 10_007 + vehicle);
  return `{"eventId":"${runId}-V${vehicle}-${seq}","type":"VehiclePositionReported","occurredAt":"${occurredAt}","data":{"vehicleId":"${runId}-V${vehicle}","lon":${lon},"lat":${lat},"speedKmh":${speedKmh},"headingDeg":${headingDeg}}}`;
}

/** A lane owns the vehicles v ≡ lane (mod lanes); each call yields its next batch of fixes, vehicles interleaved. */
export class LaneBatches {
  private seq = 0;
  private vehicleCursor = 0;
  private readonly vehicles: number[];

  constructor(
    private readonly runId: string,
    lane: number,
    lanes: number,
    totalVehicles: number,
  ) {
    this.vehicles = [];
    for (let v = lane; v < totalVehicles; v += lanes) this.vehicles.push(v);
  }

  /** A JSON array body of `size` events. */
  next(size: number): string {
    return `[${this.nextEvents(size)
      .map((e) => e.json)
      .join(',')}]`;
  }

  /** The next `size` events as JSON text with their partition key and id. */
  nextEvents(size: number): { vehicleId: string; eventId: string; json: string }[] {
    const out: { vehicleId: string; eventId: string; json: string }[] = [];
    for (let i = 0; i < size; i++) {
      const vehicle = this.vehicles[this.vehicleCursor] ?? 0;
      out.push({
        vehicleId: `${this.runId}-V${vehicle}`,
        eventId: `${this.runId}-V${vehicle}-${this.seq}`,
        json: positionJson(this.runId, vehicle, this.seq),
      });
      this.vehicleCursor++;
      if (this.vehicleCursor === this.vehicles.length) {
        this.vehicleCursor = 0;
        this.seq++;
      }
    }
    return out;
  }
}
