import { describe, expect, it } from 'vitest';
import {
  SourceFormatError,
  decodeEchartsMap,
  decodeRing,
  parseRegisterMapScript,
} from './echartsMapDecode.ts';
import {
  encodeRing,
  encodedPolygonFeature as polygonFeature,
  registerMapScript as script,
} from './echartsMapEncode.ts';

const outer: [number, number][] = [
  [124300, 29300],
  [124340, 29300],
  [124340, 29260],
  [124300, 29260],
  [124300, 29300],
];
const hole: [number, number][] = [
  [124310, 29290],
  [124310, 29270],
  [124330, 29270],
  [124310, 29290],
];

describe('ECharts compressed map decoding', () => {
  it('decodes zigzag deltas from the ring offset back to the encoded points, negative steps included', () => {
    const { encoded, offset } = encodeRing(outer);
    expect(decodeRing(encoded, offset, 'ring', 'offset')).toEqual(outer);
  });

  it('reads the registerMap call out of the UMD wrapper, with a Polygon with a hole and a MultiPolygon', () => {
    const a = encodeRing(outer);
    const b = encodeRing(hole);
    const geoJson = {
      type: 'FeatureCollection',
      features: [
        polygonFeature('331002', '椒江区', [outer, hole]),
        {
          type: 'Feature',
          id: '331083',
          properties: { name: '玉环市' },
          geometry: {
            type: 'MultiPolygon',
            coordinates: [[a.encoded], [b.encoded]],
            encodeOffsets: [[a.offset], [b.offset]],
          },
        },
      ],
      UTF8Encoding: true,
    };
    const { mapName, geoJson: parsed } = parseRegisterMapScript(script(geoJson));
    expect(mapName).toBe('台州');
    const map = decodeEchartsMap(mapName, parsed);
    expect(map.scale).toBe(1024);
    expect(map.features.map((f) => [f.id, f.name])).toEqual([
      ['331002', '椒江区'],
      ['331083', '玉环市'],
    ]);
    expect(map.features[0]?.polygons).toEqual([[outer, hole]]);
    expect(map.features[1]?.polygons).toEqual([[outer], [hole]]);
  });

  it('decodes the same input to the same output every time', () => {
    const text = script({
      type: 'FeatureCollection',
      features: [polygonFeature('331002', '椒江区', [outer, hole])],
      UTF8Encoding: true,
    });
    const once = JSON.stringify(decodeEchartsMap('台州', parseRegisterMapScript(text).geoJson));
    const twice = JSON.stringify(decodeEchartsMap('台州', parseRegisterMapScript(text).geoJson));
    expect(twice).toBe(once);
  });

  it('honours UTF8Scale when the map gives one', () => {
    const map = decodeEchartsMap('x', {
      type: 'FeatureCollection',
      UTF8Encoding: true,
      UTF8Scale: 2048,
      features: [polygonFeature('1', 'x', [outer])],
    });
    expect(map.scale).toBe(2048);
  });

  const base = () => polygonFeature('331002', '椒江区', [outer]);
  const refusals: [string, string, unknown][] = [
    ['uncompressed geometry', 'UTF8Encoding', { type: 'FeatureCollection', features: [base()] }],
    [
      'an odd-length ring',
      'features[0].geometry.coordinates[0]',
      {
        ...fc(base()),
        features: [{ ...base(), geometry: { ...base().geometry, coordinates: ['@@A'] } }],
      },
    ],
    [
      'a character below "@"',
      'features[0].geometry.coordinates[0]',
      {
        ...fc(base()),
        features: [{ ...base(), geometry: { ...base().geometry, coordinates: ['@@ ?'] } }],
      },
    ],
    [
      'a missing offset',
      'features[0].geometry.encodeOffsets',
      {
        ...fc(base()),
        features: [{ ...base(), geometry: { ...base().geometry, encodeOffsets: [] } }],
      },
    ],
    [
      'a fractional offset',
      'features[0].geometry.encodeOffsets[0]',
      {
        ...fc(base()),
        features: [{ ...base(), geometry: { ...base().geometry, encodeOffsets: [[1.5, 2]] } }],
      },
    ],
    [
      'a feature without a name',
      'features[0].properties.name',
      { ...fc(base()), features: [{ ...base(), properties: {} }] },
    ],
  ];
  function fc(feature: unknown) {
    return { type: 'FeatureCollection', UTF8Encoding: true, features: [feature] };
  }
  it.each(refusals)('refuses %s, naming %s', (_what, path, geoJson) => {
    expect(() => decodeEchartsMap('x', geoJson)).toThrow(SourceFormatError);
    expect(() => decodeEchartsMap('x', geoJson)).toThrow(
      new RegExp(`^${path.replace(/[[\].]/g, '\\$&')}: `),
    );
  });

  it('refuses a script without a registerMap call, or with a truncated object', () => {
    expect(() => parseRegisterMapScript('var x = 1;')).toThrow(/no registerMap/);
    expect(() =>
      parseRegisterMapScript('echarts.registerMap(\'台州\', {"type":"FeatureCollection",'),
    ).toThrow(/not closed/);
  });
});
