import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildApiApp, type ApiConfig } from '@dgt/api';
import type { DgtEvent } from '@dgt/events';
import { openMemoryEventStore, streamFor } from '@dgt/eventstore';
import { generateApiKey, hashApiKey, type ServiceApp } from '@dgt/http';
import { createMemoryReadModelStore, defaultComplianceRules } from '@dgt/readmodels';
import { PNG } from 'pngjs';
import QRCode from 'qrcode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/*
 * `dgt codes print` against a running API: the label's QR code encodes exactly
 * <base-url>/s/<code> (compared module by module with the QR library's own encoding of that URL),
 * the label says what it is for, and bad input exits non-zero with the reason.
 */

const root = fileURLToPath(new URL('../..', import.meta.url));
const dgt = join(root, 'services/cli/bin/dgt.mjs');
const dir = mkdtempSync(join(tmpdir(), 'dgt-codes-print-'));
const keys = { bureau: generateApiKey(), other: generateApiKey() };
const base = 'https://dgt.example.gov.cn';

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [dgt, ...args],
      { cwd: root, env: { ...process.env, NO_COLOR: '1' } },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') return reject(error);
        resolve({ code: typeof error?.code === 'number' ? error.code : 0, stdout, stderr });
      },
    );
  });
}

let app: ServiceApp;
let api: string;
const keyFile = (who: keyof typeof keys) => {
  const path = join(dir, `${who}.key`);
  writeFileSync(path, `${keys[who]}\n`);
  return path;
};
const codeFromApi = async (path: string) =>
  (
    (await (await fetch(`${api}${path}`, { headers: { 'x-api-key': keys.bureau } })).json()) as {
      code: string;
    }
  ).code;

