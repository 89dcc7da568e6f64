import { fixNumbers } from './fixNumbers.ts';

/**
 * `POST /v1/events` bodies: JSON arrays of fixes, built by string concatenation (the loader shares
 * the two cores with the server, so it must stay cheap). Every fix has a new eventId (a repeated
 * one is a duplicate, which the gateway answers without publishing) and is dated a minute before
 * now, inside the gateway's plausibility window; its numbers as terminals report them (fixNumbers.ts).
 */
export class PositionBodies {
  private seq = 0;

  constructor(
    private readonly runId: string,
    private readonly lane: number,
    private readonly vehicles = 250,
  ) {}

  next(size: number): string {
    const at = new Date(Date.now() - 60_000).toISOString();
    let body = '[';
    for (let i = 0; i < size; i++) {
      const n = this.seq++;
      const { lon, lat, speedKmh, headingDeg } = fixNumbers(n);
      if (i > 0) body += ',';
      body += `{"eventId":"${this.runId}-L${this.lane}-${n}","type":"VehiclePositionReported","occurredAt":"${at}","data":{"vehicleId":"${this.runId}-L${this.lane}-V${n % this.vehicles}","lon":${lon},"lat":${lat},"speedKmh":${speedKmh},"headingDeg":${headingDeg}}}`;
    }
    return body + ']';
  }
}
