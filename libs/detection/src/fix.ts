/** A position as the detectors see it: parsed once, time in epoch ms. */
export interface Fix {
  eventId: string;
  occurredAt: string;
  ms: number;
  lon: number;
  lat: number;
  speedKmh: number;
}
