import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildApiApp, type ApiConfig } from '@dgt/api';
import { clockTick, type DgtEvent } from '@dgt/events';
import { parseSigningKey } from '@dgt/evidence';
import { openMemoryEventStore, streamFor } from '@dgt/eventstore';
import { generateApiKey, hashApiKey, type ServiceApp } from '@dgt/http';
import { createMemoryReadModelStore } from '@dgt/readmodels';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/*
 * `dgt evidence <caseId> --out <dir>` against a running API: it downloads the signed pack, unpacks
 * it and verifies it against the key the API publishes (exit 0); a case it may not see, or none,
 * is exit 1 with the API's answer; a non-empty --out is refused before anything is fetched.
 */

const root = fileURLToPath(new URL('../..', import.meta.url));
const dgt = join(root, 'services/cli/bin/dgt.mjs');
const dir = mkdtempSync(join(tmpdir(), 'dgt-evidence-fetch-'));
const signingKey = parseSigningKey(generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }) as string);
const keys = { bureau: generateApiKey(), enforcement: generateApiKey(), carrier: generateApiKey(), other: generateApiKey() };
const NOW = new Date('2026-03-05T10:00:00Z');

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [dgt, ...args], { cwd: root, env: { ...process.env, NO_COLOR: '1' } }, (error, stdout, stderr) => {
      if (error && typeof error.code !== 'number') return reject(error);
      resolve({ code: typeof error?.code === 'number' ? error.code : 0, stdout, stderr });
    });
  });
}

let app: ServiceApp;
let api: string;
let caseId: string;
const keyFile = (who: keyof typeof keys) => {
  const path = join(dir, `${who}.key`);
  writeFileSync(path, `${keys[who]}\n`);
  return path;
};

beforeAll(async () => {
  const store = openMemoryEventStore();
  const fixes: DgtEvent[] = [0, 60, 120].map((s) => ({ eventId: `fix-${s}`, type: 'VehiclePositionReported', occurredAt: new Date(Date.parse('2026-03-05T08:00:00Z') + s * 1000).toISOString(), data: { vehicleId: 'V1', lon: 121.42, lat: 28.66, speedKmh: 0 } }) as DgtEvent);
  for (const e of [...fixes, clockTick(Date.parse('2026-03-05T08:03:00Z')) as DgtEvent]) await store.append(streamFor(e), [e]);
  const config: ApiConfig = {
    port: 0,
    host: '127.0.0.1',
    apiKeys: [
      { id: 'bureau-1', role: 'bureau', sha256: hashApiKey(keys.bureau) },
      { id: 'team-1', role: 'enforcement', sha256: hashApiKey(keys.enforcement) },
      { id: 'c1-desk', role: 'carrier:C1', sha256: hashApiKey(keys.carrier) },
      { id: 'c2-desk', role: 'carrier:C2', sha256: hashApiKey(keys.other) },
    ],
    eventStore: { kind: 'memory' },
    readModels: { kind: 'memory' },
    bus: { brokers: [], clientId: 'dgt-test', topics: {} },
    auditReportsKept: 10,
    audits: { running: 1, queued: 4 },
    rateLimitPerMinute: 100_000,
    alerts: { groupId: 'api-test', ringSize: 100, clientQueueMax: 100, heartbeatMs: 15_000 },
    fleetCacheFreshMs: 0,
    complianceRules: (await import('@dgt/readmodels')).defaultComplianceRules,
    dashboardTileUrl: null,
    logLevel: 'silent',
  };
  app = await buildApiApp({ config, store, readModels: createMemoryReadModelStore(), defaultMetrics: false, evidenceSigningKey: signingKey, now: () => NOW });
  api = await app.listen({ port: 0, host: '127.0.0.1' });
  const post = async (url: string, key: string, body: unknown) => {
    const res = await fetch(`${api}${url}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': key }, body: JSON.stringify(body) });
    expect(res.status, await res.clone().text()).toBeLessThan(300);
    return res.json() as Promise<{ case: { caseId: string } }>;
  };
  caseId = (await post('/v1/cases', keys.bureau, { vehicleId: 'V1', carrierId: 'C1', kind: 'illegal-parking', violationIds: ['X1'], window: { from: '2026-03-05T07:59:00Z', to: '2026-03-05T08:05:00Z' } })).case.caseId;
  await post(`/v1/cases/${caseId}/assign`, keys.bureau, { unit: 'Jiaojiang joint team', officer: 'Officer Wang' });
  await post(`/v1/cases/${caseId}/evidence`, keys.enforcement, {});
});
afterAll(async () => {
  await app?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('dgt evidence <caseId> --out <dir>', () => {
  it('downloads, unpacks and verifies the case\'s pack against the API\'s published key (exit 0)', async () => {
    const out = join(dir, 'pack-carrier');
    const r = await run(['evidence', caseId, '--out', out, '--key-file', keyFile('carrier'), '--api', api]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`intact: `);
    expect(r.stdout).toContain(`signed by key ${signingKey.keyId}`);
    expect(readdirSync(out).sort()).toEqual(['case.json', 'manifest.json', 'manifest.sig', 'public-key.pem', 'report.csv', 'report.html', 'report.json']);
    expect(JSON.parse(readFileSync(join(out, 'case.json'), 'utf8'))).toMatchObject({ caseId, case: { status: 'evidence-frozen' } });
    // Then a one-byte change is caught by `dgt evidence verify` with the same published key.
    const html = readFileSync(join(out, 'report.html'));
    html[10] = html[10]! ^ 1;
    writeFileSync(join(out, 'report.html'), html);
    const pub = join(dir, 'published.pem');
    writeFileSync(pub, ((await (await fetch(`${api}/v1/evidence/public-key`)).json()) as { pem: string }).pem);
    const verify = await run(['evidence', 'verify', out, '--public-key', pub]);
    expect(verify.code).toBe(3);
    expect(verify.stdout).toContain('report.html');
  }, 60_000);

  it('exits 1 with the API\'s answer for another carrier\'s case and an unknown case, writing nothing', async () => {
    const other = await run(['evidence', caseId, '--out', join(dir, 'pack-other'), '--key-file', keyFile('other'), '--api', api]);
    expect(other.code).toBe(1);
    expect(other.stderr).toContain('404 no such case');
    const none = await run(['evidence', 'C-20260305-NOPE00', '--out', join(dir, 'pack-none'), '--key-file', keyFile('bureau'), '--api', api]);
    expect(none.code).toBe(1);
  }, 60_000);

  it('refuses usage mistakes with exit 2: no --out, no --key-file, a non-empty --out', async () => {
    expect((await run(['evidence', caseId, '--key-file', keyFile('bureau'), '--api', api])).code).toBe(2);
    expect((await run(['evidence', caseId, '--out', join(dir, 'x'), '--api', api])).code).toBe(2);
    const busy = join(dir, 'busy');
    mkdirSync(busy);
    writeFileSync(join(busy, 'keep.txt'), 'mine');
    const refused = await run(['evidence', caseId, '--out', busy, '--key-file', keyFile('bureau'), '--api', api]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('is not empty');
  }, 60_000);
});
