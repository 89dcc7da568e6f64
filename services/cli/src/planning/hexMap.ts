import { hexRing, type LonLat } from '@dgt/geo';
import type { CandidateArea, DemandCell } from '@dgt/planning';
import { escapeHtml as h, MAP_WIDTH, mapFurniture } from '@dgt/replay';
import { chartNumber } from './barChart.ts';
import type { LotOutline } from './planningReport.ts';

/*
 * The parking-demand map: H3 hexagons (their rings from @dgt/geo) in an equirectangular
 * projection around what is drawn, coloured by vehicle-hours; the dedicated lots as outlines; the
 * candidate areas' cells outlined and numbered by rank. Inline SVG, no tiles, no external URL.
 */

const MAX_HEIGHT = 640;
const M_PER_DEG = 111_320;
/** Cells drawn at most (the heaviest): the rest are in the CSV and GeoJSON. */
export const DRAWN_CELLS = 3_000;
/** Beyond this many cells they carry no hover title (unseen in print, ~120 bytes each). */
const TITLED_CELLS = 400;
/** Lots named on the map at most, and the characters of a name shown (the whole name is in its title and the tables). */
const NAMED_LOTS = 30;
const LOT_LABEL_CHARS = 12;
/** Candidate areas numbered on the map (the best ranked); every area is outlined and listed in the table. */
export const NUMBERED_CANDIDATES = 10;
const FURNITURE_BAND = 34;

/** Sequential classes, light to dark (ColorBrewer YlOrRd). */
export const demandColours = ['#ffffb2', '#fecc5c', '#fd8d3c', '#f03b20', '#bd0026'] as const;

/**
 * Upper bounds of the colour classes but the last, in vehicle-hours: halving from the heaviest cell,
 * so the few cells that matter most stand out however skewed the demand is.
 */
export function demandBreaks(max: number): number[] {
  return [max / 16, max / 8, max / 4, max / 2];
}

export function demandColour(vehicleHours: number, breaks: readonly number[]): string {
  let i = 0;
  while (i < breaks.length && vehicleHours > (breaks[i] as number)) i++;
  return demandColours[i] as string;
}

/** The key of the colour classes: `≤ 0.02`, `0.02–0.04`, …, `> 0.18` vehicle-hours. */
export function demandKey(breaks: readonly number[]): { colour: string; label: string }[] {
  return demandColours.map((colour, i) => {
    const lo = breaks[i - 1];
    const hi = breaks[i];
    const label = lo === undefined ? `≤ ${chartNumber(hi as number)}` : hi === undefined ? `> ${chartNumber(lo)}` : `${chartNumber(lo)}–${chartNumber(hi)}`;
    return { colour, label };
  });
}

/**
 * `cells`: the long stops, coloured; `shortCells`: the short ones, drawn under them as grey
 * outlines (where trucks wait a while, not yet where they park).
 */
