import { escapeHtml } from './escapeHtml.ts';
import { mostImportant } from './occurrenceRank.ts';
import type { ReplayReport } from './reportTypes.ts';

/** Width of the report maps' viewBox (they scale to the page). */
export const WIDTH = 960;
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

/** Track points drawn in all (each vehicle's track thinned evenly to its share): shape, not every fix. */
const DRAWN_TRACK_POINTS = 4_000;
/** Beyond this many vehicles the tracks are drawn as one path per colour, without a title each. */
const TITLED_TRACKS = 100;
/** Markers drawn per category; a fleet's thousands of rings would hide the map (and weigh the page). */
const DRAWN_MARKERS = 300;
/** Beyond this many markers they carry no hover title (each costs ~100 bytes, unseen in print). */
const TITLED_MARKERS = 100;

/** Every n-th point (and the last) so that at most `max` remain. */
function thinned<T>(list: readonly T[], max: number): readonly T[] {
  if (list.length <= max) return list;
  const step = Math.ceil(list.length / max);
  const out = list.filter((_, i) => i % step === 0);
  if ((list.length - 1) % step !== 0) out.push(list[list.length - 1] as T);
  return out;
}

/** A round length (1, 2 or 5 × 10^k metres) about `target` metres long. */
function roundMetres(target: number): number {
  const p = 10 ** Math.floor(Math.log10(target));
  const m = target / p;
  return (m >= 5 ? 5 : m >= 2 ? 2 : 1) * p;
}

/** Scale bar (bottom left) and north arrow (top right) of a map `WIDTH` wide: a printed map must say how far and which way. */
export function furniture(pxPerMetre: number, height: number): string {
  const metres = roundMetres(WIDTH / 5 / pxPerMetre);
  const len = metres * pxPerMetre;
  const label = metres >= 1000 ? `${metres / 1000} km` : `${metres} m`;
  const y = height - 14;
  return [
    `<g font-family="system-ui,sans-serif" font-size="12" fill="#222"><rect x="8" y="${y - 18}" width="${(len + 60).toFixed(1)}" height="26" fill="#fff" fill-opacity="0.8"/>`,
    `<path d="M14 ${y - 5}v5h${len.toFixed(1)}v-5" fill="none" stroke="#222" stroke-width="2"/><text x="${(20 + len).toFixed(1)}" y="${y}">${label}</text></g>`,
    `<g transform="translate(${WIDTH - 24} 10)"><path d="M0 0l8 22l-8 -6l-8 6z" fill="#222"/><text x="0" y="36" text-anchor="middle" font-family="system-ui,sans-serif" font-size="12" fill="#222">N</text></g>`,
  ].join('\n');
}

