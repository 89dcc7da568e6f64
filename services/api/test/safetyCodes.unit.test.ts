import { randomBytes } from 'node:crypto';
import type { DgtEvent } from '@dgt/events';
import { productStream, vehicleCodeStream } from '@dgt/eventstore';
import { findLabelFont, labelPng } from '@dgt/labelprint';
import type { FleetVehicle } from '@dgt/readmodels';
import { labelSvg, labelText } from '@dgt/safetycodes';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApiConfig } from '../src/env.ts';
import { scansPerMinutePerIp } from '../src/routes/safetyCodes.ts';
import {
  emptyBatch,
  headersFor,
  startTestApi,
  vehicle,
  type TestApi,
  type TestRole,
} from './apiTestKit.ts';

/*
 * 一企一品一码 (issue #19 item 5): the public scan shows only what the public schema lists, even
 * when the event store and the read models hold more; revoked codes say so (410), forged ones are
 * unknown (404); printing a code needs a key of the right scope.
 */

const secrets = { current: 1, secrets: new Map([[1, new Uint8Array(randomBytes(32))]]) };
let api: TestApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

/** Private values planted in the store and the read models: none may appear in any public answer. */
const privateValues = [
  'W1',
  '浙J-V1',
  'fix-V1',
  'X1',
  '121.42',
  '28.65',
  'C1',
  'SHIPPER-1',
  'Zhang San',
  '13900001111',
  'internal-only',
  'V1',
];

const registered = (
  firmId: string,
  productId: string,
  over: Record<string, unknown> = {},
): DgtEvent =>
  ({
    eventId: `prod-${firmId}-${productId}`,
    type: 'ProductRegistered',
    occurredAt: '2026-03-01T08:00:00+08:00',
    data: {
      firmId,
      productId,
      unNumber: '1203',
      properShippingName: '汽油',
      hazardClass: '3',
      packingGroup: 'II',
      emergencyMeasures: '（通用示例）远离火源，用泡沫、干粉灭火；泄漏时筑堤收容。',
      emergencyPhone: '0576-88881234',
      // Extra fields the register accepted (looseObject) but no scan may show.
      contactPerson: 'Zhang San',
      contactMobile: '13900001111',
      internalNote: 'internal-only',
      ...over,
    },
  }) as DgtEvent;

async function start(
  options: {
    keys?: typeof secrets | null;
    config?: Partial<ApiConfig>;
  } = {},
): Promise<TestApi> {
  api = await startTestApi({
    app: { safetyCodeSecrets: options.keys === undefined ? secrets : options.keys },
    ...(options.config === undefined ? {} : { config: options.config }),
  });
  await api.store.append(productStream('SHIPPER-1'), [registered('SHIPPER-1', 'gasoline')]);
  await api.store.append(productStream('C1'), [
    registered('C1', 'methanol', {
      unNumber: '1230',
      properShippingName: '甲醇',
      sdsUrl: 'https://example.com/sds/methanol.pdf',
    }),
  ]);
  // V1 as a read-model row with fields beyond the fleet view: the scan must drop them too.
  const row = {
    ...vehicle('V1', 'C1', {
      laden: true,
      waybillNo: 'W1',
      goods: [{ unNumber: '1203', name: '汽油', hazardClass: '3', quantityKg: 20_000 }],
      lastFix: {
        eventId: 'fix-V1',
        occurredAt: '2026-03-05T09:54:00Z',
        lon: 121.42,
        lat: 28.65,
        speedKmh: 0,
        headingDeg: null,
      },
      openViolations: [
        { violationId: 'X1', kind: 'illegal-parking', startedAt: '2026-03-05T09:00:00Z' },
      ],
    }),
    driverName: 'Zhang San',
    driverPhone: '13900001111',
  };
  await api.readModels.commit(emptyBatch('2', { vehicles: [row as FleetVehicle] }));
  return api;
}

const get = (url: string, role: TestRole | null = null, remoteAddress = '203.0.113.7') =>
  api!.app.inject({ method: 'GET', url, headers: headersFor(role), remoteAddress });
const codeOf = async (url: string, role: TestRole = 'bureau') =>
  (await get(url, role)).json<{ code: string; path: string }>();

function expectNoPrivateValue(body: string): void {
  for (const value of privateValues) expect(body, value).not.toContain(value);
}

