import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildApiApp, type ApiConfig } from '@dgt/api';
import type { DgtEvent } from '@dgt/events';
import { openMemoryEventStore, streamFor } from '@dgt/eventstore';
import { generateApiKey, hashApiKey, type ServiceApp } from '@dgt/http';
import { createMemoryReadModelStore, defaultComplianceRules } from '@dgt/readmodels';
import { labelGeometry } from '@dgt/safetycodes';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import QRCode from 'qrcode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/*
 * `dgt codes print` against a running API: the label's QR code encodes exactly
 * <base-url>/s/<code> (compared module by module with the QR library's own encoding of that URL),
 * the label says what it is for — as SVG text, or drawn into a PNG's pixels with a font that has
 * the Chinese glyphs — and bad input or a machine without such a font exits non-zero with the reason.
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

/** A Latin-only font of the base image (fonts-dejavu-core): no Chinese glyph. */
const latinOnly = '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf';

/**
 * The dark modules of the QR code at the top of a PNG label (a square as wide as the label,
 * quiet zone of `margin` modules included), sampled at each module's centre.
 */
function modulesOfPng(png: PNG, size: number, margin: number): boolean[] {
  const scale = (png.width * (labelGeometry.qrSize / labelGeometry.width)) / (size + 2 * margin);
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

  it('writes a vehicle’s PNG label: its QR code the library’s encoding of the scan URL, the plate and the instruction drawn in Chinese into the pixels', async () => {
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
    // The whole label (60 × 80 mm), not the QR code alone.
    expect([png.width, png.height]).toEqual([1200, 1600]);
    expect(jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data).toBe(url);
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
    // Under the QR code, the plate in black and the instruction in red are in the pixels.
    const scale = png.width / labelGeometry.width;
    const rows = (top: number, bottom: number) =>
      png.data.subarray(
        Math.round(top * scale) * png.width * 4,
        Math.round(bottom * scale) * png.width * 4,
      );
    const count = (pixels: Buffer, test: (r: number, g: number, b: number) => boolean) => {
      let n = 0;
      for (let i = 0; i < pixels.length; i += 4)
        if (test(pixels[i]!, pixels[i + 1]!, pixels[i + 2]!)) n++;
      return n;
    };
    expect(count(rows(labelGeometry.textTop, 690), (r, g, b) => r + g + b < 288)).toBeGreaterThan(
      2_000,
    );
    expect(
      count(rows(690, labelGeometry.height), (r, g, b) => r > 120 && g < 80 && b < 80),
    ).toBeGreaterThan(2_000);
  });

  it('exits 1 without writing a PNG when the font cannot draw the label’s Chinese text, and 2 for --font with SVG', async () => {
    expect(existsSync(latinOnly), `${latinOnly} (fonts-dejavu-core)`).toBe(true);
    const out = join(dir, 'no-font');
    const common = [
      '--vehicle',
      'V1',
      '--out',
      out,
      '--base-url',
      base,
      '--key-file',
      keyFile('bureau'),
      '--api',
      api,
    ];
    const latin = await run(['codes', 'print', '--format', 'png', '--font', latinOnly, ...common]);
    expect(latin.code).toBe(1);
    expect(latin.stderr).toMatch(/--font: the font .*DejaVuSans\.ttf has no glyph for 浙/);
    expect(latin.stderr).toMatch(/empty boxes/);
    expect(existsSync(join(out, 'vehicle-V1.png'))).toBe(false);
    const svgWithFont = await run(['codes', 'print', '--font', latinOnly, ...common]);
    expect([svgWithFont.code, svgWithFont.stderr]).toEqual([
      2,
      expect.stringMatching(/--font is for --format png/),
    ]);
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
    expect(r.stdout).toContain('[--format svg|png] [--font <file>]');
    expect(r.stdout).toMatch(/png: 1200 × 1600 px/);
  });
});