/**
 * The map as inline SVG: an equirectangular projection around the tracks (or the zones when there
 * is no track). Zone areas and segment bands are laid under the tracks, and their outlines drawn
 * again over them, so a track never hides the zone it crossed; violations (red markers) and
 * advisories (amber rings) on top; a scale bar and a north arrow. No tiles, no external URL: it
 * works offline. The SVG scales to the width of the page (viewBox, width 100%).
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
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${height}" width="100%" preserveAspectRatio="xMidYMid meet" role="img" aria-label="map of the replayed tracks">`,
    // Restricted areas hatched, so they read as "keep out" whatever else overlaps them.
    '<defs><pattern id="restricted" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="8" height="8" fill="#ffd6d6"/><line x1="0" y1="0" x2="0" y2="8" stroke="#d62828" stroke-width="2"/></pattern>' +
      // Markers defined once and placed by <use>: a fleet map has hundreds.
      '<circle id="violation" r="6" fill="#d62828" stroke="#fff" stroke-width="1.5"/><circle id="advisory" r="5" fill="none" stroke="#e09f3e" stroke-width="2.5"/></defs>',
    `<rect width="${WIDTH}" height="${height}" fill="#f7f7f2"/>`,
  ];
  const outlines: string[] = [];
  for (const z of report.zones) {
    for (const v of z.versions) {
      const title = `<title>${escapeHtml(`${z.kind} ${z.zoneId} (${z.name}) from ${v.from} to ${v.to ?? 'now'}`)}</title>`;
      const dash = v.to === null ? '' : ' stroke-dasharray="6 4"';
      const stroke = z.kind === 'restricted-area' ? '#d62828' : z.kind === 'parking-lot' ? '#40916c' : '#c77d00';
      if (v.polygon) {
        out.push(`<polygon points="${pts(v.polygon)}" fill="${polygonFill[z.kind] ?? '#ffe8a3'}" fill-opacity="0.6" stroke="none"/>`);
        outlines.push(`<polygon points="${pts(v.polygon)}" fill="none" stroke="${stroke}" stroke-width="1.5"${dash}>${title}</polygon>`);
      }
      if (v.path) {
        const w = Math.max(4, (2 * (v.bufferM ?? 0) * scale) / M_PER_DEG).toFixed(1);
        out.push(`<polyline points="${pts(v.path)}" fill="none" stroke="#f4a261" stroke-opacity="0.55" stroke-linecap="round" stroke-width="${w}"/>`);
        // Over the track: the band again, see-through, and its centre line, so the segment shows where a track runs along it.
        outlines.push(`<polyline points="${pts(v.path)}" fill="none" stroke="#f4a261" stroke-opacity="0.4" stroke-linecap="round" stroke-width="${w}"${dash}>${title}</polyline>`);
        outlines.push(`<polyline points="${pts(v.path)}" fill="none" stroke="#b35c00" stroke-width="1.2"${dash}/>`);
      }
    }
  }
  const perVehicle = Math.max(2, Math.floor(DRAWN_TRACK_POINTS / Math.max(1, report.vehicles.length)));
  if (report.vehicles.length <= TITLED_TRACKS) {
    report.vehicles.forEach((v, i) => {
      if (v.track.length === 0) return;
      const colour = trackColours[i % trackColours.length] as string;
      out.push(`<polyline points="${pts(thinned(v.track, perVehicle))}" fill="none" stroke="${colour}" stroke-width="2"><title>${escapeHtml(`vehicle ${v.plateNo ?? ''} ${v.vehicleId}`)}</title></polyline>`);
    });
  } else {
    // A fleet: one path per colour, each track a sub-path, no titles — thousands of elements would weigh more than the report.
    const byColour = new Map<string, string[]>();
    report.vehicles.forEach((v, i) => {
      if (v.track.length === 0) return;
      const colour = trackColours[i % trackColours.length] as string;
      const d = thinned(v.track, perVehicle).map((p, k) => `${k === 0 ? 'M' : 'L'}${x(p[0])} ${y(p[1])}`).join('');
      (byColour.get(colour) ?? byColour.set(colour, []).get(colour))?.push(d);
    });
    for (const [colour, d] of byColour) out.push(`<path d="${d.join('')}" fill="none" stroke="${colour}" stroke-width="1.5"/>`);
  }
  out.push(...outlines);
  const titled = report.violations.length + report.advisories.length <= TITLED_MARKERS;
  const label = (o: ReplayReport['violations'][number]) => !titled ? '' : `<title>${escapeHtml(`${o.kind} ${o.vehicleId}${o.zoneId ? ` ${o.zoneId}` : ''} at ${o.startedAt}`)}</title>`;
  for (const { row: a } of mostImportant(report.advisories, DRAWN_MARKERS)) {
    if (a.lon === null || a.lat === null) continue;
    out.push(`<use href="#advisory" x="${x(a.lon)}" y="${y(a.lat)}">${label(a)}</use>`);
  }
  for (const { row: v } of mostImportant(report.violations, DRAWN_MARKERS)) {
    if (v.lon === null || v.lat === null) continue;
    out.push(`<use href="#violation" x="${x(v.lon)}" y="${y(v.lat)}">${label(v)}</use>`);
  }
  const notDrawn = Math.max(0, report.violations.length - DRAWN_MARKERS) + Math.max(0, report.advisories.length - DRAWN_MARKERS);
  if (notDrawn > 0) out.push(`<text x="10" y="20" font-family="system-ui,sans-serif" font-size="12" fill="#b00020">${notDrawn} markers not drawn (the ${DRAWN_MARKERS} most severe of each category are)</text>`);
  out.push(furniture(scale / M_PER_DEG, height));
  out.push('</svg>');
  return out.join('\n');
}
