import fc from 'fast-check';
import { validTimestamp } from '../../../libs/events/test/fastParseArbitraries.ts';

/**
 * JSON bodies of fixes as bytes on the wire: keys in any order, whitespace, numbers in every
 * spelling a client may use, escapes, repeated and unknown keys, and broken JSON — for the fix
 * scanner, which must take exactly what JSON.parse and the gateway's lane take with the same
 * events and texts, or leave the body to them.
 */

/** JSON whitespace (mostly none), and now and then what JSON does not count as whitespace. */
const gap = fc.oneof(
  { weight: 30, arbitrary: fc.constantFrom('', '', '', ' ', '\n', '\t', '\r\n  ', ' \n\t') },
  { weight: 1, arbitrary: fc.constantFrom('\u00a0', '\f', '\v', '\u2028') },
);

/** A number as a client writes it, in the scanner's form (no exponent, ≤ 15 digits, ≤ 6 places) or any other. */
function numberText(min: number, max: number, inLane: boolean): fc.Arbitrary<string> {
  const decimal = fc
    .record({
      int: fc.integer({ min: Math.ceil(min) - 1, max: Math.floor(max) + 1 }),
      fraction: fc.nat({ max: 999_999 }),
      places: fc.nat({ max: inLane ? 6 : 8 }),
      zeros: fc.nat({ max: 2 }),
      minusZero: fc.boolean(),
    })
    .map(({ int, fraction, places, zeros, minusZero }) => {
      const digits = places === 0 ? '' : `.${String(fraction).padStart(6, '0').padEnd(places, '7').slice(0, places)}`;
      const sign = int === 0 && minusZero ? '-' : '';
      const trailing = places === 0 || places + zeros > (inLane ? 6 : 8) ? '' : '0'.repeat(zeros);
      return `${sign}${int}${digits}${trailing}`;
    });
  const edges = [`${min}`, `${max}`, `${max}.0`, `${max}.000001`, `${min}.000001`, `-${max}`, '-0', '-0.0', '0', '0.0', '0.000001', '-0.000001', '0.100000', '100.5', '120.000000'];
  if (inLane) return fc.oneof({ weight: 20, arbitrary: decimal }, { weight: 2, arbitrary: fc.constantFrom(...edges) });
  return fc.oneof(
    { weight: 20, arbitrary: decimal },
    { weight: 4, arbitrary: fc.double({ min, max, noNaN: true }).map((d) => JSON.stringify(d)) },
    { weight: 2, arbitrary: fc.constantFrom(...edges) },
    {
      weight: 2,
      arbitrary: fc.constantFrom('1e2', '1E-2', '1.5e0', '-1e-7', '01', '-01', '1.', '.5', '-', '+1', '--1', '0x10', 'NaN', 'Infinity', '"1"', 'null', 'true', '[]', '{}', '123456789012345', '1234567890123456', '12345678901234.5', '0.1234567', '12.3456789012345', '1.23456789012345678'),
    },
  );
}

const idChars = /^[A-Za-z0-9._:@~+=#-]{1,40}$/;
const quoted = (s: string): string => `"${s}"`;
/** The text of a JSON string: most often as JSON.stringify writes it, else with characters escaped that need not be. */
const escaped = (s: string): string => `"${[...s].map((c, i) => (i === 0 ? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}` : c)).join('')}"`;

function eventIdText(inLane: boolean): fc.Arbitrary<string> {
  const valid = fc.oneof({ weight: 20, arbitrary: fc.stringMatching(idChars) }, { weight: 1, arbitrary: fc.constantFrom('x'.repeat(200), 'x'.repeat(201), 'a/b', 'a b') });
  if (inLane) return valid.map(quoted);
  return fc.oneof(
    { weight: 20, arbitrary: valid.map(quoted) },
    { weight: 1, arbitrary: fc.stringMatching(idChars).map(escaped) },
    { weight: 1, arbitrary: fc.string().map((s) => JSON.stringify(s)) },
    { weight: 1, arbitrary: fc.constantFrom('""', '1', 'null', '"é"', '"a\\/b"', '["a"]') },
  );
}

function timeText(inLane: boolean): fc.Arbitrary<string> {
  const valid = fc.oneof({ weight: 20, arbitrary: validTimestamp }, { weight: 1, arbitrary: fc.constantFrom('2026-03-01T08:00:00', '2026-02-30T00:00:00Z', '2026-03-01 08:00:00Z', '', 'x'.repeat(65)) });
  if (inLane) return valid.map(quoted);
  return fc.oneof(
    { weight: 20, arbitrary: valid.map(quoted) },
    { weight: 1, arbitrary: validTimestamp.map(escaped) },
    { weight: 1, arbitrary: fc.constantFrom('1700000000000', 'null', '"2026-03-01T08:00:00Z\\u0000"', '"2026-03-01T08:00:00Ｚ"') },
  );
}

function vehicleText(inLane: boolean): fc.Arbitrary<string> {
  const plain = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).filter((c) => c !== 0x22 && c !== 0x5c).map((c) => String.fromCharCode(c)), minLength: 1, maxLength: 20 });
  const valid = fc.oneof({ weight: 20, arbitrary: plain }, { weight: 1, arbitrary: fc.constantFrom('x'.repeat(128), 'x'.repeat(129), ' ') });
  if (inLane) return valid.map(quoted);
  return fc.oneof(
    { weight: 20, arbitrary: valid.map(quoted) },
    { weight: 1, arbitrary: fc.constantFrom('"浙J12345"', '"é"', '"\u00e9"') },
    { weight: 2, arbitrary: fc.string({ minLength: 0, maxLength: 12 }).map((s) => JSON.stringify(s)) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 6 }).map((s) => JSON.stringify(s)) },
    { weight: 1, arbitrary: plain.map(escaped) },
    { weight: 1, arbitrary: fc.constantFrom('""', '"\\ud800"', '"a\\"b"', '"a\\\\b"', '12', 'null') },
  );
}

