import { describe, expect, it } from 'vitest';
import { eventUuid } from '../src/esdb/deterministicUuid.ts';
import { decodePosition, encodePosition } from '../src/esdb/esdbPosition.ts';
import type { Position } from '../src/port.ts';

describe('EventStoreDB mapping', () => {
  it('derives the same version-5 UUID from the same eventId, and different ones from different ids', () => {
    const a = eventUuid('fix-浙J12345-2026-03-01T08:00:00+08:00');
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(eventUuid('fix-浙J12345-2026-03-01T08:00:00+08:00')).toBe(a);
    expect(eventUuid('fix-浙J12345-2026-03-01T08:00:01+08:00')).not.toBe(a);
  });

  it('round-trips commit/prepare positions and rejects foreign ones', () => {
    const p = { commit: 18_446_744_073_709_551_000n, prepare: 42n };
    expect(decodePosition(encodePosition(p))).toEqual(p);
    expect(() => decodePosition('17' as Position)).toThrow(expect.objectContaining({ code: 'INVALID_POSITION' }));
  });
});
