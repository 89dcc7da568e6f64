import { fixNumbers } from '../../ingest/bench/fixNumbers.ts';

/**
 * Position fixes as NDJSON text, built by string concatenation (the loader shares two cores with
 * the stack, so it must stay cheap). Fixes are dated just before now: ingest refuses fixes outside
 * its plausibility window, and a bench of refusals would measure nothing. Their numbers are as
 * terminals report them (the ingest bench's fixNumbers.ts).
 */
export class PositionBatches {
  private seq = 0;

  constructor(
    private readonly runId: string,
    private readonly lane: number,
    private readonly vehicles: number,
  ) {}

  /** The next `size` fixes, vehicles of this lane interleaved, one per line. */
  next(size: number): string {
    const at = new Date(Date.now() - 60_000).toISOString();
    let body = '';
    for (let i = 0; i < size; i++) {
      const n = this.seq++;
      const vehicle = `${this.runId}-L${this.lane}-V${n % this.vehicles}`;
      const { lon, lat, speedKmh } = fixNumbers(n);
      body += `{"eventId":"${this.runId}-L${this.lane}-${n}","type":"VehiclePositionReported","occurredAt":"${at}","data":{"vehicleId":"${vehicle}","lon":${lon},"lat":${lat},"speedKmh":${speedKmh}}}\n`;
    }
    return body;
  }
}
