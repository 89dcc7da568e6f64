// The encoder's side of ECharts' compressed map format, for building test input only: zigzag deltas
// plus 64 as characters, the first point stored as the ring's offset.

export function encodeRing(points: readonly [number, number][]): {
  encoded: string;
  offset: [number, number];
} {
  const offset = points[0] as [number, number];
  let [px, py] = offset;
  let encoded = '';
  for (const [x, y] of points) {
    const dx = x - px;
    const dy = y - py;
    encoded += String.fromCharCode(
      (dx < 0 ? -2 * dx - 1 : 2 * dx) + 64,
      (dy < 0 ? -2 * dy - 1 : 2 * dy) + 64,
    );
    px = x;
    py = y;
  }
  return { encoded, offset: [offset[0], offset[1]] };
}

/** A feature as the package ships it: a Polygon whose rings are given in source units (1/1024°). */
export function encodedPolygonFeature(
  id: string,
  name: string,
  rings: readonly [number, number][][],
) {
  const encoded = rings.map(encodeRing);
  return {
    type: 'Feature',
    id,
    properties: { name, cp: [0, 0], childNum: 1 },
    geometry: {
      type: 'Polygon',
      coordinates: encoded.map((e) => e.encoded),
      encodeOffsets: encoded.map((e) => e.offset),
    },
  };
}

/** The package's UMD wrapper around one registerMap call. */
export function registerMapScript(geoJson: unknown, name = '台州'): string {
  return (
    '(function (root, factory) {factory({}, root.echarts);}(this, function (exports, echarts) {' +
    `echarts.registerMap('${name}', ${JSON.stringify(geoJson)});}));`
  );
}
