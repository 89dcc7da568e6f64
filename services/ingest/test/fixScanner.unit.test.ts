import { canonicalJson, safeParseClientEventWithZod } from '@dgt/events';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { poisoned } from '../src/batchBody.ts';
import { StagingBuffers } from '../src/batchText.ts';
import { FixScanner, type ScannedFixes } from '../src/fixScanner.ts';
import { plainFixJson } from '../src/plainFixLane.ts';
import { fixBody } from './fixBodies.ts';

const RUNS = Number(process.env.DGT_FAST_PARSE_RUNS ?? 100_000);
const SEED = Number(process.env.DGT_FAST_PARSE_SEED ?? Date.now() % 2 ** 31);

const scanner = new FixScanner(new StagingBuffers());

/** What the gateway made of a JSON body before the scanner: JSON.parse, the poisoned-key check, and the lane per item. */
function reference(body: string): { items: unknown[]; texts: string[] } | undefined {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (!Array.isArray(value) || poisoned(value)) return undefined;
  const texts: string[] = [];
  for (const item of value) {
    const text = plainFixJson(item);
    if (text === undefined) return undefined;
    texts.push(text);
  }
  return { items: value, texts };
}

/** Same keys (the order aside) and the same values, Object.is for numbers: -0 is not 0. */
function sameValue(a: unknown, b: unknown): boolean {
  if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null) return Object.is(a, b);
  const ka = Object.keys(a).sort();
  const kb = Object.keys(b).sort();
  return ka.join('\u0000') === kb.join('\u0000') && ka.every((k) => sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** The scanned batch against the reference: events, texts, the batch's bytes and where each event's start; and zod's own verdict. */
function expectSame(scanned: ScannedFixes, ref: { items: unknown[]; texts: string[] }, body: string): void {
  const { events, text } = scanned;
  expect(text.texts, body).toEqual(ref.texts);
  for (let i = 0; i < events.length; i++) {
    // zod itself, not only the lane it was proven against: the item is valid and its canonical JSON is the scanner's text.
    const parsed = safeParseClientEventWithZod(ref.items[i]);
    expect(parsed.ok, body).toBe(true);
    if (parsed.ok) expect(canonicalJson(parsed.event)).toBe(text.texts[i]);
  }
  expect(events.length).toBe(ref.items.length);
  for (let i = 0; i < events.length; i++) expect(sameValue(events[i], ref.items[i]), `${body}\nitem ${i}: ${JSON.stringify(events[i])}`).toBe(true);
  expect(text.bytes.equals(Buffer.from(ref.texts.join(''))), body).toBe(true);
  let at = 0;
  for (let i = 0; i < ref.texts.length; i++) {
    expect(text.starts[i]).toBe(at);
    at += Buffer.byteLength(ref.texts[i] as string);
  }
  expect(text.starts[ref.texts.length]).toBe(at);
}

describe('the fix scanner (WebAssembly) reads a JSON body of plain fixes', () => {
  it('is on: the schema is the shape it knows', () => {
    expect(scanner.on).toBe(true);
  });

  it(`takes only bodies JSON.parse, the lane and zod take, with their events, texts and bytes exactly (${(RUNS * 0.6).toLocaleString('en')} bodies in and out of its lane, broken ones too)`, () => {
    let scanned = 0;
    let referenceTook = 0;
    fc.assert(
      fc.property(fixBody(false), (body) => {
        const ref = reference(body);
        if (ref !== undefined) referenceTook++;
        const out = scanner.scan(Buffer.from(body, 'utf8'));
        if (out === undefined) return;
        scanned++;
        try {
          expect(ref, `the scanner took a body the gateway refuses or reads otherwise: ${body}`).toBeDefined();
          expectSame(out, ref!, body);
        } finally {
          out.text.release();
        }
      }),
      { numRuns: RUNS * 0.6, seed: SEED },
    );
    // The property can fail both ways: the bodies are a mix, and the scanner reads most of those the gateway takes.
    expect(referenceTook).toBeGreaterThan(RUNS * 0.6 * 0.12);
    expect(scanned).toBeGreaterThan(referenceTook * 0.25);
  }, 600_000);

  it(`reads every body of its lane that the gateway takes, and none it refuses (${(RUNS * 0.4).toLocaleString('en')} bodies: any key order, JSON whitespace, numbers up to 6 places, bounds' edges, -0)`, () => {
    let taken = 0;
    fc.assert(
      fc.property(fixBody(true), (body) => {
        const ref = reference(body);
        const out = scanner.scan(Buffer.from(body, 'utf8'));
        try {
          expect(out !== undefined, body).toBe(ref !== undefined);
          if (out !== undefined) {
            taken++;
            expectSame(out, ref!, body);
          }
        } finally {
          out?.text.release();
        }
      }),
      { numRuns: RUNS * 0.4, seed: SEED },
    );
    expect(taken).toBeGreaterThan(RUNS * 0.4 * 0.25);
  }, 600_000);

  const fix = (over: Record<string, string> = {}, data: Record<string, string> = {}): string => {
    const d = { vehicleId: '"V1"', lon: '121.42', lat: '28.65', speedKmh: '30', ...data };
    const e = { eventId: '"f-1"', type: '"VehiclePositionReported"', occurredAt: '"2026-03-01T08:00:00Z"', ...over };
    const dataText = `{${Object.entries(d)
      .map(([k, v]) => `"${k}":${v}`)
      .join(',')}}`;
    return `{${Object.entries({ ...e, data: dataText })
      .map(([k, v]) => `"${k}":${v}`)
      .join(',')}}`;
  };
  const scan = (body: string): ScannedFixes | undefined => scanner.scan(Buffer.from(body, 'utf8'));

  it('writes canonical JSON: data keys sorted, trailing zeros of a fraction dropped, -0 as 0', () => {
    const out = scan(`[${fix({}, { speedKmh: '-0.0', lon: '121.500', lat: '28.0', headingDeg: '90.10' })}]`);
    expect(out?.text.texts).toEqual(['{"eventId":"f-1","type":"VehiclePositionReported","occurredAt":"2026-03-01T08:00:00Z","data":{"headingDeg":90.1,"lat":28,"lon":121.5,"speedKmh":0,"vehicleId":"V1"}}']);
    expect(Object.is(out?.events[0]?.data.speedKmh, -0)).toBe(true);
    expect(Object.keys(out?.events[0]?.data ?? {})).toEqual(['vehicleId', 'lon', 'lat', 'speedKmh', 'headingDeg']);
  });

  it.each([
    ['a key given twice (JSON.parse keeps the last)', `[${fix({ eventId: '"a","eventId":"b"' })}]`],
    ['an escape in a string', `[${fix({ eventId: '"f\\u002d1"' })}]`],
    ['an escaped key', `[${fix().replace('"eventId"', '"event\\u0049d"')}]`],
    ['an unknown key', `[${fix({ meta: '{}' })}]`],
    ['a number with an exponent', `[${fix({}, { speedKmh: '3e1' })}]`],
    ['a number of 16 digits', `[${fix({}, { lon: '121.4200000000001' })}]`],
    ['a number of 7 places', `[${fix({}, { lon: '121.4200001' })}]`],
    ['a vehicle id that is not ASCII', `[${fix({}, { vehicleId: '"浙J12345"' })}]`],
    ['a BOM', `\ufeff[${fix()}]`],
    ['an empty array', '[]'],
    ['an item that is not a fix', `[${fix()},{"eventId":"c-1","type":"ConsignmentClosed"}]`],
    ['a time zod refuses', `[${fix({ occurredAt: '"2026-02-30T08:00:00Z"' })}]`],
  ])('leaves the body to JSON.parse and the checks: %s', (_why, body) => {
    expect(scan(body)).toBeUndefined();
  });

  it.each([
    ['a longitude past 180', { lon: '180.000001' }],
    ['a latitude below -90', { lat: '-90.5' }],
    ['a negative speed', { speedKmh: '-1' }],
    ['a speed past 400', { speedKmh: '400.1' }],
    ['a heading past 360', { headingDeg: '360.01' }],
    ['an empty vehicle id', { vehicleId: '""' }],
    ['a vehicle id of 129 characters', { vehicleId: `"${'x'.repeat(129)}"` }],
  ])("leaves a fix zod refuses to zod's message: %s", (_why, data) => {
    expect(scan(`[${fix({}, data)}]`)).toBeUndefined();
  });

  it("takes the schema's bounds themselves (read from zod, inclusive)", () => {
    const out = scan(`[${fix({}, { lon: '-180', lat: '90', speedKmh: '400', headingDeg: '360', vehicleId: `"${'x'.repeat(128)}"` })}]`);
    expect(out?.events[0]?.data).toEqual({ vehicleId: 'x'.repeat(128), lon: -180, lat: 90, speedKmh: 400, headingDeg: 360 });
  });

  it('keeps each batch it read after reading the next (its memory is reused), and grows for a body of 20,000 fixes', () => {
    const first = scan(`[${fix({ eventId: '"first"' })}]`);
    const many = Array.from({ length: 20_000 }, (_, i) => fix({ eventId: `"e-${i}"` }, { lon: `121.${String(i).padStart(6, '0')}` })).join(',');
    const big = scan(`[${many}]`);
    expect(big?.events.length).toBe(20_000);
    expect(big?.events[19_999]?.data.lon).toBe(121.019999);
    expect(first?.events[0]?.eventId).toBe('first');
    expect(first?.text.bytes.toString('latin1')).toContain('"eventId":"first"');
  });
});
