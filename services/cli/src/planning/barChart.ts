import { escapeHtml as h } from '@dgt/replay';

/*
 * Bar charts of the planning report as inline SVG: no script, no font, no external request; the
 * SVG scales to the page (viewBox, width 100%). Coordinates are printed with one decimal, so the
 * same figures draw the same bytes.
 */

export interface BarSeries {
  readonly label: string;
  readonly colour: string;
  readonly values: readonly number[];
  /** Share of a slot's width the bar takes (series are drawn over each other, first at the back). */
  readonly width: number;
}

export interface BarChartSpec {
  /** What the chart shows (its accessible name). */
  readonly title: string;
  /** One per slot; drawn every `labelEvery`-th. */
  readonly labels: readonly string[];
  readonly series: readonly BarSeries[];
  /** A horizontal reference line (a lot's capacity). */
  readonly line?: { readonly value: number; readonly label: string; readonly colour: string } | null;
  readonly labelEvery?: number;
  /** Counts: no gridline at a fraction. */
  readonly integer?: boolean;
  readonly width?: number;
  readonly height?: number;
}

const LEFT = 40;
const RIGHT = 12;
const TOP = 14;
const BOTTOM = 30;
const MAX_BAR = 48;

/** A round top for the axis (1, 2 or 5 × 10^k) at or above `max`. */
export function niceMax(max: number): number {
  if (!(max > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(max));
  const m = max / p;
  return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
}

/** A figure as printed on a chart: up to two decimals, no trailing zeros. */
export function chartNumber(n: number): string {
  return String(Math.round(n * 100) / 100);
}

const f = (n: number): string => n.toFixed(1);

export function barChart(spec: BarChartSpec): string {
  const width = spec.width ?? 720;
  const height = spec.height ?? 200;
  const n = spec.labels.length;
  const plotW = width - LEFT - RIGHT;
  const plotH = height - TOP - BOTTOM;
  const values = spec.series.flatMap((s) => s.values);
  const top = niceMax(Math.max(0, ...values, spec.line?.value ?? 0));
  const y = (v: number): number => TOP + plotH - (v / top) * plotH;
  const slot = plotW / Math.max(1, n);
  const out: string[] = [
    `<svg viewBox="0 0 ${width} ${height}" width="100%" preserveAspectRatio="xMidYMid meet" role="img" aria-label="${h(spec.title)}" font-family="system-ui,sans-serif" font-size="11">`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
  ];
  for (const v of [0, top / 2, top]) {
    if (spec.integer && !Number.isInteger(v)) continue;
    out.push(`<line x1="${LEFT}" y1="${f(y(v))}" x2="${width - RIGHT}" y2="${f(y(v))}" stroke="${v === 0 ? '#888' : '#e4e4de'}" stroke-width="1"/>`);
    out.push(`<text x="${LEFT - 4}" y="${f(y(v) + 4)}" text-anchor="end" fill="#555">${chartNumber(v)}</text>`);
  }
  for (const s of spec.series) {
    // A few slots (a short window's weeks) would make slabs of bars: no wider than MAX_BAR.
    const w = Math.min(slot * s.width, MAX_BAR * s.width);
    s.values.forEach((v, i) => {
      if (!(v > 0)) return;
      const x = LEFT + i * slot + (slot - w) / 2;
      out.push(`<rect x="${f(x)}" y="${f(y(v))}" width="${f(Math.max(w, 1))}" height="${f(y(0) - y(v))}" fill="${s.colour}"><title>${h(`${spec.labels[i] ?? ''} ${s.label}: ${chartNumber(v)}`)}</title></rect>`);
    });
  }
  if (spec.line) {
    const ly = f(y(spec.line.value));
    out.push(`<line x1="${LEFT}" y1="${ly}" x2="${width - RIGHT}" y2="${ly}" stroke="${spec.line.colour}" stroke-width="1.5" stroke-dasharray="6 4"/>`);
    out.push(`<text x="${width - RIGHT}" y="${f(y(spec.line.value) - 4)}" text-anchor="end" fill="${spec.line.colour}">${h(spec.line.label)}</text>`);
  }
  const every = Math.max(1, spec.labelEvery ?? 1);
  spec.labels.forEach((label, i) => {
    if (i % every !== 0) return;
    out.push(`<text x="${f(LEFT + i * slot + slot / 2)}" y="${height - BOTTOM + 14}" text-anchor="middle" fill="#555">${h(label)}</text>`);
  });
  out.push('</svg>');
  return out.join('');
}

/** The chart's key, as HTML (swatches and labels), for under the chart. */
export function chartKey(items: readonly { readonly colour: string; readonly label: string; readonly dashed?: boolean }[]): string {
  return `<p class="key small">${items
    .map((i) => (i.dashed ? `<span class="dash" style="border-color:${i.colour}"></span>${h(i.label)}` : `<span class="swatch" style="background:${i.colour}"></span>${h(i.label)}`))
    .join(' ')}</p>`;
}
