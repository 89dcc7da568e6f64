import type { DashboardPlace, DashboardRoad } from './routes/dashboard.ts';

/**
 * What the desk draws on its plain background, from a GeoJSON FeatureCollection
 * (seeds/taizhou/roads.json): LineString / MultiLineString features with a `name` are roads, Point
 * features with a `name` (and `nameZh`, `kind` when given) are labelled places. Throws an Error
 * naming the offending feature and field; the caller says which setting it came from.
 */
export function mapContextFromGeoJson(json: unknown): { roads: DashboardRoad[]; places: DashboardPlace[] } {
  const features = (json as { features?: unknown } | null)?.features;
  if (!Array.isArray(features)) throw new Error('features: must be an array (a GeoJSON FeatureCollection)');
  const roads: DashboardRoad[] = [];
  const places: DashboardPlace[] = [];
  features.forEach((feature: unknown, i) => {
    const f = feature as { properties?: { name?: unknown; nameZh?: unknown; kind?: unknown }; geometry?: { type?: unknown; coordinates?: unknown } } | null;
    const name = f?.properties?.name;
    if (typeof name !== 'string' || name.trim() === '') throw new Error(`features[${i}].properties.name: must be a non-empty string`);
    const type = f?.geometry?.type;
    if (type === 'Point') {
      const [lon, lat] = Array.isArray(f?.geometry?.coordinates) ? (f.geometry.coordinates as unknown[]) : [];
      if (typeof lon !== 'number' || typeof lat !== 'number' || !(lon >= -180 && lon <= 180 && lat >= -90 && lat <= 90)) throw new Error(`features[${i}].geometry.coordinates: must be [lon, lat] in WGS-84 degrees`);
      const nameZh = f?.properties?.nameZh;
      const kind = f?.properties?.kind;
      places.push({ name, nameZh: typeof nameZh === 'string' ? nameZh : null, kind: typeof kind === 'string' ? kind : null, lon, lat });
      return;
    }
    const lines = type === 'LineString' ? [f?.geometry?.coordinates] : type === 'MultiLineString' ? (f?.geometry?.coordinates as unknown[]) : null;
    if (!Array.isArray(lines)) throw new Error(`features[${i}].geometry: must be a LineString, MultiLineString or Point`);
    lines.forEach((line, j) => {
      const where = `features[${i}].geometry.coordinates${type === 'MultiLineString' ? `[${j}]` : ''}`;
      if (!Array.isArray(line) || line.length < 2) throw new Error(`${where}: needs at least two positions`);
      const path = line.map((p: unknown, k) => {
        const [lon, lat] = Array.isArray(p) ? (p as unknown[]) : [];
        if (typeof lon !== 'number' || typeof lat !== 'number' || !(lon >= -180 && lon <= 180 && lat >= -90 && lat <= 90)) throw new Error(`${where}[${k}]: must be [lon, lat] in WGS-84 degrees`);
        return [lon, lat] as const;
      });
      roads.push({ name, path });
    });
  });
  return { roads, places };
}
