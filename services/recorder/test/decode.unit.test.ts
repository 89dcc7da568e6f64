import type { ReceivedMessage } from '@dgt/bus';
import { canonicalJson, consignmentEventTypes, positionEventTypes, safeParseClientEvent } from '@dgt/events';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { anyEvent } from '../../../libs/events/test/fastParseArbitraries.ts';
import { decodeMessage, type Decoded } from '../src/decode.ts';

// Half of the fast-path suites' default: each message is decoded twice, and up to three times as text.
const RUNS = Number(process.env.DGT_FAST_PARSE_RUNS ?? 100_000) / 2;
const SEED = Number(process.env.DGT_FAST_PARSE_SEED ?? Date.now() % 2 ** 31);

const positions = new Set<string>(positionEventTypes);
const consignments = new Set<string>(consignmentEventTypes);

/** What the recorder decoded before reading fixes from the bytes: decode, JSON.parse, safeParseClientEvent, the topic's types. */
function reference(message: ReceivedMessage, accepted: ReadonlySet<string>): Decoded {
  let input: unknown;
  try {
    input = JSON.parse(message.value.toString('utf8'));
  } catch (error) {
    return { ok: false, reason: 'malformed-json', detail: (error as Error).message };
  }
  const parsed = safeParseClientEvent(input);
  if (!parsed.ok) return { ok: false, reason: 'invalid-event', detail: parsed.error.message };
  if (!accepted.has(parsed.event.type)) return { ok: false, reason: 'wrong-topic', detail: `${parsed.event.type} does not belong on ${message.topic}` };
  return { ok: true, event: parsed.event };
}

const message = (value: Buffer): ReceivedMessage => ({ topic: 'dgt.positions', partition: 0, offset: '0', key: 'V1', value, headers: {}, timestamp: 0 });

/** The bytes can be damaged anywhere: a byte replaced, inserted or removed (invalid UTF-8 too). */
const edit = fc.record({ at: fc.double({ min: 0, max: 1, noNaN: true }), kind: fc.constantFrom('replace', 'insert', 'delete'), byte: fc.constantFrom(0x22, 0x5c, 0x7b, 0x7d, 0x2c, 0x3a, 0x20, 0x30, 0x39, 0x2d, 0x2e, 0x65, 0x2f, 0x0a, 0x01, 0x80, 0xc3, 0xe6, 0xff) });

function damaged(bytes: Buffer, e: { at: number; kind: string; byte: number }): Buffer {
  const i = Math.min(bytes.length, Math.floor(e.at * bytes.length));
  if (e.kind === 'insert') return Buffer.concat([bytes.subarray(0, i), Buffer.from([e.byte]), bytes.subarray(i)]);
  if (e.kind === 'delete') return Buffer.concat([bytes.subarray(0, i), bytes.subarray(i + 1)]);
  const out = Buffer.from(bytes);
  if (i < out.length) out[i] = e.byte;
  return out;
}

describe('decoding a recorded message', () => {
  it(`gives what decoding, JSON.parse and safeParseClientEvent give, for fixes in canonical and schema order, valid, mutated and damaged byte by byte, on both topics (${RUNS.toLocaleString('en')} messages, seed ${SEED})`, () => {
    let fast = 0;
    fc.assert(
      fc.property(anyEvent('VehiclePositionReported', SEED), fc.boolean(), fc.array(edit, { maxLength: 2 }), fc.boolean(), (input, canonical, edits, onPositions) => {
        let text: string | undefined;
        try {
          text = canonical ? canonicalJson(input as never) : JSON.stringify(input);
        } catch {
          text = undefined;
        }
        if (typeof text !== 'string') return;
        const bytes = edits.reduce(damaged, Buffer.from(text, 'utf8'));
        const accepted = onPositions ? positions : consignments;
        const mine = decodeMessage(message(bytes), accepted);
        expect(mine).toEqual(reference(message(bytes), accepted));
        if (mine.ok) fast++;
      }),
      { numRuns: RUNS, seed: SEED },
    );
    // The property held over recordable fixes, not only over refusals.
    expect(fast).toBeGreaterThan(RUNS / 20);
  }, 600_000);

  it('dead-letters an id in the derived namespace, as before, even in a well-formed canonical fix', () => {
    const fix = { eventId: 'p-1/IllegalParkingStarted/x', type: 'VehiclePositionReported', occurredAt: '2026-12-04T03:10:00.000Z', data: { lat: 28.6, lon: 121.4, speedKmh: 0, vehicleId: 'V1' } };
    const bytes = Buffer.from(canonicalJson(fix as never));
    const decoded = decodeMessage(message(bytes), positions);
    expect(decoded.ok).toBe(false);
    expect(decoded).toEqual(reference(message(bytes), positions));
  });
});
