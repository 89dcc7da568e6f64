import type { Occurrence } from '@dgt/detection';
import { lookupOf, partiesOf, type ReportLookup } from './reportLookup.ts';
import type { ReplayReport } from './reportTypes.ts';

/** Who and what, joined from the report's register and waybill sections: appended, so existing columns keep their place. */
const partyColumns = ['plateNo', 'carrierName', 'driverId', 'escortId', 'goods', 'zoneName'] as const;

const columns = ['kind', 'severity', 'vehicleId', 'zoneId', 'rule', 'waybillNo', 'carrierId', 'laden', 'since', 'startedAt', 'endedAt', 'durationS', 'lon', 'lat', 'speedKmh', 'limitKmh', 'maxSpeedKmh', 'interpolated', 'detectionIds', 'evidence'] as const;

/** RFC 4180 quoting; a leading =, +, - or @ is neutralised so spreadsheets do not run it as a formula. */
function cell(value: string | number | boolean | null): string {
  if (value === null) return '';
  let s = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function renderCsv(idColumn: string, rows: readonly Occurrence[], lookup: ReportLookup): string {
  const lines = rows.map((o) => {
    const parties = partiesOf(o, lookup);
    return [o.id, ...columns.map((c) => (c === 'detectionIds' || c === 'evidence' ? o[c].join(' ') : o[c])), ...partyColumns.map((c) => parties[c])].map(cell).join(',');
  });
  return [[idColumn, ...columns, ...partyColumns].join(','), ...lines].join('\r\n') + '\r\n';
}

/** `violations.csv`: one row per violation (the catalogue's), event ids separated by spaces. */
export function renderViolationsCsv(report: ReplayReport): string {
  return renderCsv('violationId', report.violations, lookupOf(report));
}

/** `advisories.csv`: one row per advisory (segment passages: recorded, never violations). */
export function renderAdvisoriesCsv(report: ReplayReport): string {
  return renderCsv('advisoryId', report.advisories, lookupOf(report));
}
