import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ContentStore } from '../../src/cases/contentStore.ts';

const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** What every ContentStore adapter must do; each adapter's test file runs it with its own factory. */
export function contentStoreContract(name: string, open: () => Promise<ContentStore>): void {
  describe(`ContentStore contract: ${name}`, () => {
    it('answers the SHA-256 and size of what it stored, and gives the same bytes back under that address', async () => {
      const store = await open();
      const bytes = new TextEncoder().encode('a photo of the truck');
      const stored = await store.put(bytes, 'image/jpeg');
      expect(stored).toEqual({ sha256: sha(bytes), size: bytes.byteLength });
      expect(Buffer.from((await store.get(stored.sha256))!).equals(Buffer.from(bytes))).toBe(true);
    });

    it('answers undefined for an address nothing was stored under, and for anything that is not an address', async () => {
      const store = await open();
      expect(await store.get('0'.repeat(64))).toBeUndefined();
      expect(await store.get('../../etc/passwd')).toBeUndefined();
      expect(await store.get('')).toBeUndefined();
    });

    it('stores the same bytes once: a second put answers the same address and the bytes stay as they were', async () => {
      const store = await open();
      const bytes = Uint8Array.from([0x25, 0x50, 0x44, 0x46, 0x2d, 1, 2, 3]);
      const first = await store.put(bytes, 'application/pdf');
      const second = await store.put(Uint8Array.from(bytes), 'application/pdf');
      expect(second).toEqual(first);
      expect([...(await store.get(first.sha256))!]).toEqual([...bytes]);
    });

    it('keeps what it stored apart from the caller’s buffer: changing the buffer afterwards changes nothing stored', async () => {
      const store = await open();
      const bytes = Uint8Array.from([1, 2, 3, 4]);
      const { sha256 } = await store.put(bytes, 'image/png');
      bytes[0] = 9;
      const back = (await store.get(sha256))!;
      expect(sha(back)).toBe(sha256);
      back[1] = 9;
      expect(sha((await store.get(sha256))!)).toBe(sha256);
    });

    it('keeps different contents under different addresses', async () => {
      const store = await open();
      const a = await store.put(Uint8Array.from([1]), 'image/png');
      const b = await store.put(Uint8Array.from([2]), 'image/png');
      expect(a.sha256).not.toBe(b.sha256);
      expect([...(await store.get(a.sha256))!]).toEqual([1]);
      expect([...(await store.get(b.sha256))!]).toEqual([2]);
    });
  });
}
