import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { compileChecker, DEFER } from '../src/compiledChecker.ts';
import { fastParseEvent } from '../src/fastParse.ts';
import { safeParseEvent, zoneDesignatedData } from '../src/index.ts';

describe('the compiled fast path', () => {
  it('defers an older schemaVersion to zod, which upcasts it', () => {
    const fix = { eventId: 'p', type: 'VehiclePositionReported', occurredAt: '2026-03-02T08:00:00+08:00', schemaVersion: 0, data: { vehicleId: 'V1', lon: 121, lat: 28, speedKmh: 1 } };
    expect(fastParseEvent(fix)).toBeUndefined();
    expect(fastParseEvent({ ...fix, schemaVersion: 2 })).toBeUndefined();
    expect(fastParseEvent({ ...fix, schemaVersion: 1 })).toBeDefined();
  });

  it('counts string lengths in code points as zod does: 128 emoji are a valid vehicle id', () => {
    const fix = (vehicleId: string) => ({ eventId: 'p', type: 'VehiclePositionReported', occurredAt: '2026-03-02T08:00:00Z', data: { vehicleId, lon: 121, lat: 28, speedKmh: 1 } });
    expect(fastParseEvent(fix('😀'.repeat(128)))).toBeDefined();
    expect(safeParseEvent(fix('😀'.repeat(129))).ok).toBe(false);
  });

  it('reads its bounds from the schema: a changed limit is the checker\'s limit', () => {
    const check = compileChecker(z.looseObject({ speedKmh: z.number().min(0).max(120) }));
    expect(check?.({ speedKmh: 120 })).toEqual({ speedKmh: 120 });
    expect(check?.({ speedKmh: 120.5 })).toBe(DEFER);
  });

  it('compiles nothing it cannot reproduce (transforms, defaults, enums, superRefine), so zod alone parses those', () => {
    expect(compileChecker(z.object({ a: z.string().transform((s) => s.trim()) }))).toBeUndefined();
    expect(compileChecker(z.object({ a: z.string().trim() }))).toBeUndefined();
    expect(compileChecker(z.object({ a: z.number().default(1) }))).toBeUndefined();
    expect(compileChecker(z.object({ a: z.enum(['x', 'y']) }))).toBeUndefined();
    expect(compileChecker(zoneDesignatedData)).toBeUndefined();
  });
});
