import { escapeHtml } from './escapeHtml.ts';
import type { ReplayReport } from './reportTypes.ts';

const WIDTH = 960;
const MAX_HEIGHT = 640;
const M_PER_DEG = 111_320;
export const trackColours = ['#1f77b4', '#2ca02c', '#9467bd', '#8c564b', '#e377c2', '#17becf', '#bcbd22', '#7f7f7f'];

interface Bounds {
  minLon: number;
  maxLon: number;
  minLat: number;
  maxLat: number;
}

function boundsOf(points: Iterable<readonly [number, number]>): Bounds | null {
  let b: Bounds | null = null;
  for (const [lon, lat] of points) {
    if (b === null) b = { minLon: lon, maxLon: lon, minLat: lat, maxLat: lat };
    else {
      b.minLon = Math.min(b.minLon, lon);
      b.maxLon = Math.max(b.maxLon, lon);
      b.minLat = Math.min(b.minLat, lat);
      b.maxLat = Math.max(b.maxLat, lat);
    }
  }
  return b;
}

function* trackPoints(report: ReplayReport): Iterable<[number, number]> {
  for (const v of report.vehicles) for (const [lon, lat] of v.track) yield [lon, lat];
  for (const v of [...report.violations, ...report.advisories]) if (v.lon !== null && v.lat !== null) yield [v.lon, v.lat];
}

function* zonePoints(report: ReplayReport): Iterable<[number, number]> {
  for (const z of report.zones) for (const v of z.versions) yield* v.polygon ?? v.path ?? [];
}

/** Polygon fill by zone kind: lots green, parks orange, restricted areas red (and hatched: see the pattern). */
const polygonFill: Readonly<Record<string, string>> = { 'parking-lot': '#b7e4c7', 'chemical-park': '#ffe8a3', 'restricted-area': 'url(#restricted)' };

/**
 * The map as inline SVG: an equirectangular projection around the tracks (or the zones when there
 * is no track), zones as polygons or as paths drawn at their buffer width, tracks as polylines,
 * violations as red markers and advisories as amber rings. No tiles, no external URL: it works offline.
 */
export function renderSvgMap(report: ReplayReport): string {
  const b = boundsOf(trackPoints(report)) ?? boundsOf(zonePoints(report));
  if (b === null) return '<p class="muted">No positions to draw.</p>';
  const padLon = Math.max((b.maxLon - b.minLon) * 0.08, 0.002);
  const padLat = Math.max((b.maxLat - b.minLat) * 0.08, 0.002);
  const lon0 = b.minLon - padLon;
  const lat1 = b.maxLat + padLat;
  const kx = Math.cos((((b.minLat + b.maxLat) / 2) * Math.PI) / 180);
  const spanX = (b.maxLon - b.minLon + 2 * padLon) * kx;
  const spanY = b.maxLat - b.minLat + 2 * padLat;
  const scale = Math.min(WIDTH / spanX, MAX_HEIGHT / spanY);
  const height = Math.max(120, Math.round(spanY * scale));
  const x = (lon: number) => ((lon - lon0) * kx * scale).toFixed(1);
  const y = (lat: number) => ((lat1 - lat) * scale).toFixed(1);
  const pts = (list: readonly (readonly [number, number] | readonly [number, number, string])[]) => list.map((p) => `${x(p[0])},${y(p[1])}`).join(' ');
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${height}" width="100%" role="img" aria-label="map of the replayed tracks">`,
    // Restricted areas hatched, so they read as "keep out" whatever else overlaps them.
    '<defs><pattern id="restricted" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="8" height="8" fill="#ffd6d6"/><line x1="0" y1="0" x2="0" y2="8" stroke="#d62828" stroke-width="2"/></pattern></defs>',
    `<rect width="${WIDTH}" height="${height}" fill="#f7f7f2"/>`,
  ];
  for (const z of report.zones) {
    for (const v of z.versions) {
      const title = `<title>${escapeHtml(`${z.kind} ${z.zoneId} (${z.name}) from ${v.from} to ${v.to ?? 'now'}`)}</title>`;
      const dash = v.to === null ? '' : ' stroke-dasharray="6 4"';
      const stroke = z.kind === 'restricted-area' ? '#d62828' : '#40916c';
      if (v.polygon) out.push(`<polygon points="${pts(v.polygon)}" fill="${polygonFill[z.kind] ?? '#ffe8a3'}" fill-opacity="0.6" stroke="${stroke}"${dash}>${title}</polygon>`);
      if (v.path) {
        const w = Math.max(2, (2 * (v.bufferM ?? 0) * scale) / M_PER_DEG);
        out.push(`<polyline points="${pts(v.path)}" fill="none" stroke="#f4a261" stroke-opacity="0.55" stroke-linecap="round" stroke-width="${w.toFixed(1)}"${dash}>${title}</polyline>`);
      }
    }
  }
  report.vehicles.forEach((v, i) => {
    if (v.track.length === 0) return;
    const colour = trackColours[i % trackColours.length] as string;
    out.push(`<polyline points="${pts(v.track)}" fill="none" stroke="${colour}" stroke-width="2"><title>${escapeHtml(`vehicle ${v.vehicleId}`)}</title></polyline>`);
  });
  const label = (o: ReplayReport['violations'][number]) => `<title>${escapeHtml(`${o.kind} ${o.vehicleId}${o.zoneId ? ` ${o.zoneId}` : ''} at ${o.startedAt}`)}</title>`;
  for (const a of report.advisories) {
    if (a.lon === null || a.lat === null) continue;
    out.push(`<circle cx="${x(a.lon)}" cy="${y(a.lat)}" r="5" fill="none" stroke="#e09f3e" stroke-width="2.5">${label(a)}</circle>`);
  }
  for (const v of report.violations) {
    if (v.lon === null || v.lat === null) continue;
    out.push(`<circle cx="${x(v.lon)}" cy="${y(v.lat)}" r="6" fill="#d62828" stroke="#fff" stroke-width="1.5">${label(v)}</circle>`);
  }
  out.push('</svg>');
  return out.join('\n');
}
