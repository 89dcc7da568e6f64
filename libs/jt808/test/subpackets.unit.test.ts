import { describe, expect, it } from 'vitest';
import type { Jt808Header } from '../src/index.ts';
import { decodeBody, decodeHeader, encodeHeader, encodeLocationBody, SubpacketAssembler } from '../src/index.ts';

const loc = { alarm: 0, status: 3, latitude: 28.656, longitude: 121.421, altitudeM: 5, speedKmh: 40, direction: 90, timeMs: Date.parse('2025-05-05T05:05:05Z'), extras: { mileageKm: 10 } };

/** Split a body into `total` parts as a terminal would, returning header + part per index. */
function split(body: Uint8Array, total: number, phone = '13912344323', messageId = 0x0200): { header: Jt808Header; body: Uint8Array }[] {
  const size = Math.ceil(body.length / total);
  return Array.from({ length: total }, (_, i) => {
    const part = body.subarray(i * size, Math.min(body.length, (i + 1) * size));
    const header = decodeHeader(encodeHeader({ messageId, flavour: '2019', phone, serial: 100 + i, subpacket: { total, index: i + 1 } }, part.length));
    return { header, body: part };
  });
}

describe('sub-package reassembly', () => {
  const body = encodeLocationBody(loc);

  it('in order: pending until the last part, then the merged body decodes', () => {
    const asm = new SubpacketAssembler();
    const parts = split(body, 3);
    expect(asm.push(parts[0]!.header, parts[0]!.body, 0)).toEqual({ kind: 'pending', received: 1, total: 3 });
    expect(asm.push(parts[1]!.header, parts[1]!.body, 1)).toEqual({ kind: 'pending', received: 2, total: 3 });
    const done = asm.push(parts[2]!.header, parts[2]!.body, 2);
    if (done.kind !== 'complete') throw new Error(done.kind);
    expect(Array.from(done.body)).toEqual(Array.from(body));
    expect(done.header).toMatchObject({ serial: 100, subpacket: undefined, bodyLength: body.length });
    expect(decodeBody(done.header, done.body)).toMatchObject({ type: 'location', latitude: 28.656, extras: { mileageKm: 10 } });
    expect(asm.pendingCount).toBe(0);
    expect(asm.pendingBytes).toBe(0);
  });

  it('out of order: parts arriving 3, 1, 2 merge in index order', () => {
    const asm = new SubpacketAssembler();
    const parts = split(body, 3);
    asm.push(parts[2]!.header, parts[2]!.body, 0);
    asm.push(parts[0]!.header, parts[0]!.body, 0);
    const done = asm.push(parts[1]!.header, parts[1]!.body, 0);
    if (done.kind !== 'complete') throw new Error(done.kind);
    expect(Array.from(done.body)).toEqual(Array.from(body));
    expect(done.header.serial).toBe(100);
  });

  it('missing part: stays pending and is evicted once stale by the caller-supplied time', () => {
    const asm = new SubpacketAssembler({ staleAfterMs: 1000 });
    const parts = split(body, 3);
    asm.push(parts[0]!.header, parts[0]!.body, 0);
    asm.push(parts[2]!.header, parts[2]!.body, 500);
    expect(asm.pendingCount).toBe(1);
    expect(asm.evictStale(1500)).toBe(0);
    expect(asm.evictStale(1501)).toBe(1);
    expect(asm.pendingCount).toBe(0);
    expect(asm.pendingBytes).toBe(0);
    expect(asm.stats.evicted).toBe(1);
    // the late part now starts a new package instead of completing the stale one
    expect(asm.push(parts[1]!.header, parts[1]!.body, 1600)).toEqual({ kind: 'pending', received: 1, total: 3 });
  });

  it('duplicate part: reported and ignored, the package still completes once', () => {
    const asm = new SubpacketAssembler();
    const parts = split(body, 2);
    asm.push(parts[0]!.header, parts[0]!.body, 0);
    expect(asm.push(parts[0]!.header, parts[0]!.body, 0)).toEqual({ kind: 'duplicate', index: 1 });
    expect(asm.push(parts[1]!.header, parts[1]!.body, 0).kind).toBe('complete');
    expect(asm.stats).toMatchObject({ duplicates: 1, completed: 1 });
  });

  it('keys by phone and message id: two terminals interleave without mixing', () => {
    const asm = new SubpacketAssembler();
    const a = split(body, 2, '111');
    const other = encodeLocationBody({ ...loc, latitude: 30 });
    const b = split(other, 2, '222');
    asm.push(a[0]!.header, a[0]!.body, 0);
    asm.push(b[0]!.header, b[0]!.body, 0);
    const doneB = asm.push(b[1]!.header, b[1]!.body, 0);
    const doneA = asm.push(a[1]!.header, a[1]!.body, 0);
    if (doneA.kind !== 'complete' || doneB.kind !== 'complete') throw new Error('incomplete');
    expect(Array.from(doneA.body)).toEqual(Array.from(body));
    expect(Array.from(doneB.body)).toEqual(Array.from(other));
  });

  it('a part announcing a different total restarts the package', () => {
    const asm = new SubpacketAssembler();
    const three = split(body, 3);
    const two = split(body, 2);
    asm.push(three[0]!.header, three[0]!.body, 0);
    expect(asm.push(two[0]!.header, two[0]!.body, 0)).toEqual({ kind: 'pending', received: 1, total: 2 });
    expect(asm.stats.evicted).toBe(1);
    expect(asm.push(two[1]!.header, two[1]!.body, 0).kind).toBe('complete');
  });

  it('bounds pending packages: the least recently touched is evicted', () => {
    const asm = new SubpacketAssembler({ maxPending: 2 });
    for (const phone of ['1', '2', '3']) {
      const p = split(body, 2, phone)[0]!;
      asm.push(p.header, p.body, 0);
    }
    expect(asm.pendingCount).toBe(2);
    expect(asm.stats.evicted).toBe(1);
    const late = split(body, 2, '1')[1]!;
    expect(asm.push(late.header, late.body, 0).kind).toBe('pending');
  });

  it('bounds pending bytes: older packages are evicted to make room, an oversized part is rejected', () => {
    const asm = new SubpacketAssembler({ maxPendingBytes: 40 });
    const big = new Uint8Array(30);
    const mk = (phone: string, len: number) => decodeHeader(encodeHeader({ messageId: 0x0704, flavour: '2013', phone, serial: 0, subpacket: { total: 2, index: 1 } }, len));
    asm.push(mk('1', 30), big, 0);
    expect(asm.push(mk('2', 30), big, 0).kind).toBe('pending');
    expect(asm.pendingCount).toBe(1);
    expect(asm.pendingBytes).toBe(30);
    const r = asm.push(mk('3', 41), new Uint8Array(41), 0);
    expect(r.kind === 'rejected' && r.error.kind).toBe('subpackage-limit');
  });

  it('rejects a frame without sub-package fields and totals above maxParts', () => {
    const asm = new SubpacketAssembler({ maxParts: 4 });
    const plain = decodeHeader(encodeHeader({ messageId: 0x0200, flavour: '2013', phone: '1', serial: 0 }, 0));
    const r1 = asm.push(plain, new Uint8Array(0), 0);
    expect(r1.kind === 'rejected' && r1.error.kind).toBe('bad-value');
    const many = decodeHeader(encodeHeader({ messageId: 0x0200, flavour: '2013', phone: '1', serial: 0, subpacket: { total: 5, index: 1 } }, 0));
    const r2 = asm.push(many, new Uint8Array(0), 0);
    expect(r2.kind === 'rejected' && r2.error.kind).toBe('subpackage-limit');
  });

  it('rejects every part of a message id it was not asked to reassemble, storing nothing (a 300-part 0x0801 upload)', () => {
    const asm = new SubpacketAssembler({ messageIds: new Set([0x0200, 0x0704]) });
    for (const index of [1, 2, 300]) {
      const h = decodeHeader(encodeHeader({ messageId: 0x0801, flavour: '2019', phone: '13912344323', serial: index, subpacket: { total: 300, index } }, 900));
      const r = asm.push(h, new Uint8Array(900), 0);
      expect(r.kind === 'rejected' && r.error.kind).toBe('unknown-message');
      expect(r.kind === 'rejected' && r.error.header?.messageId).toBe(0x0801);
    }
    expect([asm.pendingCount, asm.pendingBytes, asm.stats.rejected]).toEqual([0, 0, 3]);
    // Ids it does reassemble still work.
    const parts = split(body, 2);
    asm.push(parts[0]!.header, parts[0]!.body, 0);
    expect(asm.push(parts[1]!.header, parts[1]!.body, 0).kind).toBe('complete');
  });

  it('rejects a supported message announcing more parts than the limit at its first part, storing nothing', () => {
    const asm = new SubpacketAssembler({ maxParts: 256, messageIds: new Set([0x0704]) });
    const h = decodeHeader(encodeHeader({ messageId: 0x0704, flavour: '2013', phone: '1', serial: 0, subpacket: { total: 257, index: 1 } }, 500));
    const r = asm.push(h, new Uint8Array(500), 0);
    expect(r.kind === 'rejected' && r.error.kind).toBe('subpackage-limit');
    expect([asm.pendingCount, asm.pendingBytes]).toEqual([0, 0]);
  });

  it('copies parts, so a reused input buffer does not corrupt a pending package', () => {
    const asm = new SubpacketAssembler();
    const parts = split(body, 2);
    const scratch = parts[0]!.body.slice();
    asm.push(parts[0]!.header, scratch, 0);
    scratch.fill(0xff);
    const done = asm.push(parts[1]!.header, parts[1]!.body, 0);
    if (done.kind !== 'complete') throw new Error(done.kind);
    expect(Array.from(done.body)).toEqual(Array.from(body));
  });
});
