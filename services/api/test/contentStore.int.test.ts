import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { directoryContentStore } from '../src/cases/contentStore.ts';
import { contentStoreContract } from './support/contentStoreContract.ts';

const dirs: string[] = [];
const freshDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'dgt-content-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

contentStoreContract('directory', async () => directoryContentStore(join(freshDir(), 'files')));

describe('directory content store on disk', () => {
  it('names each file by its SHA-256, owner-only (0600), with no temporary file left behind', async () => {
    const dir = join(freshDir(), 'files');
    const store = directoryContentStore(dir);
    const { sha256 } = await store.put(Uint8Array.from([0xff, 0xd8, 0xff, 0]), 'image/jpeg');
    expect(readdirSync(dir)).toEqual([sha256]);
    expect(statSync(join(dir, sha256)).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
  });

  it('never overwrites a stored file: a second put of the same address leaves the file on disk untouched', async () => {
    const dir = join(freshDir(), 'files');
    const store = directoryContentStore(dir);
    const { sha256 } = await store.put(Uint8Array.from([1, 2, 3]), 'image/png');
    const before = statSync(join(dir, sha256));
    await store.put(Uint8Array.from([1, 2, 3]), 'image/png');
    const after = statSync(join(dir, sha256));
    expect(after.ino).toBe(before.ino);
    expect(after.mtimeMs).toBe(before.mtimeMs);
  });

  it('serves files stored by an earlier process from the same directory', async () => {
    const dir = join(freshDir(), 'files');
    const { sha256 } = await directoryContentStore(dir).put(new TextEncoder().encode('kept'), 'application/pdf');
    expect(new TextDecoder().decode(await directoryContentStore(dir).get(sha256))).toBe('kept');
  });

  it('reads only files named by an address: other files in the directory are never served', async () => {
    const dir = freshDir();
    writeFileSync(join(dir, 'notes.txt'), 'not content');
    expect(await directoryContentStore(dir).get('notes.txt')).toBeUndefined();
  });
});