export function renderHexMap(cells: readonly DemandCell[], shortCells: readonly DemandCell[], lots: readonly LotOutline[], candidates: readonly CandidateArea[]): string {
  const drawn = cells.slice(0, DRAWN_CELLS);
  const drawnShort = shortCells.slice(0, DRAWN_CELLS);
  const rings = new Map<string, LonLat[]>([...drawnShort, ...drawn].map((c) => [c.cell, hexRing(c.cell).slice(0, -1)]));
  const points: LonLat[] = [];
  for (const ring of rings.values()) points.push(...ring);
  for (const l of lots) points.push(...l.ring);
  for (const a of candidates) points.push(a.centre);
  if (points.length === 0) return '<p class="muted">没有可画的需求或停车场 No demand and no lots to draw.</p>';
  let minLon = Infinity;
  let maxLon = -Infinity;
  let minLat = Infinity;
  let maxLat = -Infinity;
  for (const [lon, lat] of points) {
    minLon = Math.min(minLon, lon);
    maxLon = Math.max(maxLon, lon);
    minLat = Math.min(minLat, lat);
    maxLat = Math.max(maxLat, lat);
  }
  const padLon = Math.max((maxLon - minLon) * 0.08, 0.005);
  const padLat = Math.max((maxLat - minLat) * 0.08, 0.005);
  const lon0 = minLon - padLon;
  const lat1 = maxLat + padLat;
  const kx = Math.cos((((minLat + maxLat) / 2) * Math.PI) / 180);
  const spanX = (maxLon - minLon + 2 * padLon) * kx;
  const spanY = maxLat - minLat + 2 * padLat;
  const scale = Math.min(MAP_WIDTH / spanX, MAX_HEIGHT / spanY);
  // The scale bar has a band of its own under the map, so it never covers a lot or a cell.
  const height = Math.max(160, Math.round(spanY * scale)) + FURNITURE_BAND;
  const x = (lon: number): string => ((lon - lon0) * kx * scale).toFixed(1);
  const y = (lat: number): string => ((lat1 - lat) * scale).toFixed(1);
  const pts = (ring: readonly LonLat[]): string => ring.map(([lon, lat]) => `${x(lon)},${y(lat)}`).join(' ');

  const out: string[] = [
    `<svg viewBox="0 0 ${MAP_WIDTH} ${height}" width="100%" preserveAspectRatio="xMidYMid meet" role="img" aria-label="parking demand map (long laden stops outside lots)">`,
    `<rect width="${MAP_WIDTH}" height="${height}" fill="#f7f7f2"/>`,
  ];
  const titled = drawn.length + drawnShort.length <= TITLED_CELLS;
  const title = (c: DemandCell): string => (titled ? `<title>${h(`${c.kind} stops ${c.cell}: ${c.stops} stops, ${c.vehicles} vehicles, ${c.vehicleHours} vehicle-hours`)}</title>` : '');
  for (const c of drawnShort) {
    out.push(`<polygon points="${pts(rings.get(c.cell) ?? [])}" fill="#e4e4dc" stroke="#8a8a80" stroke-width="1" stroke-dasharray="3 2">${title(c)}</polygon>`);
  }
  const breaks = demandBreaks(drawn[0]?.vehicleHours ?? 0);
  // Lightest first, so a heavy cell's edge is never under a light one's.
  // A cell a few pixels across (a city's extent at resolution 8) keeps a dark edge, so it shows at all.
  const small = drawn.length > 0 && hexAcrossPx(rings.get(drawn[0]?.cell ?? '') ?? [], x) < 10;
  const edge = small ? 'stroke="#7f0000" stroke-width="0.8"' : 'stroke="#fff" stroke-width="0.6"';
  for (const c of [...drawn].reverse()) {
    out.push(`<polygon points="${pts(rings.get(c.cell) ?? [])}" fill="${demandColour(c.vehicleHours, breaks)}" ${edge}>${title(c)}</polygon>`);
  }
  lots.forEach((l, i) => {
    if (l.ring.length === 0) return;
    const dash = l.withdrawn ? ' stroke-dasharray="5 4"' : '';
    const stroke = l.withdrawn ? '#888' : '#2d6a4f';
    out.push(`<polygon points="${pts(l.ring)}" fill="#b7e4c7" fill-opacity="0.35" stroke="${stroke}" stroke-width="2"${dash}><title>${h(`lot ${l.lotId} ${l.name}${l.withdrawn ? ' (withdrawn)' : ''}`)}</title></polygon>`);
    const xs = l.ring.map((p) => Number(x(p[0])));
    const ys = l.ring.map((p) => Number(y(p[1])));
    const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
    // A lot of a few hundred metres is a speck on a county's map: ringed so it can be found.
    if (x1 - x0 < 8 && y1 - y0 < 8) out.push(`<circle cx="${((x0 + x1) / 2).toFixed(1)}" cy="${((y0 + y1) / 2).toFixed(1)}" r="7" fill="none" stroke="${stroke}" stroke-width="1.5"${dash}/>`);
    const chars = [...l.name];
    const label = chars.length > LOT_LABEL_CHARS ? `${chars.slice(0, LOT_LABEL_CHARS).join('').trimEnd()}…` : l.name;
    if (i < NAMED_LOTS) out.push(`<text x="${(x1 + 9).toFixed(1)}" y="${((y0 + y1) / 2 + 4).toFixed(1)}" font-family="system-ui,sans-serif" font-size="11" fill="${stroke}">${h(label)}</text>`);
  });
  const tops = new Map<number, number>();
  for (const a of candidates) {
    let top = a.centre[1];
    for (const cell of a.cells) {
      const ring = rings.get(cell) ?? hexRing(cell).slice(0, -1);
      for (const p of ring) top = Math.max(top, p[1]);
      out.push(`<polygon points="${pts(ring)}" fill="none" stroke="#1d3557" stroke-width="1.6"/>`);
    }
    tops.set(a.rank, top);
  }
  // The number stands just north of its area, on a short leader to it, so it never hides the cells it names.
  for (const a of candidates.slice(0, NUMBERED_CANDIDATES)) {
    const cx = Number(x(a.centre[0]));
    const cy = Number(y(a.centre[1]));
    const top = Number(y(tops.get(a.rank) ?? a.centre[1]));
    const below = top - 16 < 12;
    const my = below ? cy + 22 : top - 16;
    out.push(
      `<g><title>${h(`candidate ${a.rank}: ${a.vehicleHoursPerWeek} vehicle-hours per week`)}</title><line x1="${cx.toFixed(1)}" y1="${(below ? cy : top).toFixed(1)}" x2="${cx.toFixed(1)}" y2="${my.toFixed(1)}" stroke="#1d3557" stroke-width="1.5"/>` +
        `<circle cx="${cx.toFixed(1)}" cy="${my.toFixed(1)}" r="9" fill="#fff" stroke="#1d3557" stroke-width="2"/>` +
        `<text x="${cx.toFixed(1)}" y="${(my + 4).toFixed(1)}" text-anchor="middle" font-family="system-ui,sans-serif" font-size="11" font-weight="bold" fill="#1d3557">${a.rank}</text></g>`,
    );
  }
  const notDrawn = cells.length - drawn.length + shortCells.length - drawnShort.length;
  if (notDrawn > 0) {
    out.push(`<text x="10" y="20" font-family="system-ui,sans-serif" font-size="12" fill="#b00020">${notDrawn} lighter cells not drawn (the ${DRAWN_CELLS} heaviest of each kind are)</text>`);
  }
  out.push(mapFurniture(scale / M_PER_DEG, height));
  out.push('</svg>');
  return out.join('\n');
}

/** How many pixels a cell's ring spans east to west. */
function hexAcrossPx(ring: readonly LonLat[], x: (lon: number) => string): number {
  const xs = ring.map((p) => Number(x(p[0])));
  return xs.length === 0 ? 0 : Math.max(...xs) - Math.min(...xs);
}