beforeAll(async () => {
  const store = openMemoryEventStore();
  const methanol = {
    eventId: 'prod-1',
    type: 'ProductRegistered',
    occurredAt: '2026-03-01T08:00:00+08:00',
    data: {
      firmId: 'C1',
      productId: 'methanol',
      unNumber: '1230',
      properShippingName: '甲醇',
      hazardClass: '3',
      packingGroup: 'II',
      emergencyMeasures: '（通用示例）远离火源。',
      emergencyPhone: '0576-88881234',
    },
  } as DgtEvent;
  await store.append(streamFor(methanol), [methanol]);
  const readModels = createMemoryReadModelStore();
  await readModels.commit({
    checkpoint: '1',
    vehicles: [
      {
        vehicleId: 'V1',
        plateNo: '浙J·12345',
        carrierId: 'C1',
        lastFix: null,
        laden: false,
        waybillNo: null,
        goods: [],
        zones: [],
        stoppedSince: null,
        openViolations: [],
      },
    ],
    violations: [],
    consignments: [],
    carriers: [],
    zones: [],
    withdrawnZoneIds: [],
    engineState: new Map(),
  });
  const config: ApiConfig = {
    port: 0,
    host: '127.0.0.1',
    apiKeys: [
      { id: 'bureau-1', role: 'bureau', sha256: hashApiKey(keys.bureau) },
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
    complianceRules: defaultComplianceRules,
    dashboardTileUrl: null,
    logLevel: 'silent',
  };
  app = await buildApiApp({
    config,
    store,
    readModels,
    defaultMetrics: false,
    safetyCodeSecrets: { current: 1, secrets: new Map([[1, new Uint8Array(randomBytes(32))]]) },
  });
  api = await app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  await app?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The dark modules of a PNG the QR library drew with `margin`, sampled at each module's centre. */
function modulesOfPng(png: PNG, size: number, margin: number): boolean[] {
  const scale = png.width / (size + 2 * margin);
  const dark: boolean[] = [];
  for (let r = 0; r < size; r++) {
    for (let c = 0; c < size; c++) {
      const x = Math.floor((margin + c + 0.5) * scale);
      const y = Math.floor((margin + r + 0.5) * scale);
      dark.push(png.data[(y * png.width + x) * 4]! < 128);
    }
  }
  return dark;
}

describe('dgt codes print', () => {
  it('writes a product label whose QR code is the library’s encoding of <base-url>/s/<code>, with the name and the instruction', async () => {
    const out = join(dir, 'svg');
    const r = await run([
      'codes',
      'print',
      '--product',
      'C1/methanol',
      '--out',
      out,
      '--base-url',
      `${base}/`,
      '--key-file',
      keyFile('bureau'),
      '--api',
      api,
    ]);
    expect(r.code, r.stderr).toBe(0);
    const file = join(out, 'product-C1-methanol.svg');
    expect(r.stdout.trim()).toBe(file);
    const svg = readFileSync(file, 'utf8');
    const url = `${base}/s/${await codeFromApi('/v1/products/C1/methanol/code')}`;
    const expected = (
      await QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 4 })
    ).trim();
    // The label nests the library's drawing unchanged (its modules path), only placed and sized.
    const path = (s: string) => /<path stroke="#000000" d="([^"]+)"/.exec(s)?.[1];
    expect(path(svg)).toBeDefined();
    expect(path(svg)).toBe(path(expected));
    expect(svg).toContain('甲醇 UN1230');
    expect(svg).toContain('扫码查看应急处置信息');
  });

  it('writes a vehicle’s PNG whose modules are those of the library’s QR code of the vehicle’s scan URL', async () => {
    const out = join(dir, 'png');
    const r = await run([
      'codes',
      'print',
      '--vehicle',
      'V1',
      '--format',
      'png',
      '--out',
      out,
      '--base-url',
      base,
      '--key-file',
      keyFile('bureau'),
      '--api',
      api,
    ]);
    expect(r.code, r.stderr).toBe(0);
    const png = PNG.sync.read(readFileSync(join(out, 'vehicle-V1.png')));
    const url = `${base}/s/${await codeFromApi('/v1/vehicles/V1/code')}`;
    const qr = QRCode.create(url, { errorCorrectionLevel: 'M' });
    const expected = Array.from(
      { length: qr.modules.size ** 2 },
      (_, i) => qr.modules.data[i] === 1,
    );
    expect(modulesOfPng(png, qr.modules.size, 4)).toEqual(expected);
    // A different URL gives a different matrix: the comparison can fail.
    const other = QRCode.create(`${url}x`, { errorCorrectionLevel: 'M' });
    expect(modulesOfPng(png, other.modules.size, 4)).not.toEqual(
      Array.from({ length: other.modules.size ** 2 }, (_, i) => other.modules.data[i] === 1),
    );
  });

  it('exits 1 with the API’s reason for a product the key may not print, and 2 with the reason for bad input', async () => {
    const common = ['--out', join(dir, 'bad'), '--key-file', keyFile('other'), '--api', api];
    const refused = await run([
      'codes',
      'print',
      '--product',
      'C1/methanol',
      '--base-url',
      base,
      ...common,
    ]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/did not give the code of product C1\/methanol: 404/);
    const both = await run([
      'codes',
      'print',
      '--product',
      'C1/methanol',
      '--vehicle',
      'V1',
      '--base-url',
      base,
      ...common,
    ]);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/exactly one of --product/);
    expect((await run(['codes', 'print', '--vehicle', 'V1', ...common])).stderr).toMatch(
      /--base-url <url> is required/,
    );
    expect(
      (await run(['codes', 'print', '--vehicle', 'V1', '--base-url', 'ftp://x', ...common])).stderr,
    ).toMatch(/must be http or https/);
    const gif = await run([
      'codes',
      'print',
      '--vehicle',
      'V1',
      '--format',
      'gif',
      '--base-url',
      base,
      ...common,
    ]);
    expect([gif.code, gif.stderr]).toEqual([
      2,
      expect.stringMatching(/--format must be svg or png/),
    ]);
  });

  it('explains itself with --help', async () => {
    const r = await run(['codes', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      'dgt codes print (--product <firmId>/<productId> | --vehicle <vehicleId>)',
    );
  });
});