describe('the public scan of a product code', () => {
  it('answers without a key, with exactly the public fields, though the register holds contact person, mobile and notes', async () => {
    await start();
    const { code, path } = await codeOf('/v1/products/C1/methanol/code');
    expect(path).toBe(`/s/${code}`);
    const res = await get(`/v1/public/codes/${code}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      kind: 'product',
      status: 'valid',
      product: {
        name: '甲醇',
        unNumber: '1230',
        hazardClass: '3',
        hazardClassName: '易燃液体',
        packingGroup: 'II',
        emergencyMeasures: '（通用示例）远离火源，用泡沫、干粉灭火；泄漏时筑堤收容。',
        emergencyPhone: '0576-88881234',
        sdsUrl: 'https://example.com/sds/methanol.pdf',
      },
    });
    expectNoPrivateValue(res.body);
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('renders the page in zh-CN with the class label, the measures and a call button, under a CSP without scripts', async () => {
    await start();
    const { code } = await codeOf('/v1/products/C1/methanol/code');
    const res = await get(`/s/${code}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.headers['content-security-policy']).toMatch(/default-src 'none'/);
    expect(res.headers['content-security-policy']).not.toMatch(/script-src/);
    expect(res.body).toContain('<html lang="zh-CN">');
    expect(res.body).toContain('UN 1230');
    expect(res.body).toContain('第 3 类</span> 易燃液体');
    expect(res.body).toContain('<svg class="diamond"');
    expect(res.body).toContain('href="tel:057688881234"');
    expect(res.body).not.toContain('<script');
    expectNoPrivateValue(res.body);
  });
});

describe('the page escapes what firms register', () => {
  it('prints markup in the measures as text, never as a tag', async () => {
    await start();
    await api!.store.append(productStream('C1'), [
      registered('C1', 'odd', {
        emergencyMeasures: '<script>alert(1)</script> & "quotes"',
        properShippingName: '<b>x</b>',
      }),
    ]);
    const { code } = await codeOf('/v1/products/C1/odd/code');
    const page = (await get(`/s/${code}`)).body;
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;');
    expect(page).toContain('&lt;b&gt;x&lt;/b&gt;');
    expect(page).not.toContain('<script');
    expect(page).not.toContain('<b>x');
  });
});

