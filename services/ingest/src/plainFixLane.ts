import { clientEventIdPattern, numberJson, positionValuesPass } from '@dgt/events';
import { verbatim } from './fixJson.ts';
import { wellFormed } from './itemShape.ts';

/** Own keys of a JSON-parsed object (what `for…in` yields there) if each is a fix's, at its level; -1 otherwise. */
function fixKeys(value: object, data: boolean): number {
  let n = 0;
  for (const key in value) {
    switch (key) {
      case 'eventId':
      case 'type':
      case 'occurredAt':
      case 'data':
        if (data) return -1;
        n++;
        continue;
      case 'vehicleId':
      case 'lon':
      case 'lat':
      case 'speedKmh':
      case 'headingDeg':
        if (!data) return -1;
        n++;
        continue;
    }
    return -1;
  }
  return n;
}

/**
 * The canonical JSON of an item that is a plain fix — `{eventId, type, occurredAt, data:
 * {vehicleId, lon, lat, speedKmh, headingDeg?}}`, no other key — which every check before the
 * time checks accepts (`checkEvent` in checkBatch.ts); undefined for any other item, which then
 * takes those checks step by step. For such an item the item itself is the event: the same
 * values zod's output holds (its copy differs only in `data`'s key order, which canonical JSON
 * sorts). Nearly every item is one, and this is one pass over it where the steps walked it for
 * its shape, parsed it into a copy and read the copy again to write its JSON.
 *
 * The item must come from JSON.parse (as every item of a batch does): then every object is plain,
 * its keys are own, enumerable strings, and its numbers finite — what the steps verify of any
 * JavaScript value, and this does not. Each check stands for one of theirs: the keys for the
 * strict envelope and the walk's depth; the client id pattern for the id rules (it admits no
 * control character, quote or backslash); the compiled checkers for `occurredAt` (whose format
 * admits neither) and `data`; a well-formed vehicleId for the walk's surrogate check.
 * Proven equal to the steps and to `canonicalJson` by a property test (test/checkBatch.unit.test.ts).
 */
export function plainFixJson(item: unknown): string | undefined {
  if (typeof item !== 'object' || item === null) return undefined;
  const e = item as Record<string, unknown>;
  if (e.type !== 'VehiclePositionReported') return undefined;
  const { eventId, occurredAt, data } = e;
  if (typeof eventId !== 'string' || typeof occurredAt !== 'string' || typeof data !== 'object' || data === null || Array.isArray(data)) return undefined;
  if (fixKeys(e, false) !== 4 || fixKeys(data, true) < 0 || !clientEventIdPattern.test(eventId) || !positionValuesPass(occurredAt, data)) return undefined;
  const { vehicleId, lon, lat, speedKmh, headingDeg } = data as Record<string, unknown>;
  // The checker passed: vehicleId is a string and the numbers are finite numbers (headingDeg, if
  // present), which numberJson writes as JSON does (libs/events/src/numberJson.ts).
  const id = vehicleId as string;
  // A verbatim id holds no surrogate at all, so it is well-formed: one walk over it, nearly always.
  const vehicle = verbatim(id) ? id : wellFormed(id) ? JSON.stringify(id).slice(1, -1) : undefined;
  if (vehicle === undefined) return undefined;
  return headingDeg === undefined
    ? `{"eventId":"${eventId}","type":"VehiclePositionReported","occurredAt":"${occurredAt}","data":{"lat":${numberJson(lat as number)},"lon":${numberJson(lon as number)},"speedKmh":${numberJson(speedKmh as number)},"vehicleId":"${vehicle}"}}`
    : `{"eventId":"${eventId}","type":"VehiclePositionReported","occurredAt":"${occurredAt}","data":{"headingDeg":${numberJson(headingDeg as number)},"lat":${numberJson(lat as number)},"lon":${numberJson(lon as number)},"speedKmh":${numberJson(speedKmh as number)},"vehicleId":"${vehicle}"}}`;
}
