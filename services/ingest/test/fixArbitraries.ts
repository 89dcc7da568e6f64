import fc from 'fast-check';
import { validTimestamp } from '../../../libs/events/test/fastParseArbitraries.ts';

/** A value of a fix's field: mostly valid, else any of the ways it can be wrong. */
const numberField = (min: number, max: number): fc.Arbitrary<unknown> =>
  fc.oneof(
    { weight: 30, arbitrary: fc.double({ min, max, noNaN: true }) },
    { weight: 1, arbitrary: fc.constantFrom<unknown>(min, max, -0, min - 1e-9, max + 1e-9, Number.NaN, Infinity, -Infinity, '1', null, true, [], {}, undefined) },
  );
const hostile = fc.constantFrom<unknown>('', '\ud800', 'a\udc00', '😀', 'a/b', 'a b', 'x'.repeat(129), 'x'.repeat(201), '\u0000', '"', '\\', 1, null, {}, [], undefined);
const eventIds = fc.oneof({ weight: 30, arbitrary: fc.stringMatching(/^[A-Za-z0-9._:@~+=#-]{1,40}$/) }, { weight: 1, arbitrary: fc.string() }, { weight: 1, arbitrary: hostile });
const times = fc.oneof({ weight: 30, arbitrary: validTimestamp }, { weight: 1, arbitrary: fc.constantFrom<unknown>('2026-03-01T08:00:00', '2026-02-30T00:00:00Z', '2026-03-01 08:00:00Z', 1_700_000_000_000) }, { weight: 1, arbitrary: hostile });
const vehicleIds = fc.oneof({ weight: 20, arbitrary: fc.string({ minLength: 1, maxLength: 20 }) }, { weight: 2, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 8 }) }, { weight: 1, arbitrary: hostile });
const extraKey = fc.oneof({ weight: 15, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.constantFrom('meta', 'schemaVersion', 'odometerKm', '__proto__', 'toString', 'vehicleId', 'data', '\ud800') });

/** Fixes as a client sends them, valid and broken, keys in either order, sometimes with a key too many. */
export const plainFixes: fc.Arbitrary<unknown> = fc
  .record({
    eventId: eventIds,
    occurredAt: times,
    type: fc.oneof({ weight: 20, arbitrary: fc.constant('VehiclePositionReported') }, { weight: 1, arbitrary: fc.constantFrom<unknown>('ConsignmentClosed', 'AccidentSegmentEntered', 'Nope', 1) }),
    vehicleId: vehicleIds,
    lon: numberField(-180, 180),
    lat: numberField(-90, 90),
    speedKmh: numberField(0, 400),
    heading: fc.option(numberField(0, 360), { freq: 3 }),
    envelopeExtra: extraKey,
    dataExtra: extraKey,
    canonicalOrder: fc.boolean(),
    json: fc.boolean(),
  })
  .map(({ eventId, occurredAt, type, vehicleId, lon, lat, speedKmh, heading, envelopeExtra, dataExtra, canonicalOrder, json }) => {
    const data: Record<string, unknown> = canonicalOrder ? {} : { vehicleId, lon, lat, speedKmh };
    if (heading !== null) data.headingDeg = heading;
    if (canonicalOrder) Object.assign(data, { lat, lon, speedKmh, vehicleId });
    if (dataExtra !== null) Object.defineProperty(data, dataExtra, { value: 'extra', enumerable: true, writable: true, configurable: true });
    const item: Record<string, unknown> = { eventId, type, occurredAt, data };
    if (envelopeExtra !== null) Object.defineProperty(item, envelopeExtra, { value: envelopeExtra === 'schemaVersion' ? 1 : {}, enumerable: true, writable: true, configurable: true });
    if (!json) return item;
    try {
      return JSON.parse(JSON.stringify(item)) as unknown;
    } catch {
      return item;
    }
  });
