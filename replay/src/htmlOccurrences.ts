import { detectionCatalogue, type Occurrence } from '@dgt/detection';
import { escapeHtml as h } from './escapeHtml.ts';
import { dash, pagedTable, type Column } from './htmlTable.ts';
import { mostImportant } from './occurrenceRank.ts';
import { partiesOf, type ReportLookup } from './reportLookup.ts';

/** Occurrences per printed table (each takes two lines or more), and at most this many in the HTML. */
export const OCCURRENCE_PAGE_ROWS = 25;
export const OCCURRENCE_HTML_LIMIT = { violation: 150, advisory: 60 } as const;

/** What only some kinds have: the rule broken, the limit and fastest speed, an interpolated time. */
function particulars(o: Occurrence): string[] {
  const parts: string[] = [];
  if (o.rule !== null) parts.push(`rule ${o.rule}`);
  if (o.speedKmh !== null) parts.push(`${o.speedKmh} km/h`);
  if (o.limitKmh !== null) parts.push(`limit ${o.limitKmh} km/h`);
  if (o.maxSpeedKmh !== null) parts.push(`fastest ${o.maxSpeedKmh} km/h`);
  if (o.interpolated) parts.push('interpolated between fixes');
  return parts;
}

const columns: Column[] = [
  { head: '#', width: 4 },
  { head: 'what', width: 15 },
  { head: 'vehicle', width: 12 },
  { head: 'carrier, waybill, crew', width: 19 },
  { head: 'goods', width: 16 },
  { head: 'where', width: 15 },
  { head: 'when', width: 19 },
];

// <i> is a muted label, <code> an id (see htmlStyle.ts): short tags, as a fleet report has hundreds of rows.
const line = (label: string, value: string) => `<i>${h(label)}</i> ${value}`;
const code = (v: string | null) => `<code>${dash(v)}</code>`;
/** Six decimals (about 0.1 m) for reading; report.json and the CSV keep the value as computed. */
const coord = (v: number) => String(Number(v.toFixed(6)));

function row(o: Occurrence, n: number, lookup: ReportLookup): string {
  const p = partiesOf(o, lookup);
  const vehicle = `${p.plateNo === null ? '<i>no plate on record</i>' : `<b>${h(p.plateNo)}</b>`}<br>${code(o.vehicleId)}`;
  const carrier = o.carrierId === null ? '—' : `${p.carrierName === null ? '<i>unregistered</i>' : h(p.carrierName)} ${code(o.carrierId)}`;
  const crew = [line('carrier', carrier), line('waybill', code(o.waybillNo)), line('driver id', code(p.driverId)), line('escort id', code(p.escortId))].join('<br>');
  const label = detectionCatalogue[o.kind].label;
  const what = [`${h(label.en)} <i>${h(label.zh)}</i>`, `<span class="sev-${o.severity}">${h(o.severity)}</span> · ${o.laden ? 'laden' : 'empty'}`, ...particulars(o).map(h)].join('<br>');
  const where = [o.zoneId === null ? '' : `${h(p.zoneName ?? '')} ${code(o.zoneId)}`, o.lon === null || o.lat === null ? '' : code(`${coord(o.lon)}, ${coord(o.lat)}`)].filter((x) => x !== '').join('<br>') || '—';
  const when = [line('since', h(o.since)), line('started', h(o.startedAt)), line('ended', h(o.endedAt ?? 'open')), line('duration', o.durationS === null ? '—' : `${o.durationS} s`)].join('<br>');
  const ids = `id <code>${h(o.id)}</code>; detections <code>${o.detectionIds.map(h).join(', ')}</code>; evidence <code>${o.evidence.map(h).join(', ')}</code>`;
  return `<tr><td>${n}</td><td>${what}</td><td>${vehicle}</td><td>${crew}</td><td>${p.goods === null ? '—' : h(p.goods)}</td><td>${where}</td><td>${when}</td></tr><tr><td colspan="${columns.length}" class="ids">${ids}</td></tr>`;
}

/**
 * The violations or the advisories table: one row per occurrence (opening paired with closing),
 * paged for print; beyond the limit, the most severe and longest rows, the rest counted.
 */
export function occurrenceTables(rows: readonly Occurrence[], category: Occurrence['category'], lookup: ReportLookup): string {
  const file = category === 'violation' ? 'violations.csv' : 'advisories.csv';
  const limit = OCCURRENCE_HTML_LIMIT[category];
  const shown = mostImportant(rows, limit);
  const intro = rows.length > limit ? `<p class="muted">${rows.length} in all: the ${limit} most severe (the longest first) are shown here, numbered as in ${file}.</p>` : '';
  return intro + pagedTable(columns, shown, ({ row: o, n }) => row(o, n, lookup), { pageRows: OCCURRENCE_PAGE_ROWS, limit, total: rows.length, rest: `every row is in ${file} and report.json` });
}
