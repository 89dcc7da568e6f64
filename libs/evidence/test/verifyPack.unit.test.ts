import { describe, expect, it } from 'vitest';
import { assemblePack, checkSignature, describeProblem, type PackFile, signManifest, verifyPack, verifyPackFiles } from '../src/index.ts';
import { meta, newSigningKey } from './testKeys.ts';

const key = newSigningKey();
const bytes = (text: string) => new TextEncoder().encode(text);
const payload: PackFile[] = [
  { path: 'report.html', bytes: bytes('<html>证据</html>') },
  { path: 'case.json', bytes: bytes('{"caseId":"case-2026-0001"}') },
  { path: 'attachments/aa-photo.jpg', bytes: new Uint8Array([0xff, 0xd8, 0xff]) },
];
const pack = assemblePack(payload, meta, key);
const file = (path: string) => pack.files.find((f) => f.path === path) as PackFile;
const signature = new TextDecoder().decode(file('manifest.sig').bytes);
const listed = pack.files.filter((f) => f.path !== 'manifest.json' && f.path !== 'manifest.sig');

describe('signManifest', () => {
  it('signs deterministically: the same manifest and key give the same signature', () => {
    const manifestBytes = file('manifest.json').bytes;
    expect(signManifest(manifestBytes, key.privateKey)).toBe(signManifest(manifestBytes, key.privateKey));
    expect(signature).toBe(`${signManifest(manifestBytes, key.privateKey)}\n`);
    expect(assemblePack([...payload].reverse(), meta, key).files).toEqual(pack.files);
  });

  it('refuses to sign with anything but an Ed25519 private key', () => {
    expect(() => signManifest(bytes('m'), key.publicKey)).toThrow(/needs an Ed25519 private key, got a public key of type ed25519/);
  });
});

describe('verifyPack', () => {
  it('finds an intact pack intact, naming the key it was checked with', () => {
    const result = verifyPack(listed, file('manifest.json').bytes, signature, key.publicKey);
    expect(result).toMatchObject({ ok: true, problems: [], verifyingKeyId: key.keyId });
    expect(result.manifest?.meta).toEqual({ ...meta, keyId: key.keyId });
    expect(verifyPackFiles(pack.files, key.publicKey).ok).toBe(true);
  });

  it('lists every problem at once: an altered file, a missing one and an extra one', () => {
    const files = listed
      .filter((f) => f.path !== 'case.json')
      .map((f) => (f.path === 'report.html' ? { path: f.path, bytes: bytes('<html>改</html>') } : f))
      .concat([{ path: 'notes.txt', bytes: bytes('added later') }]);
    const result = verifyPack(files, file('manifest.json').bytes, signature, key.publicKey);
    expect(result.ok).toBe(false);
    expect(result.problems.map((p) => p.kind).sort()).toEqual(['altered', 'extra', 'missing']);
    expect(result.problems.map(describeProblem)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^altered: report\.html \(sha256 [0-9a-f]{64}, \d+ bytes; the manifest says [0-9a-f]{64}, \d+ bytes\)$/), 'missing: case.json', 'extra: notes.txt (not in the manifest)']),
    );
  });

  it('refuses a signature by another key and says which key the manifest names', () => {
    const other = newSigningKey();
    const result = verifyPack(listed, file('manifest.json').bytes, signature, other.publicKey);
    expect(result.problems).toEqual([
      { kind: 'signature-invalid', reason: 'manifest.sig is not a valid signature of manifest.json by this key', keyId: other.keyId },
      { kind: 'key-mismatch', manifestKeyId: key.keyId, verifyingKeyId: other.keyId },
    ]);
  });

  it('refuses a manifest re-signed by another key while public-key.pem still holds the first', () => {
    const other = newSigningKey();
    const resigned = assemblePack(payload, meta, other);
    const files = resigned.files.map((f) => (f.path === 'public-key.pem' ? file('public-key.pem') : f));
    const result = verifyPackFiles(files, other.publicKey);
    expect(result.problems.map((p) => p.kind)).toEqual(['altered', 'pack-key-mismatch']);
  });

  it('reports a missing manifest and signature, and a pack with no key to check it with', () => {
    expect(verifyPack(listed, undefined, undefined, key.publicKey).problems).toEqual([
      { kind: 'missing', path: 'manifest.json' },
      { kind: 'missing', path: 'manifest.sig' },
    ]);
    expect(verifyPack(listed, file('manifest.json').bytes, signature, undefined).problems).toEqual([{ kind: 'signature-unchecked', reason: 'no public key to verify the signature with' }]);
  });

  it('reports a manifest that is no longer JSON as invalid, and its signature as not verifying', () => {
    const damaged = bytes(new TextDecoder().decode(file('manifest.json').bytes).replace('{"files"', '{"files'));
    const kinds = verifyPack(listed, damaged, signature, key.publicKey).problems.map((p) => p.kind);
    expect(kinds).toEqual(['signature-invalid', 'manifest-invalid']);
  });

  it('refuses to be given manifest.json among the files or a file twice (a caller mistake, not a pack problem)', () => {
    expect(() => verifyPack(pack.files, file('manifest.json').bytes, signature, key.publicKey)).toThrow(/pass manifest\.json as its own argument/);
    expect(() => verifyPack([...listed, listed[0] as PackFile], file('manifest.json').bytes, signature, key.publicKey)).toThrow(/is given twice/);
  });
});

describe('describeProblem', () => {
  it('escapes control characters, so a file name added to a pack cannot split or recolour the line reporting it', () => {
    expect(describeProblem({ kind: 'extra', path: 'a\nok: b\u001b[32m' })).toBe('extra: a\\u000aok: b\\u001b[32m (not in the manifest)');
  });
});

describe('checkSignature', () => {
  const manifestBytes = () => file('manifest.json').bytes;
  it('accepts the signature with or without its trailing newline', () => {
    expect(checkSignature(manifestBytes(), signature, key.publicKey)).toEqual({ ok: true });
    expect(checkSignature(manifestBytes(), signature.trimEnd(), key.publicKey)).toEqual({ ok: true });
  });

  it('refuses base64 that Buffer would decode to the same signature anyway: spare bits, stray characters, extra newlines', () => {
    const body = signature.trimEnd();
    // 64 bytes → 86 digits and "=="; the last digit carries 2 bits, the other 4 are spare.
    const last = body[85] as string;
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
    const spareBitsSet = alphabet[alphabet.indexOf(last) | 0b0001] === last ? alphabet[alphabet.indexOf(last) & ~0b0001] : alphabet[alphabet.indexOf(last) | 0b0001];
    const variant = `${body.slice(0, 85)}${spareBitsSet}==`;
    expect(Buffer.from(variant, 'base64').equals(Buffer.from(body, 'base64'))).toBe(true);
    for (const text of [variant, `${body}\n\n`, `${body.slice(0, 10)}.${body.slice(10)}`, ` ${body}`]) {
      expect(checkSignature(manifestBytes(), text, key.publicKey)).toMatchObject({ ok: false, reason: expect.stringContaining('not a base64 signature') });
    }
    expect(checkSignature(manifestBytes(), 'AAAA', key.publicKey)).toEqual({ ok: false, reason: 'manifest.sig holds 3 bytes, an Ed25519 signature has 64' });
  });
});
