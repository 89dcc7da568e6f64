import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseSigningKey, publicKeyPem } from '@dgt/evidence';
import { verifyPackDir } from '@dgt/evidence/fs';
import { extract } from 'tar-stream';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from './apiTestKit.ts';
import { caseWithEvidence, type Clock, openCase, photo, requests, testClock } from './support/caseFlow.ts';

const signingKey = parseSigningKey(generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }) as string);

let api: TestApi;
let clock: Clock;
const r = requests(() => api.app);
beforeEach(async () => {
  clock = testClock();
  api = await startTestApi({ app: { now: () => clock.now(), evidenceSigningKey: signingKey } });
});
afterEach(async () => api.close());

async function untar(bytes: Buffer): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  const ex = extract();
  ex.on('entry', (header, stream, next) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: unknown) => chunks.push(c as Buffer));
    stream.on('end', () => {
      files.set(header.name, Buffer.concat(chunks));
      next();
    });
  });
  const done = new Promise((ok, ko) => {
    ex.on('finish', () => ok(undefined));
    ex.on('error', ko);
  });
  Readable.from([bytes]).pipe(ex);
  await done;
  return files;
}

describe('evidence packs (证据包)', () => {
  it('publishes the signing key to anyone, with its id', async () => {
    const res = await api.app.inject({ method: 'GET', url: '/v1/evidence/public-key' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ keyId: signingKey.keyId, pem: publicKeyPem(signingKey.publicKey), jwk: { kty: 'OKP', crv: 'Ed25519', kid: signingKey.keyId } });
  });

  it('serves a case\'s signed pack as a tar that verifies offline against the published key, and a one-byte change does not', async () => {
    const caseId = await caseWithEvidence(r, clock);
    const file = (await r.upload('enforcement', photo, 'image/jpeg')).json<{ sha256: string; size: number; type: string }>();
    const checked = await r.post(`/v1/cases/${caseId}/checks`, 'enforcement', {
      officer: 'Officer Wang',
      checkedAt: clock.now().toISOString(),
      place: { lon: 121.42, lat: 28.66, text: '椒江区 roadside' },
      findings: 'Tanker parked on the hard shoulder, driver present.',
      attachments: [{ ...file, name: 'site.jpg' }],
    });
    expect(checked.statusCode, checked.body).toBe(200);

    const res = await r.get(`/v1/cases/${caseId}/evidence-pack`, 'carrier:C1');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('application/x-tar');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="${caseId}-evidence.tar"`);
    const files = await untar(res.rawPayload);
    const root = `${caseId}-evidence/`;
    expect([...files.keys()].sort()).toEqual(
      [`attachments/${file.sha256}-site.jpg`, 'case.json', 'manifest.json', 'manifest.sig', 'public-key.pem', 'report.csv', 'report.html', 'report.json'].map((p) => root + p).sort(),
    );
    const caseJson = JSON.parse(files.get(`${root}case.json`)!.toString('utf8'));
    expect(caseJson).toMatchObject({ format: 'dgt-case/1', caseId, case: { status: 'checked', carrierId: 'C1' } });
    expect(caseJson.history.map((h: { type: string }) => h.type)).toEqual(['CaseOpened', 'CaseAssigned', 'EvidenceFrozen', 'OnSiteCheckRecorded']);
    const manifest = JSON.parse(files.get(`${root}manifest.json`)!.toString('utf8'));
    expect(manifest.meta).toMatchObject({ caseId, operator: { role: 'carrier', carrierId: 'C1' }, createdAt: clock.now().toISOString(), keyId: signingKey.keyId });

    const dir = mkdtempSync(join(tmpdir(), 'dgt-pack-'));
    try {
      for (const [name, bytes] of files) {
        const path = join(dir, name.slice(root.length));
        if (name.includes('/attachments/')) mkdirSync(join(dir, 'attachments'), { recursive: true });
        writeFileSync(path, bytes);
      }
      expect((await verifyPackDir(dir, signingKey.publicKey)).ok).toBe(true);
      const report = join(dir, 'report.html');
      const bytes = readFileSync(report);
      bytes[100] = bytes[100]! ^ 1;
      writeFileSync(report, bytes);
      const altered = await verifyPackDir(dir, signingKey.publicKey);
      expect(altered.ok).toBe(false);
      expect(altered.problems).toEqual([expect.objectContaining({ path: 'report.html' })]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('gives the same bytes for the same case, key and time', async () => {
    const caseId = await caseWithEvidence(r, clock);
    const a = await r.get(`/v1/cases/${caseId}/evidence-pack`, 'enforcement');
    const b = await r.get(`/v1/cases/${caseId}/evidence-pack`, 'enforcement');
    expect(Buffer.compare(a.rawPayload, b.rawPayload)).toBe(0);
  });

  it('answers 409 before evidence is frozen, 404 to another carrier and for no such case, and nothing to keys that read no cases', async () => {
    const caseId = await openCase(r, clock);
    const early = await r.get(`/v1/cases/${caseId}/evidence-pack`, 'enforcement');
    expect(early.statusCode).toBe(409);
    expect(early.json<{ error: { message: string } }>().error.message).toContain('evidence-required');
    expect((await r.get(`/v1/cases/${caseId}/evidence-pack`, 'carrier:C2')).statusCode).toBe(404);
    expect((await r.get('/v1/cases/C-20260305-NOPE00/evidence-pack', 'bureau')).statusCode).toBe(404);
    expect((await r.get(`/v1/cases/${caseId}/evidence-pack`, 'ingest')).statusCode).toBe(403);
    expect((await r.get(`/v1/cases/${caseId}/evidence-pack`, null)).statusCode).toBe(401);
  });
});

describe('evidence packs without a signing key', () => {
  it('says how to configure one: 503 for a pack, 404 for the public key', async () => {
    const bare = await startTestApi({ app: { now: () => clock.now(), evidenceSigningKey: null } });
    try {
      const rr = requests(() => bare.app);
      const caseId = await caseWithEvidence(rr, clock);
      const res = await rr.get(`/v1/cases/${caseId}/evidence-pack`, 'enforcement');
      expect(res.statusCode).toBe(503);
      expect(res.json<{ error: { message: string } }>().error.message).toContain('DGT_EVIDENCE_SIGNING_KEY');
      expect((await bare.app.inject({ method: 'GET', url: '/v1/evidence/public-key' })).statusCode).toBe(404);
    } finally {
      await bare.close();
    }
  });
});
