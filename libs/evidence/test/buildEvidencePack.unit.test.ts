import { describe, expect, it } from 'vitest';
import { assemblePack, buildEvidencePack, ManifestError, publicKeyPem, sha256Hex, verifyPackFiles } from '../src/index.ts';
import { content, meta, newSigningKey } from './testKeys.ts';

const key = newSigningKey();

describe('buildEvidencePack', () => {
  it('lays out the case, the report in three forms, content-addressed attachments, the public key and the signed manifest', () => {
    const pack = buildEvidencePack(content, meta, key);
    const photo = sha256Hex(content.attachments[0]!.bytes);
    const appeal = sha256Hex(content.attachments[1]!.bytes);
    expect(pack.files.map((f) => f.path)).toEqual([
      `attachments/${photo}-check-photo.jpg`,
      `attachments/${appeal}-申诉材料.pdf`,
      'case.json',
      'manifest.json',
      'manifest.sig',
      'public-key.pem',
      'report.csv',
      'report.html',
      'report.json',
    ]);
    expect(new TextDecoder().decode(pack.files.find((f) => f.path === 'public-key.pem')!.bytes)).toBe(publicKeyPem(key.publicKey));
    expect(pack.manifest.meta).toEqual({ ...meta, keyId: key.keyId });
    expect(pack.manifest.files.map((f) => f.path)).not.toContain('manifest.json');
    expect(verifyPackFiles(pack.files, key.publicKey)).toMatchObject({ ok: true, problems: [] });
  });

  it('builds byte-identical packs from the same content, meta and key', () => {
    expect(buildEvidencePack(content, meta, key).files).toEqual(buildEvidencePack(content, meta, key).files);
  });

  it('keeps one copy of a file attached twice', () => {
    const twice = { ...content, attachments: [content.attachments[0]!, { ...content.attachments[0]! }] };
    expect(buildEvidencePack(twice, meta, key).files.filter((f) => f.path.startsWith('attachments/'))).toHaveLength(1);
  });

  it('refuses, naming each field, JSON that is not JSON, an attachment name with a folder and an attachment whose bytes do not match its digest', () => {
    const bad = {
      ...content,
      caseJson: '{"caseId":',
      attachments: [
        { name: '../../etc/passwd', bytes: new Uint8Array([1]) },
        { name: 'photo.jpg', bytes: new Uint8Array([1]), sha256: '0'.repeat(64) },
        { name: '..', bytes: new Uint8Array([2]) },
      ],
    };
    let error: unknown;
    try {
      buildEvidencePack(bad, meta, key);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ManifestError);
    expect((error as ManifestError).issues).toEqual([
      expect.stringMatching(/^caseJson: not JSON/),
      'attachments.0.name: "../../etc/passwd" contains "/" (a file name, not a path)',
      `attachments.1.sha256: the bytes have sha256 ${sha256Hex(new Uint8Array([1]))}, not the stated ${'0'.repeat(64)}`,
      'attachments.2.name: ".." has a ".." segment',
    ]);
  });

  it('refuses bad meta naming the field, before anything is signed', () => {
    expect(() => buildEvidencePack(content, { ...meta, createdAt: '2026-03-01 09:30' }, key)).toThrow(/meta\.createdAt: must be an ISO-8601 date-time with offset/);
  });

  it('leaves public-key.pem to the signing key: a payload bringing its own is refused', () => {
    expect(() => assemblePack([{ path: 'public-key.pem', bytes: new Uint8Array([1]) }], meta, key)).toThrow(/public-key\.pem: is added by the pack from the signing key/);
  });
});
