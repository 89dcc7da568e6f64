import { escapeHtml as h } from './escapeHtml.ts';

/*
 * Table helpers of report.html. Cells are HTML (already escaped by the caller); heads are text.
 * Widths are percentages of the table, so a fixed-layout table never outgrows its page.
 */

export interface Column {
  head: string;
  /** Percent of the table width; columns without one share the rest. */
  width?: number;
}

const colgroup = (cols: readonly Column[]) => `<colgroup>${cols.map((c) => (c.width === undefined ? '<col>' : `<col style="width:${c.width}%">`)).join('')}</colgroup>`;
const thead = (cols: readonly Column[]) => `<thead><tr>${cols.map((c) => `<th>${h(c.head)}</th>`).join('')}</tr></thead>`;

export const none = '<p class="muted">None.</p>';

export function table(cols: readonly (Column | string)[], rows: readonly string[][], caption = ''): string {
  if (rows.length === 0) return none;
  const c = cols.map((x) => (typeof x === 'string' ? { head: x } : x));
  const body = rows.map((r) => `<tr>${r.map((cell) => `<td>${cell}</td>`).join('')}</tr>`).join('\n');
  return `<table>${caption && `<caption>${h(caption)}</caption>`}${colgroup(c)}${thead(c)}<tbody>${body}</tbody></table>`;
}

/** Name/value rows; values are text (objects as JSON), escaped here. */
export function kv(pairs: readonly [string, unknown][]): string {
  const rows = pairs.map(([k, v]) => `<tr><td>${h(k)}</td><td><span class="mono">${h(v === null ? '—' : typeof v === 'object' ? JSON.stringify(v) : v)}</span></td></tr>`);
  return `<table><colgroup><col style="width:32%"><col></colgroup><tbody>${rows.join('\n')}</tbody></table>`;
}

/**
 * Rows too many to print whole: the first `limit` of them, in tables of `pageRows` (a printed
 * page or so each, its head repeated), and a line saying how many more there are and where.
 * `rowHtml` renders one row as one or more `<tr>`s; each row is its own unbreakable `<tbody>`.
 */
export function pagedTable<T>(
  cols: readonly Column[],
  items: readonly T[],
  rowHtml: (item: T, index: number) => string,
  opts: { pageRows: number; limit: number; rest: string; /** When `items` is already a choice out of more. */ total?: number },
): string {
  if (items.length === 0) return none;
  const shown = items.slice(0, opts.limit);
  const total = opts.total ?? items.length;
  const parts: string[] = [];
  for (let start = 0; start < shown.length; start += opts.pageRows) {
    const page = shown.slice(start, start + opts.pageRows);
    const caption = shown.length > opts.pageRows ? `<caption>${start + 1}–${start + page.length} of the ${shown.length} shown</caption>` : '';
    parts.push(`<table>${caption}${colgroup(cols)}${thead(cols)}${page.map((item, i) => `<tbody class="row">${rowHtml(item, start + i)}</tbody>`).join('\n')}</table>`);
  }
  if (total > shown.length) parts.push(`<p class="muted">${total - shown.length} more not shown here: ${h(opts.rest)}</p>`);
  return parts.join('\n');
}

export const mono = (ids: readonly string[]) => `<span class="mono">${ids.map(h).join('<br>')}</span>`;
export const dash = (v: string | number | null) => h(v ?? '—');
