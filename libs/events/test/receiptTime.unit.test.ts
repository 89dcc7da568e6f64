import { describe, expect, it } from 'vitest';
import { receiptTimeVerdict } from '../src/index.ts';

const window = { maxFutureSkewMs: 300_000, backfillWindowMs: 7 * 86_400_000 };
const received = Date.parse('2026-03-02T08:00:00Z');

describe('receiptTimeVerdict (the one time rule of every gateway)', () => {
  it('accepts an event dated exactly at the skew ahead or exactly at the back-fill window behind', () => {
    expect(receiptTimeVerdict(received + 300_000, received, window)).toBe('ok');
    expect(receiptTimeVerdict(received - 7 * 86_400_000, received, window)).toBe('ok');
    expect(receiptTimeVerdict(received, received, window)).toBe('ok');
  });

  it('refuses one millisecond beyond either edge, naming which', () => {
    expect(receiptTimeVerdict(received + 300_001, received, window)).toBe('future');
    expect(receiptTimeVerdict(received - 7 * 86_400_000 - 1, received, window)).toBe('too-old');
  });

  it('never calls an event too old when the back-fill window is unlimited (consignment steps entered late)', () => {
    expect(receiptTimeVerdict(Date.parse('2001-01-01T00:00:00Z'), received, { maxFutureSkewMs: 300_000, backfillWindowMs: Infinity })).toBe('ok');
    expect(receiptTimeVerdict(Date.parse('2099-01-01T00:00:00Z'), received, { maxFutureSkewMs: 300_000, backfillWindowMs: Infinity })).toBe('future');
  });
});
