import { canonicalJson, numberJson } from '@dgt/events';
import type { IngestibleEvent } from './eventRouting.ts';

/**
 * Whether JSON.stringify writes `s` as `"` + s + `"`: no quote, backslash, control character or
 * surrogate (a lone one is escaped; a pair is kept, but is rare enough to take the general path).
 */
export function verbatim(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x22 || c === 0x5c || (c >= 0xd800 && c <= 0xdfff)) return false;
  }
  return true;
}

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** Own enumerable keys of a plain object (what `for…in` yields there), without Object.keys' array. */
function keyCount(value: object): number {
  let n = 0;
  for (const _key in value) n++;
  return n;
}

/**
 * `canonicalJson(event)`, the same bytes, for the event nearly every item is: a plain fix,
 * `{eventId, type, occurredAt, data: {vehicleId, lon, lat, speedKmh, headingDeg?}}` with finite
 * numbers and strings JSON writes as they are. It skips the general form's copies and, as no such
 * text holds a backslash, the scan for lone-surrogate escapes. Anything else: `canonicalJson`.
 * Proven equal by a property test (test/fixJson.unit.test.ts).
 */
export function eventJson(event: IngestibleEvent): string {
  return (event.type === 'VehiclePositionReported' && plainFixJson(event as unknown as Record<string, unknown>)) || canonicalJson(event);
}

function plainFixJson(e: Record<string, unknown>): string | undefined {
  if (Object.getPrototypeOf(e) !== Object.prototype || keyCount(e) !== 4) return undefined;
  const { eventId, occurredAt, data } = e;
  if (typeof eventId !== 'string' || typeof occurredAt !== 'string' || typeof data !== 'object' || data === null || Object.getPrototypeOf(data) !== Object.prototype) return undefined;
  const { vehicleId, lon, lat, speedKmh, headingDeg } = data as Record<string, unknown>;
  if (typeof vehicleId !== 'string' || !finite(lon) || !finite(lat) || !finite(speedKmh)) return undefined;
  if (headingDeg !== undefined && !finite(headingDeg)) return undefined;
  if (keyCount(data) !== (headingDeg === undefined ? 4 : 5) || !verbatim(eventId) || !verbatim(occurredAt) || !verbatim(vehicleId)) return undefined;
  // numberJson writes a finite number as JSON does (-0 as 0), sooner for a fix's decimals.
  const heading = headingDeg === undefined ? '' : `"headingDeg":${numberJson(headingDeg)},`;
  return `{"eventId":"${eventId}","type":"VehiclePositionReported","occurredAt":"${occurredAt}","data":{${heading}"lat":${numberJson(lat)},"lon":${numberJson(lon)},"speedKmh":${numberJson(speedKmh)},"vehicleId":"${vehicleId}"}}`;
}
