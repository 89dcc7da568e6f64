import type { StatisticsTable, StatisticsView } from '../api/statisticsView.ts';
import type { ViolationKind } from '../api/views.ts';
import { el } from '../element.ts';
import { violationKindLabel, violationKinds } from '../format.ts';
import { currentLanguage, t } from '../i18n/translate.ts';

/*
 * The statistics page's numbers as tables, laid out as the CSV files are (a column per kind, per
 * hour), so what the officer reads here is what the export holds. Every count cell carries
 * `data-count` for the tests.
 */

export const hourLabel = (hour: number): string => t('statistics.hourLabel', { hour: String(hour).padStart(2, '0') });
export const hourLabels = Array.from({ length: 24 }, (_, h) => h);

/** Counts per day for every kind, every day of the window (zeros too). */
export function dailyCounts(s: StatisticsView): Map<ViolationKind, number[]> {
  const index = new Map(s.window.days.map((d, i) => [d, i]));
  const counts = new Map<ViolationKind, number[]>(violationKinds.map((k) => [k, s.window.days.map(() => 0)]));
  for (const c of s.byDayKind) {
    const i = index.get(c.day);
    const row = counts.get(c.kind);
    if (i !== undefined && row !== undefined) row[i] = c.count;
  }
  return counts;
}

export const countyName = (c: { name: string; nameEn: string }): string => (currentLanguage() === 'en' ? c.nameEn : c.name);
export const carrierLabel = (c: { carrierId: string | null; name: string | null }): string => c.name ?? c.carrierId ?? t('statistics.noCarrier');

/** Laden passages per segment: one row per segment, 24 hourly counts, most passages first. */
export function segmentRows(s: StatisticsView): { zoneId: string; name: string; hours: number[]; total: number }[] {
  const rows = new Map<string, { zoneId: string; name: string; hours: number[]; total: number }>();
  for (const p of s.passagesBySegmentHour) {
    const row = rows.get(p.zoneId) ?? { zoneId: p.zoneId, name: p.zoneName ?? p.zoneId, hours: hourLabels.map(() => 0), total: 0 };
    row.hours[p.hour] = p.count;
    row.total += p.count;
    rows.set(p.zoneId, row);
  }
  return [...rows.values()].sort((a, b) => b.total - a.total || (a.zoneId < b.zoneId ? -1 : 1));
}

const num = (count: number, attributes: Record<string, string> = {}): HTMLElement => el('td', { class: 'num', 'data-count': String(count), ...attributes }, String(count));

/** `head`: the column titles; the first `textColumns` hold words, the rest counts (aligned right, as their cells). */
function table(name: StatisticsTable, head: readonly string[], textColumns: number, rows: readonly HTMLElement[]): HTMLElement {
  return el(
    'div',
    { class: `table-scroll statistics-table statistics-table-${name}` },
    el(
      'table',
      { class: 'violations', 'data-testid': `statistics-table-${name}` },
      el('thead', {}, el('tr', {}, ...head.map((h, i) => el('th', { scope: 'col', ...(i < textColumns ? {} : { class: 'num' }) }, h)))),
      el('tbody', {}, ...rows),
    ),
  );
}

/** Newest day first, as the desk's lists are (the CSV keeps the calendar's order). */
export function dailyTable(s: StatisticsView): HTMLElement {
  const counts = dailyCounts(s);
  return table(
    'daily',
    [t('statistics.date'), t('statistics.total'), ...violationKinds.map(violationKindLabel)],
    1,
    s.window.days.map((day, i) => {
      const row = violationKinds.map((k) => counts.get(k)?.[i] ?? 0);
      return el('tr', { 'data-day': day }, el('td', {}, day), num(row.reduce((n, c) => n + c, 0), { 'data-kind': 'total' }), ...row.map((c, k) => num(c, { 'data-kind': violationKinds[k] ?? '' })));
    }).reverse(),
  );
}

export function countiesTable(s: StatisticsView): HTMLElement {
  const c = s.byCounty;
  return table('counties', [t('statistics.county'), t('statistics.violations')], 1, [
    ...c.items.map((county) => el('tr', { 'data-county': county.code }, el('td', {}, countyName(county)), num(county.count))),
    el('tr', { 'data-county': 'outside', class: 'muted' }, el('td', {}, t('statistics.outside')), num(c.outside)),
    el('tr', { 'data-county': 'unlocated', class: 'muted' }, el('td', {}, t('statistics.unlocated')), num(c.unlocated)),
  ]);
}

export function carriersTable(s: StatisticsView): HTMLElement {
  return table(
    'carriers',
    [t('statistics.rank'), t('statistics.carrier'), t('statistics.violations')],
    2,
    s.byCarrier.map((c, i) =>
      el(
        'tr',
        { 'data-carrier': c.carrierId ?? '' },
        el('td', { class: 'num' }, String(i + 1)),
        el('td', {}, carrierLabel(c), c.name !== null && c.carrierId !== null ? el('span', { class: 'muted' }, ` ${c.carrierId}`) : null),
        num(c.count),
      ),
    ),
  );
}

/** The 24 hours across, one row of counts: the pattern reads left to right as on the chart. */
export function hoursTable(s: StatisticsView): HTMLElement {
  return table('hours', [t('statistics.hour'), ...hourLabels.map((h) => String(h).padStart(2, '0'))], 1, [
    el('tr', {}, el('th', { scope: 'row' }, t('statistics.violations')), ...s.byHour.map((h) => num(h.count, { 'data-hour': String(h.hour) }))),
  ]);
}

export function segmentsTable(s: StatisticsView): HTMLElement {
  return table(
    'segments',
    [t('statistics.segment'), t('statistics.total'), ...hourLabels.map((h) => String(h).padStart(2, '0'))],
    1,
    segmentRows(s).map((r) => el('tr', { 'data-zone-id': r.zoneId }, el('td', { class: 'zone' }, r.name), num(r.total, { 'data-hour': 'total' }), ...r.hours.map((c, h) => num(c, { 'data-hour': String(h) })))),
  );
}
