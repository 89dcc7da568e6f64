import { describe, expect, it } from 'vitest';
import { type ManifestMeta, manifestFormat, packManifest, parseManifest, sha256Hex } from '../src/index.ts';

const meta: ManifestMeta = {
  caseId: 'case-1',
  operator: { keyId: 'bureau-1', role: 'bureau' },
  createdAt: '2026-03-01T08:00:00+08:00',
  toolVersion: 'dgt 0.1.0',
  keyId: '0123456789abcdef',
};
const bytes = (text: string) => new TextEncoder().encode(text);
const files = [
  { path: 'report.html', bytes: bytes('<html></html>') },
  { path: 'attachments/ab-photo.jpg', bytes: new Uint8Array([1, 2, 3]) },
  { path: 'case.json', bytes: bytes('{}') },
];

describe('packManifest', () => {
  it('lists every file sorted by path with its SHA-256 and size, and the meta', () => {
    const { manifest } = packManifest(files, meta);
    expect(manifest).toEqual({
      format: manifestFormat,
      meta,
      files: [
        { path: 'attachments/ab-photo.jpg', sha256: sha256Hex(new Uint8Array([1, 2, 3])), size: 3 },
        { path: 'case.json', sha256: '44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a', size: 2 },
        { path: 'report.html', sha256: sha256Hex(bytes('<html></html>')), size: 13 },
      ],
    });
  });

  it('gives byte-identical canonical JSON whatever the order of the files and of the meta keys', () => {
    const a = packManifest(files, meta).bytes;
    const reorderedMeta = { toolVersion: meta.toolVersion, keyId: meta.keyId, operator: { role: 'bureau', keyId: 'bureau-1' }, createdAt: meta.createdAt, caseId: meta.caseId };
    const b = packManifest([...files].reverse(), reorderedMeta).bytes;
    expect(Buffer.from(b).equals(Buffer.from(a))).toBe(true);
    const text = new TextDecoder().decode(a);
    expect(text.endsWith('}\n')).toBe(true);
    expect(text.slice(0, -1).replace(/"(?:[^"\\]|\\.)*"/g, '""')).not.toMatch(/\s/);
    expect(text.startsWith('{"files":[{"path":"attachments/ab-photo.jpg","sha256":"')).toBe(true);
  });

  it('sorts paths by their UTF-8 bytes, not by UTF-16 code units', () => {
    // In UTF-16 U+1F600 (surrogates D83D DE00) sorts before U+FF5E; in UTF-8 (F0… after EF…) after it.
    const { manifest } = packManifest([{ path: '\u{ff5e}', bytes: bytes('a') }, { path: '\u{1f600}', bytes: bytes('b') }], meta);
    expect(manifest.files.map((f) => f.path)).toEqual(['\u{ff5e}', '\u{1f600}']);
  });

  it('refuses paths that escape the pack, are absolute, repeat or name a signing file, naming the file', () => {
    const refuse = (path: string) => () => packManifest([{ path, bytes: bytes('x') }], meta);
    expect(refuse('../etc/passwd')).toThrow(/files\.0\.path: "\.\.\/etc\/passwd" has a "\.\." segment/);
    expect(refuse('/abs')).toThrow(/files\.0\.path: "\/abs" is absolute/);
    expect(refuse('a\\b')).toThrow(/contains "\\"/);
    expect(refuse('a//b')).toThrow(/empty folder name/);
    expect(refuse('line\nbreak')).toThrow(/control character/);
    expect(refuse('manifest.json')).toThrow(/"manifest\.json" signs the pack and cannot be listed/);
    expect(refuse('manifest.sig')).toThrow(/"manifest\.sig" signs the pack/);
    expect(() => packManifest([...files, { path: 'case.json', bytes: bytes('[]') }], meta)).toThrow(/"case\.json" is listed twice/);
  });

  it('refuses bad meta naming the field', () => {
    expect(() => packManifest(files, { ...meta, createdAt: 'yesterday' })).toThrow(/meta\.createdAt: must be an ISO-8601 date-time with offset/);
    expect(() => packManifest(files, { ...meta, keyId: 'KEY' })).toThrow(/meta\.keyId: must be 16 lowercase hex digits/);
    expect(() => packManifest(files, { ...meta, caseId: '' })).toThrow(/meta\.caseId: must not be empty/);
    expect(() => packManifest(files, { ...meta, operator: { keyId: 'k', role: '' } })).toThrow(/meta\.operator\.role: must not be empty/);
  });
});

describe('parseManifest', () => {
  it('reads back what packManifest wrote', () => {
    const packed = packManifest(files, meta);
    expect(parseManifest(packed.bytes)).toEqual({ ok: true, manifest: packed.manifest });
  });

  it('says why bytes are not a manifest: not UTF-8, not JSON, wrong shape, unsorted', () => {
    expect(parseManifest(new Uint8Array([0x7b, 0xff, 0x7d]))).toEqual({ ok: false, reason: 'not UTF-8 text' });
    expect(parseManifest(bytes('{"files":'))).toMatchObject({ ok: false, reason: expect.stringMatching(/^not JSON/) });
    expect(parseManifest(bytes('{"format":"dgt-evidence-pack/1","files":[]}'))).toMatchObject({ ok: false, reason: expect.stringContaining('meta:') });
    const unsorted = { format: manifestFormat, meta, files: [{ path: 'b', sha256: sha256Hex(bytes('')), size: 0 }, { path: 'a', sha256: sha256Hex(bytes('')), size: 0 }] };
    expect(parseManifest(bytes(JSON.stringify(unsorted)))).toMatchObject({ ok: false, reason: expect.stringContaining('files.1.path: "a" is out of order') });
  });
});