const typeText = (inLane: boolean): fc.Arbitrary<string> =>
  inLane
    ? fc.constant('"VehiclePositionReported"')
    : fc.oneof(
        { weight: 20, arbitrary: fc.constant('"VehiclePositionReported"') },
        { weight: 1, arbitrary: fc.constantFrom('"Vehicle\\u0050ositionReported"', '"ConsignmentClosed"', '"AccidentSegmentEntered"', '"VehiclePositionReportedX"', '"VehiclePositionReporte"', '1', 'null') },
      );

/** What may come with a fix's keys outside the lane: a key repeated, one too many, one escaped, one missing. */
const keyTrouble = fc.oneof(
  { weight: 12, arbitrary: fc.constant('none' as const) },
  { weight: 1, arbitrary: fc.constantFrom('repeat', 'extra', 'escape', 'drop') },
);
const extraKeys = ['"meta":{}', '"schemaVersion":1', '"__proto__":{}', '"constructor":{"prototype":{}}', '"odometerKm":12', '"":1'];

type Entry = readonly [key: string, value: string];

/** An object's text: its entries in a shuffled order, keys troubled now and then, whitespace around every token. */
function objectText(entries: fc.Arbitrary<Entry[]>, inLane: boolean): fc.Arbitrary<string> {
  return fc
    .record({ entries, trouble: inLane ? fc.constant('none' as const) : keyTrouble, pick: fc.nat(), extra: fc.constantFrom(...extraKeys), gap, order: fc.array(fc.nat(), { minLength: 6, maxLength: 6 }) })
    .map(({ entries: list, trouble, pick, extra, gap: g, order }) => {
      const items: string[] = list.map(([k, v]) => `"${k}"${g}:${g}${v}`);
      const at = pick % items.length;
      if (trouble === 'repeat') items.push(items[at] as string);
      else if (trouble === 'extra') items.push(extra);
      else if (trouble === 'escape') items[at] = (items[at] as string).replace(/^"(.)/, (_m, c: string) => `"\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
      else if (trouble === 'drop') items.splice(at, 1);
      // A shuffle from the drawn keys: every key order a client may send.
      const keyed = items.map((item, i) => ({ item, k: order[i % order.length]! * 8 + i }));
      keyed.sort((a, b) => a.k - b.k);
      return `{${g}${keyed.map((x) => x.item).join(`${g},${g}`)}${g}}`;
    });
}

function dataText(inLane: boolean): fc.Arbitrary<string> {
  const entries = fc
    .record({ vehicleId: vehicleText(inLane), lon: numberText(-180, 180, inLane), lat: numberText(-90, 90, inLane), speedKmh: numberText(0, 400, inLane), heading: fc.option(numberText(0, 360, inLane), { freq: 3 }) })
    .map(({ vehicleId, lon, lat, speedKmh, heading }) => {
      const list: Entry[] = [
        ['vehicleId', vehicleId],
        ['lon', lon],
        ['lat', lat],
        ['speedKmh', speedKmh],
      ];
      if (heading !== null) list.push(['headingDeg', heading]);
      return list;
    });
  const object = objectText(entries, inLane);
  return inLane ? object : fc.oneof({ weight: 30, arbitrary: object }, { weight: 1, arbitrary: fc.constantFrom('null', '[]', '{}', '"data"') });
}

function itemText(inLane: boolean): fc.Arbitrary<string> {
  const entries = fc.record({ eventId: eventIdText(inLane), type: typeText(inLane), occurredAt: timeText(inLane), data: dataText(inLane) }).map(({ eventId, type, occurredAt, data }): Entry[] => [
    ['eventId', eventId],
    ['type', type],
    ['occurredAt', occurredAt],
    ['data', data],
  ]);
  const object = objectText(entries, inLane);
  if (inLane) return object;
  // Mostly fixes of the lane, so that bodies of several items are often read: those next to a fix
  // that differs in one detail are what the scanner must not take for the lane's.
  return fc.oneof({ weight: 30, arbitrary: itemText(true) }, { weight: 20, arbitrary: object }, { weight: 1, arbitrary: fc.constantFrom('null', '1', '"fix"', '[]', '{}') });
}

/** How a body may be broken as a whole. */
const bodyTrouble = fc.oneof(
  { weight: 20, arbitrary: fc.constant('none' as const) },
  { weight: 1, arbitrary: fc.constantFrom('bom', 'trailing comma', 'truncated', 'garbage after', 'object', 'empty', 'nested', 'no comma') },
);

/** A JSON body of 1–6 items: fixes in and out of the scanner's lane, and broken bodies. */
export function fixBody(inLane: boolean): fc.Arbitrary<string> {
  return fc
    .record({ items: fc.array(itemText(inLane), { minLength: 1, maxLength: 6 }), gap, trouble: inLane ? fc.constant('none' as const) : bodyTrouble, cut: fc.nat({ max: 40 }) })
    .map(({ items, gap: g, trouble, cut }) => {
      const body = `${g}[${g}${items.join(`${g},${g}`)}${g}]${g}`;
      switch (trouble) {
        case 'none':
          return body;
        case 'bom':
          return `\ufeff${body}`;
        case 'trailing comma':
          return `[${items.join(',')},]`;
        case 'truncated':
          return body.slice(0, Math.max(0, body.length - 1 - cut));
        case 'garbage after':
          return `${body}x`;
        case 'object':
          return items[0] as string;
        case 'empty':
          return `${g}[${g}]`;
        case 'nested':
          return `[${body}]`;
        case 'no comma':
          return `[${items.join(g)}]`;
      }
    });
}
