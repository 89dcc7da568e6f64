import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PackDirectoryError, readPackDir, verifyPackDir, writePack, writeSignedPack } from '../src/packDirectory.ts';
import { buildEvidencePack, type PackProblem, verifyPack } from '../src/index.ts';
import { content, meta, newSigningKey } from './testKeys.ts';

const root = mkdtempSync(join(tmpdir(), 'dgt-evidence-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const key = newSigningKey();
let n = 0;

async function freshPack(): Promise<{ dir: string; paths: string[] }> {
  const dir = join(root, `pack-${n++}`);
  const pack = buildEvidencePack(content, meta, key);
  await writeSignedPack(dir, pack);
  return { dir, paths: pack.files.map((f) => f.path) };
}

/** Flips the lowest bit of one byte of `path` (inside `dir`); returns a function that flips it back. */
function flipByte(dir: string, path: string, at: number): () => void {
  const file = join(dir, ...path.split('/'));
  const bytes = readFileSync(file);
  bytes[at] = (bytes[at] as number) ^ 0x01;
  writeFileSync(file, bytes);
  return () => {
    bytes[at] = (bytes[at] as number) ^ 0x01;
    writeFileSync(file, bytes);
  };
}

const kinds = (problems: readonly PackProblem[]) => problems.map((p) => p.kind);

describe('a pack written to a directory', () => {
  it('reads back intact: the same files, verified by the signing key and by its own public-key.pem', async () => {
    const { dir, paths } = await freshPack();
    const read = await readPackDir(dir);
    expect([...read.files.map((f) => f.path), 'manifest.json', 'manifest.sig'].sort()).toEqual([...paths].sort());
    expect(verifyPack(read.files, read.manifestBytes, read.signature, key.publicKey)).toMatchObject({ ok: true, problems: [] });
    expect(await verifyPackDir(dir, key.publicKey)).toMatchObject({ ok: true, usedPackKey: false });
    expect(await verifyPackDir(dir)).toMatchObject({ ok: true, usedPackKey: true, verifyingKeyId: key.keyId });
  });

  it('detects a one-byte change at the start, middle and end of every file, manifest.json and manifest.sig included', async () => {
    const { dir, paths } = await freshPack();
    expect(paths).toEqual(expect.arrayContaining(['manifest.json', 'manifest.sig', 'public-key.pem', 'case.json', 'report.html', 'report.json', 'report.csv']));
    let checked = 0;
    for (const path of paths) {
      const size = readFileSync(join(dir, ...path.split('/'))).length;
      for (const at of new Set([0, Math.floor(size / 2), size - 1])) {
        const restore = flipByte(dir, path, at);
        const trusted = await verifyPackDir(dir, key.publicKey);
        const ownKey = await verifyPackDir(dir);
        restore();
        const where = `${path} byte ${at}`;
        expect(trusted.ok, where).toBe(false);
        expect(ownKey.ok, where).toBe(false);
        if (path === 'manifest.json' || path === 'manifest.sig') expect(kinds(trusted.problems), where).toContain('signature-invalid');
        else expect(trusted.problems, where).toContainEqual(expect.objectContaining({ kind: 'altered', path }));
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(paths.length * 3 - 2);
    expect(await verifyPackDir(dir, key.publicKey)).toMatchObject({ ok: true });
  });

  it('detects a removed file, manifest.sig and manifest.json included', async () => {
    const { dir } = await freshPack();
    unlinkSync(join(dir, 'report.csv'));
    expect((await verifyPackDir(dir, key.publicKey)).problems).toEqual([{ kind: 'missing', path: 'report.csv' }]);
    unlinkSync(join(dir, 'manifest.sig'));
    expect((await verifyPackDir(dir, key.publicKey)).problems).toEqual([
      { kind: 'missing', path: 'manifest.sig' },
      { kind: 'missing', path: 'report.csv' },
    ]);
    unlinkSync(join(dir, 'manifest.json'));
    expect(kinds((await verifyPackDir(dir, key.publicKey)).problems)).toEqual(['missing', 'missing']);
  });

  it('detects an added file, at the top and inside attachments/', async () => {
    const { dir } = await freshPack();
    writeFileSync(join(dir, 'notes.txt'), 'added after signing');
    writeFileSync(join(dir, 'attachments', 'extra-photo.jpg'), new Uint8Array([1, 2, 3]));
    mkdirSync(join(dir, 'more'));
    writeFileSync(join(dir, 'more', 'x.json'), '{}');
    expect((await verifyPackDir(dir, key.publicKey)).problems).toEqual([
      { kind: 'extra', path: 'attachments/extra-photo.jpg' },
      { kind: 'extra', path: 'more/x.json' },
      { kind: 'extra', path: 'notes.txt' },
    ]);
  });

  it('reports a file replaced by a symbolic link (even to identical bytes) instead of following it', async () => {
    const { dir } = await freshPack();
    const copy = join(root, `copy-${n++}.csv`);
    writeFileSync(copy, readFileSync(join(dir, 'report.csv')));
    unlinkSync(join(dir, 'report.csv'));
    symlinkSync(copy, join(dir, 'report.csv'));
    expect((await verifyPackDir(dir, key.publicKey)).problems).toEqual([
      { kind: 'missing', path: 'report.csv' },
      { kind: 'not-a-file', path: 'report.csv', what: 'a symbolic link' },
    ]);
  });

  it('detects a pack signed by another key than the trusted one, naming both keys', async () => {
    const { dir } = await freshPack();
    const trusted = newSigningKey();
    const result = await verifyPackDir(dir, trusted.publicKey);
    expect(result.problems).toContainEqual({ kind: 'key-mismatch', manifestKeyId: key.keyId, verifyingKeyId: trusted.keyId });
  });

  it('writes only into an absent or empty directory, and says when a pack directory does not exist', async () => {
    const dir = join(root, `written-${n++}`);
    await writePack(dir, [{ path: 'report.html', bytes: new TextEncoder().encode('<html></html>') }], meta, key);
    expect(await verifyPackDir(dir, key.publicKey)).toMatchObject({ ok: true });
    await expect(writePack(dir, [], meta, key)).rejects.toThrow(/is not empty \(4 entries\); write a pack into a new directory/);
    await expect(readPackDir(join(root, 'absent'))).rejects.toThrow(new PackDirectoryError(join(root, 'absent'), 'no such directory'));
  });
});