describe('the public scan of a vehicle code', () => {
  it('shows the goods loaded now with the consignor’s emergency measures, and nothing of the vehicle: no position, waybill, plate, violation or driver', async () => {
    await start();
    // The premise: the stores do hold the private fields the answer must leave out.
    expect(await api!.readModels.vehicle('V1', { carrierId: null })).toMatchObject({
      driverName: 'Zhang San',
      waybillNo: 'W1',
      plateNo: '浙J-V1',
    });
    const recorded = [];
    for await (const r of api!.store.readStream(productStream('SHIPPER-1')))
      recorded.push(r.event.data);
    expect(recorded).toEqual([
      expect.objectContaining({ contactPerson: 'Zhang San', internalNote: 'internal-only' }),
    ]);
    const { code } = await codeOf('/v1/vehicles/V1/code');
    const res = await get(`/v1/public/codes/${code}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      kind: 'vehicle',
      status: 'valid',
      loadState: 'loaded',
      goods: [
        {
          name: '汽油',
          unNumber: '1203',
          hazardClass: '3',
          hazardClassName: '易燃液体',
          emergency: {
            emergencyMeasures: '（通用示例）远离火源，用泡沫、干粉灭火；泄漏时筑堤收容。',
            emergencyPhone: '0576-88881234',
            sdsUrl: null,
          },
        },
      ],
    });
    expectNoPrivateValue(res.body);
    const page = await get(`/s/${code}`);
    expect(page.body).toContain('本车当前装载以下危险货物');
    expectNoPrivateValue(page.body);
  });

  it('says an empty vehicle carries nothing registered', async () => {
    await start();
    const { code } = await codeOf('/v1/vehicles/V2/code');
    expect((await get(`/v1/public/codes/${code}`)).json()).toEqual({
      kind: 'vehicle',
      status: 'valid',
      loadState: 'empty',
      goods: [],
    });
  });
});

describe('revoked, forged and limited', () => {
  it('answers 410 in Chinese for a revoked product code, and prints the new one', async () => {
    await start();
    const old = (await codeOf('/v1/products/C1/methanol/code')).code;
    await api!.store.append(productStream('C1'), [
      {
        eventId: 'rev-1',
        type: 'ProductCodeRevoked',
        occurredAt: '2026-03-02T08:00:00+08:00',
        data: { firmId: 'C1', productId: 'methanol', reason: '标签遗失' },
      },
    ]);
    const json = await get(`/v1/public/codes/${old}`);
    expect(json.statusCode).toBe(410);
    expect(json.json()).toEqual({
      status: 'revoked',
      kind: 'product',
      message: expect.stringContaining('此安全码已作废'),
    });
    const page = await get(`/s/${old}`);
    expect(page.statusCode).toBe(410);
    expect(page.body).toContain('此安全码已作废');
    expect(page.body).not.toContain('甲醇');
    const fresh = await get('/v1/products/C1/methanol/code', 'bureau');
    expect(fresh.json()).toMatchObject({ generation: 2 });
    expect(fresh.json<{ code: string }>().code).not.toBe(old);
    expect((await get(`/v1/public/codes/${fresh.json<{ code: string }>().code}`)).statusCode).toBe(
      200,
    );
  });

  it('answers 410 for a vehicle code revoked by VehicleCodeRevoked, and prints the vehicle’s new code, whose scan shows the goods', async () => {
    await start();
    const old = await get('/v1/vehicles/V1/code', 'bureau');
    expect(old.json()).toMatchObject({ vehicleId: 'V1', generation: 1 });
    const oldCode = old.json<{ code: string }>().code;
    expect((await get(`/v1/public/codes/${oldCode}`)).statusCode).toBe(200);
    await api!.store.append(vehicleCodeStream('V1'), [
      {
        eventId: 'vrev-1',
        type: 'VehicleCodeRevoked',
        occurredAt: '2026-03-02T08:00:00+08:00',
        data: { vehicleId: 'V1', reason: '标签被复制' },
      },
    ]);
    const json = await get(`/v1/public/codes/${oldCode}`);
    expect(json.statusCode).toBe(410);
    expect(json.json()).toEqual({
      status: 'revoked',
      kind: 'vehicle',
      message: expect.stringContaining('此安全码已作废'),
    });
    const page = await get(`/s/${oldCode}`);
    expect(page.statusCode).toBe(410);
    expect(page.body).toContain('此安全码已作废');
    expect(page.body).not.toContain('汽油');
    const fresh = await get('/v1/vehicles/V1/code', 'carrier:C1');
    expect(fresh.json()).toMatchObject({ vehicleId: 'V1', generation: 2 });
    const freshCode = fresh.json<{ code: string }>().code;
    expect(freshCode).not.toBe(oldCode);
    const scan = await get(`/v1/public/codes/${freshCode}`);
    expect(scan.statusCode).toBe(200);
    expect(scan.json()).toMatchObject({ kind: 'vehicle', loadState: 'loaded' });
    // Another vehicle's code is untouched by V1's revocation.
    expect(
      (await get(`/v1/public/codes/${(await codeOf('/v1/vehicles/V2/code')).code}`)).statusCode,
    ).toBe(200);
  });

  it('answers 404 for a forged code, an altered one and one signed with another key, alike', async () => {
    await start();
    const { code } = await codeOf('/v1/products/C1/methanol/code');
    const bytes = Buffer.from(code, 'base64url');
    bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 1;
    const altered = bytes.toString('base64url');
    const otherKeyApi = api!;
    api = await startTestApi({
      app: {
        safetyCodeSecrets: { current: 1, secrets: new Map([[1, new Uint8Array(randomBytes(32))]]) },
      },
    });
    await api.store.append(productStream('C1'), [registered('C1', 'methanol')]);
    const foreign = (await codeOf('/v1/products/C1/methanol/code')).code;
    await api.close();
    api = otherKeyApi;
    for (const forged of [
      altered,
      foreign,
      'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
      'not-a-code',
    ]) {
      const res = await get(`/v1/public/codes/${forged}`);
      expect(res.statusCode, forged).toBe(404);
      expect(res.json()).toMatchObject({
        error: { code: 'NOT_FOUND', message: expect.stringContaining('未找到此安全码') },
      });
      expect((await get(`/s/${forged}`)).statusCode).toBe(404);
    }
  });

  it('limits scans per client IP, and another IP still gets through', async () => {
    await start();
    const { code } = await codeOf('/v1/products/C1/methanol/code');
    const statuses: number[] = [];
    for (let i = 0; i <= scansPerMinutePerIp; i++)
      statuses.push((await get(`/s/${code}`, null, '198.51.100.1')).statusCode);
    expect(statuses.slice(0, scansPerMinutePerIp).every((s) => s === 200)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
    expect((await get(`/v1/public/codes/${code}`, null, '198.51.100.1')).statusCode).toBe(429);
    expect((await get(`/v1/public/codes/${code}`, null, '198.51.100.2')).statusCode).toBe(200);
  });

  it('answers 503 when no signing key is configured', async () => {
    await start({ keys: null });
    expect((await get('/v1/public/codes/anything')).statusCode).toBe(503);
    expect((await get('/v1/vehicles/V1/code', 'bureau')).statusCode).toBe(503);
  });
});

describe('printing codes needs a key of the right scope', () => {
  it('gives a vehicle’s code to bureau, enforcement and its owner, hides it from another carrier, refuses no key and ingest', async () => {
    await start();
    const bureau = await get('/v1/vehicles/V1/code', 'bureau');
    expect(bureau.statusCode).toBe(200);
    expect(bureau.json()).toMatchObject({ vehicleId: 'V1', plateNo: '浙J-V1' });
    expect((await get('/v1/vehicles/V1/code', 'enforcement')).json()).toEqual(bureau.json());
    expect((await get('/v1/vehicles/V1/code', 'carrier:C1')).json()).toEqual(bureau.json());
    expect((await get('/v1/vehicles/V1/code', 'carrier:C2')).statusCode).toBe(404);
    expect((await get('/v1/vehicles/V1/code', null)).statusCode).toBe(401);
    expect((await get('/v1/vehicles/V1/code', 'ingest')).statusCode).toBe(403);
  });

  it('gives a vehicle’s label, SVG and PNG, to bureau, enforcement and its owner, hides it from another carrier, refuses no key and ingest', async () => {
    await start();
    for (const label of ['label.svg', 'label.png']) {
      const url = `/v1/vehicles/V1/code/${label}`;
      for (const role of ['bureau', 'enforcement', 'carrier:C1'] as const)
        expect((await get(url, role)).statusCode, `${label} ${role}`).toBe(200);
      expect((await get(url, 'carrier:C2')).statusCode, label).toBe(404);
      expect((await get(url, null)).statusCode, label).toBe(401);
      expect((await get(url, 'ingest')).statusCode, label).toBe(403);
      expect((await get(`/v1/vehicles/V404/code/${label}`, 'bureau')).statusCode, label).toBe(404);
    }
  });

  it('gives a product’s code to its own firm’s key but not another carrier’s, and 404 for an unregistered product', async () => {
    await start();
    expect((await get('/v1/products/C1/methanol/code', 'carrier:C1')).statusCode).toBe(200);
    expect((await get('/v1/products/C1/methanol/code', 'carrier:C2')).statusCode).toBe(404);
    expect((await get('/v1/products/C1/nothing/code', 'bureau')).statusCode).toBe(404);
  });
});

describe('a vehicle’s label from the API', () => {
  const publicBaseUrl = 'https://dgt.example.gov.cn';

  it('is the label `dgt codes print` writes: the same SVG builder, the QR code for the public address, the plate under it, as a download', async () => {
    await start({ config: { publicBaseUrl } });
    const { path } = await codeOf('/v1/vehicles/V1/code');
    const res = await get('/v1/vehicles/V1/code/label.svg', 'carrier:C1');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('image/svg+xml; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="vehicle-V1.svg"');
    expect(res.headers['content-security-policy']).toMatch(/default-src 'none'/);
    expect(res.body).toBe(await labelSvg(`${publicBaseUrl}${path}`, '浙J-V1'));
  });

  it('puts the address the request came to in the QR code when no public address is configured', async () => {
    await start();
    const { path } = await codeOf('/v1/vehicles/V1/code');
    const res = await api!.app.inject({
      method: 'GET',
      url: '/v1/vehicles/V1/code/label.svg',
      headers: { ...headersFor('bureau'), host: 'desk.example.gov.cn:8080' },
    });
    expect(res.body).toBe(await labelSvg(`http://desk.example.gov.cn:8080${path}`, '浙J-V1'));
  });

  it('draws the PNG with the CLI’s rasteriser and a font with Chinese glyphs: the same bytes', async () => {
    await start({ config: { publicBaseUrl } });
    const { path } = await codeOf('/v1/vehicles/V1/code');
    const res = await get('/v1/vehicles/V1/code/label.png', 'bureau');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('image/png');
    expect(res.headers['content-disposition']).toBe('attachment; filename="vehicle-V1.png"');
    const font = await findLabelFont(labelText('浙J-V1'));
    expect(res.rawPayload).toEqual(
      Buffer.from(await labelPng(`${publicBaseUrl}${path}`, '浙J-V1', font)),
    );
  });

  it('answers 503 with the reason for a PNG when the configured font cannot be read, and still gives the SVG', async () => {
    await start({ config: { labelFontFile: '/nonexistent/font.ttc' } });
    const png = await get('/v1/vehicles/V1/code/label.png', 'bureau');
    expect(png.statusCode).toBe(503);
    expect(png.json()).toMatchObject({
      error: {
        code: 'UNAVAILABLE',
        message: expect.stringMatching(
          /cannot read the font \/nonexistent\/font\.ttc.*API_LABEL_FONT/,
        ),
      },
    });
    expect((await get('/v1/vehicles/V1/code/label.svg', 'bureau')).statusCode).toBe(200);
  });
});
