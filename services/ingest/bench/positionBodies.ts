/**
 * `POST /v1/events` bodies: JSON arrays of fixes, built by string concatenation (the loader shares
 * the two cores with the server, so it must stay cheap). Every fix has a new eventId (a repeated
 * one is a duplicate, which the gateway answers without publishing) and is dated a minute before
 * now, inside the gateway's plausibility window.
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
      const lon = (121.3 + (n % 97) * 0.001).toFixed(5);
      const lat = (28.5 + (n % 89) * 0.001).toFixed(5);
      if (i > 0) body += ',';
      body += `{"eventId":"${this.runId}-L${this.lane}-${n}","type":"VehiclePositionReported","occurredAt":"${at}","data":{"vehicleId":"${this.runId}-L${this.lane}-V${n % this.vehicles}","lon":${lon},"lat":${lat},"speedKmh":${n % 90},"headingDeg":${n % 360}}}`;
    }
    return body + ']';
  }
}
