import { canonicalJson, safeParseClientEvent } from '@dgt/events';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { anyEvent } from '../../../libs/events/test/fastParseArbitraries.ts';
import type { IngestibleEvent } from '../src/eventRouting.ts';
import { eventJson } from '../src/fixJson.ts';
import { plainFixes } from './fixArbitraries.ts';

const RUNS = Number(process.env.DGT_FAST_PARSE_RUNS ?? 100_000);
const SEED = Number(process.env.DGT_FAST_PARSE_SEED ?? Date.now() % 2 ** 31);

/** The canonical JSON, or the error it throws. */
function outcome(json: (e: IngestibleEvent) => string, event: unknown): string {
  try {
    return json(event as IngestibleEvent);
  } catch (error) {
    return `throws ${(error as Error).message}`;
  }
}

describe('the canonical JSON of a fix, written directly', () => {
  it(`is canonicalJson's, byte for byte, for fixes valid or not and as validation returns them (${RUNS.toLocaleString('en')} plain fixes)`, () => {
    let valid = 0;
    fc.assert(
      fc.property(plainFixes, (input) => {
        expect(outcome(eventJson, input)).toBe(outcome(canonicalJson, input));
        const parsed = safeParseClientEvent(input);
        if (!parsed.ok) return;
        valid++;
        expect(eventJson(parsed.event as IngestibleEvent)).toBe(canonicalJson(parsed.event));
      }),
      { numRuns: RUNS, seed: SEED },
    );
    expect(valid).toBeGreaterThan(RUNS * 0.4);
  }, 600_000);

  it(`is canonicalJson's for events of any shape (${(RUNS / 5).toLocaleString('en')} valid and mutated fixes, unknown keys and meta included)`, () => {
    fc.assert(
      fc.property(anyEvent('VehiclePositionReported', SEED), (input) => {
        expect(outcome(eventJson, input)).toBe(outcome(canonicalJson, input));
      }),
      { numRuns: RUNS / 5 },
    );
  }, 600_000);

  it('writes strings that need escapes, and lone surrogates, as canonicalJson does', () => {
    for (const vehicleId of ['浙J12345', 'a"b', 'a\\b', 'a\nb', '\ud800', '😀', 'a\u2028b']) {
      const fix = { eventId: 'e-1', type: 'VehiclePositionReported', occurredAt: '2026-03-02T11:59:00Z', data: { vehicleId, lon: -0, lat: 1e-7, speedKmh: 1e21, headingDeg: 0.1 } };
      expect(eventJson(fix as unknown as IngestibleEvent)).toBe(canonicalJson(fix));
    }
  });
});
