import { el, type Child } from '../../element.ts';
import { currentLanguage, t } from '../../i18n/translate.ts';

/*
 * How the planning view writes its figures: numbers in the desk's language (grouping, decimals),
 * hours of the Beijing day, dwell classes, distances; and its tables, where every figure's cell
 * carries the raw value (`data-value`) beside the formatted text, for the tests and for copying.
 */

const formats = new Map<string, Intl.NumberFormat>();

/** `n` with at most `decimals` decimals, in the desk's language. */
export function formatNumber(n: number, decimals = 2): string {
  const key = `${currentLanguage()}|${decimals}`;
  let f = formats.get(key);
  if (f === undefined) {
    f = new Intl.NumberFormat(currentLanguage(), { maximumFractionDigits: decimals });
    formats.set(key, f);
  }
  return f.format(n);
}

/** A share (0.25) as a percentage in the desk's language ("25%"). */
export function formatShare(share: number | null): string {
  return share === null ? '—' : t('planning.percent', { value: formatNumber(share * 100, 1) });
}

/** Metres as kilometres with one decimal ("12.3 公里" / "12.3 km"). */
export function formatKm(metres: number): string {
  return t('planning.km', { km: formatNumber(metres / 1000, 1) });
}

export const hourOfDay = (hour: number): string => t('planning.hourLabel', { hour: String(hour).padStart(2, '0') });
export const dayHours = Array.from({ length: 24 }, (_, h) => h);

/** Seconds as the dwell classes name them: whole hours in hours, else minutes. */
function span(seconds: number): string {
  return seconds % 3600 === 0 ? t('planning.spanHours', { h: seconds / 3600 }) : t('planning.spanMinutes', { m: Math.round(seconds / 60) });
}

/** A dwell class's label: "< 15 分钟", "15 分钟–1 小时", "≥ 24 小时". */
export function dwellLabel(fromS: number, toS: number | null): string {
  if (toS === null) return t('planning.dwellAtLeast', { from: span(fromS) });
  if (fromS === 0) return t('planning.dwellUnder', { to: span(toS) });
  return t('planning.dwellBetween', { from: span(fromS), to: span(toS) });
}

/** The first `n` of a ranked count list, as "3（2）、2.1（1）" / "3 (2), 2.1 (1)"; "—" for none. */
export function topList(items: readonly { readonly label: string; readonly count: number }[], n = 3): string {
  if (items.length === 0) return '—';
  const shown = items.slice(0, n).map((i) => t('planning.countOf', { label: i.label, count: formatNumber(i.count, 0) }));
  const more = items.length > n ? t('planning.more', { count: items.length - n }) : '';
  return shown.join(t('planning.listSeparator')) + more;
}

/** A cell holding a figure: formatted text, raw value in `data-value` (empty for none). */
export function figure(value: number | null, decimals: number, attributes: Record<string, string> = {}, shown?: string): HTMLElement {
  return el('td', { class: 'num', 'data-value': value === null ? '' : String(value), ...attributes }, shown ?? (value === null ? '—' : formatNumber(value, decimals)));
}

/** A table: the columns at `textColumns` hold words, the rest figures (aligned right, as their cells). */
export function planningTable(testid: string, head: readonly string[], textColumns: readonly number[], rows: readonly HTMLElement[]): HTMLElement {
  return el(
    'div',
    { class: 'table-scroll planning-table' },
    el(
      'table',
      { class: 'violations', 'data-testid': testid },
      el('thead', {}, el('tr', {}, ...head.map((h, i) => el('th', { scope: 'col', ...(textColumns.includes(i) ? {} : { class: 'num' }) }, h)))),
      el('tbody', {}, ...rows),
    ),
  );
}

/**
 * A row that can be chosen (the lot or segment the charts show): its first cell is a button, so
 * the keyboard reaches it; the chosen row is marked.
 */
export function choosableRow(attributes: Record<string, string>, label: Child, onChoose: () => void, ...cells: HTMLElement[]): HTMLTableRowElement {
  const button = el('button', { type: 'button', class: 'link-button planning-choose', 'aria-pressed': 'false' }, label);
  const row = el('tr', { class: 'planning-row', ...attributes }, el('td', { class: 'zone' }, button), ...cells);
  button.addEventListener('click', onChoose);
  return row;
}

/** Marks `chosen` among `rows` (the buttons' aria-pressed too). */
export function markChosen(rows: Iterable<HTMLTableRowElement>, chosen: HTMLTableRowElement | null): void {
  for (const row of rows) {
    const on = row === chosen;
    row.classList.toggle('row-selected', on);
    row.querySelector('button.planning-choose')?.setAttribute('aria-pressed', String(on));
  }
}
