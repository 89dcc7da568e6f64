import { violationKind } from '@dgt/readmodels';
import type { StatisticsResponse } from './statisticsResponse.ts';

/** The tables of the statistics page, each downloadable as `GET /v1/statistics/<table>.csv`. */
export const statisticsTables = ['daily', 'counties', 'carriers', 'hours', 'segments'] as const;
export type StatisticsTable = (typeof statisticsTables)[number];

type Cell = string | number | null;

/** A byte-order mark first: Excel then reads the file as UTF-8 (county, carrier and segment names are Chinese). */
const BOM = '\uFEFF';

/** RFC 4180 quoting; a text starting with =, +, -, @, tab or CR is prefixed with ' so a spreadsheet never runs it as a formula. */
export function csvCell(value: Cell): string {
  if (value === null) return '';
  let s = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function csv(header: readonly string[], rows: readonly (readonly Cell[])[]): string {
  return BOM + [header.map(csvCell).join(','), ...rows.map((r) => r.map(csvCell).join(','))].join('\r\n') + '\r\n';
}

const hours = Array.from({ length: 24 }, (_, h) => h);
const hourColumn = (h: number): string => `h${String(h).padStart(2, '0')}`;

/** One table of the page as CSV: the same numbers as the JSON, laid out as a spreadsheet wants them (a column per kind, per hour). */
export function statisticsCsv(table: StatisticsTable, body: StatisticsResponse): string {
  switch (table) {
    case 'daily': {
      const kinds = violationKind.options;
      const counts = new Map(body.byDayKind.map((c) => [`${c.day} ${c.kind}`, c.count]));
      return csv(
        ['date', 'total', ...kinds],
        body.window.days.map((day) => {
          const row = kinds.map((k) => counts.get(`${day} ${k}`) ?? 0);
          return [day, row.reduce((n, c) => n + c, 0), ...row];
        }),
      );
    }
    case 'counties':
      return csv(
        ['countyCode', 'county', 'countyEn', 'violations'],
        body.byCounty.available
          ? [...body.byCounty.items.map((c) => [c.code, c.name, c.nameEn, c.count]), [null, '不在各区县内', 'outside every county', body.byCounty.outside], [null, '无位置', 'no position', body.byCounty.unlocated]]
          : [],
      );
    case 'carriers':
      return csv(
        ['rank', 'carrierId', 'carrierName', 'violations'],
        body.byCarrier.map((c, i) => [i + 1, c.carrierId, c.name, c.count]),
      );
    case 'hours':
      return csv(['hour', 'violations'], body.byHour.map((h) => [h.hour, h.count]));
    case 'segments': {
      const segments = new Map<string, { name: string | null; hours: Map<number, number> }>();
      for (const p of body.passagesBySegmentHour) {
        const s = segments.get(p.zoneId) ?? { name: p.zoneName, hours: new Map<number, number>() };
        s.hours.set(p.hour, p.count);
        segments.set(p.zoneId, s);
      }
      return csv(
        ['zoneId', 'segment', 'ladenPassages', ...hours.map(hourColumn)],
        [...segments].map(([zoneId, s]) => {
          const row = hours.map((h) => s.hours.get(h) ?? 0);
          return [zoneId, s.name, row.reduce((n, c) => n + c, 0), ...row];
        }),
      );
    }
    default: {
      const never: never = table;
      throw new Error(`unknown statistics table ${String(never)}`);
    }
  }
}

/** `dgt-statistics-daily-2026-11-03_2026-12-03.csv`: the table and the window's Beijing dates (to exclusive, as asked). */
export function csvFilename(table: StatisticsTable, body: StatisticsResponse): string {
  return `dgt-statistics-${table}-${body.window.from.slice(0, 10)}_${body.window.to.slice(0, 10)}.csv`;
}
