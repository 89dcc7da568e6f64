import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildEvidencePack, parseSigningKey, publicKeyJwk, publicKeyPem, type SigningKey } from '@dgt/evidence';
import { writeSignedPack } from '@dgt/evidence/fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const dgt = join(root, 'services/cli/bin/dgt.mjs');
const dir = mkdtempSync(join(tmpdir(), 'dgt-evidence-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [dgt, ...args], { cwd: root, env: { ...process.env, NO_COLOR: '1' } }, (error, stdout, stderr) => {
      if (error && typeof error.code !== 'number') return reject(error);
      resolve({ code: typeof error?.code === 'number' ? error.code : 0, stdout, stderr });
    });
  });
}

const newKey = (): SigningKey => parseSigningKey(generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }) as string);
const key = newKey();
const pack = join(dir, 'pack');
const publicKeyFile = join(dir, 'bureau-public-key.pem');

beforeAll(async () => {
  const built = buildEvidencePack(
    {
      caseJson: '{"caseId":"case-2026-0007"}',
      reportHtml: '<!doctype html><p>浙J·12345</p>\n',
      reportJson: '{"violations":[]}',
      reportCsv: 'kind,plate\n',
      attachments: [{ name: 'photo.jpg', bytes: new Uint8Array([0xff, 0xd8, 0xff, 0xe0]) }],
    },
    { caseId: 'case-2026-0007', operator: { keyId: 'enforcement-9', role: 'enforcement' }, createdAt: '2026-03-01T09:30:00+08:00', toolVersion: 'dgt 0.1.0' },
    key,
  );
  await writeSignedPack(pack, built);
  writeFileSync(publicKeyFile, publicKeyPem(key.publicKey));
});

describe('dgt evidence verify', () => {
  it('exits 0 on an intact pack signed by the given key, naming the key and the case', async () => {
    const r = await run(['evidence', 'verify', pack, '--public-key', publicKeyFile]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(`intact: 6 files and their manifest, signed by key ${key.keyId} (case case-2026-0007, built 2026-03-01T09:30:00+08:00 by enforcement-9 [enforcement], dgt 0.1.0)\n`);
    expect(r.stderr).toBe('');
  });

  it('accepts the published JWK as the key too', async () => {
    const jwkFile = join(dir, 'bureau-key.jwk');
    writeFileSync(jwkFile, JSON.stringify(publicKeyJwk(key.publicKey)));
    expect((await run(['evidence', 'verify', pack, '--public-key', jwkFile])).code).toBe(0);
  });

  it('exits 0 with the pack’s own key but warns that this proves integrity, not origin', async () => {
    const r = await run(['evidence', 'verify', pack]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^warning: verified with the pack’s own public-key\.pem: this proves the files are unchanged since they were signed, not who signed them/);
  });

  it('exits 3 after a one-byte change, printing the altered file on its own line, and 0 again once it is undone', async () => {
    const file = join(pack, 'report.html');
    const original = readFileSync(file);
    const changed = Buffer.from(original);
    changed[changed.length >> 1] = (changed[changed.length >> 1] as number) ^ 0x01;
    writeFileSync(file, changed);
    try {
      const r = await run(['evidence', 'verify', pack, '--public-key', publicKeyFile]);
      expect(r.code).toBe(3);
      expect(r.stdout.split('\n')).toContainEqual(expect.stringMatching(/^altered: report\.html \(sha256 [0-9a-f]{64}/));
      expect(r.stderr).toMatch(/NOT INTACT \(1 problem\)/);
    } finally {
      writeFileSync(file, original);
    }
    expect((await run(['evidence', 'verify', pack, '--public-key', publicKeyFile])).code).toBe(0);
  });

  it('exits 3 for a pack signed by another key than the given one, printing each problem on its own line', async () => {
    const otherKeyFile = join(dir, 'other.pem');
    const other = newKey();
    writeFileSync(otherKeyFile, publicKeyPem(other.publicKey));
    const r = await run(['evidence', 'verify', pack, '--public-key', otherKeyFile]);
    expect(r.code).toBe(3);
    expect(r.stdout.trimEnd().split('\n')).toEqual([
      `signature invalid: manifest.sig is not a valid signature of manifest.json by this key (key ${other.keyId})`,
      `wrong key: the manifest says it was signed by key ${key.keyId}, verifying with key ${other.keyId}`,
    ]);
  });

  it('exits 2 for usage errors: no directory, a directory that does not exist, a private key as --public-key; --help exits 0', async () => {
    expect((await run(['evidence', 'verify'])).code).toBe(2);
    const absent = await run(['evidence', 'verify', join(dir, 'absent')]);
    expect(absent.code).toBe(2);
    expect(absent.stderr).toMatch(/absent: no such directory/);
    const privateFile = join(dir, 'private.pem');
    writeFileSync(privateFile, key.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string);
    const leaked = await run(['evidence', 'verify', pack, '--public-key', privateFile]);
    expect(leaked.code).toBe(2);
    expect(leaked.stderr).toMatch(/--public-key .*private\.pem: is a private key; verify with the public key/);
    expect((await run(['evidence', 'verify', pack, '--bogus'])).code).toBe(2);
    // Anything but `verify` is a case id (dgt evidence <caseId> --out <dir>), which takes no second argument.
    const extra = await run(['evidence', 'sign', pack]);
    expect(extra.code).toBe(2);
    expect(extra.stderr).toMatch(/dgt evidence <caseId> takes one case id, got 2/);
    const help = await run(['evidence', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Exit codes: 0 intact and signed by the key, 3 anything altered/);
  });
});
