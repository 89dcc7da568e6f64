import type { ReplayReport } from './reportTypes.ts';

const header = ['kind', 'vehicleId', 'zoneId', 'waybillNo', 'carrierId', 'laden', 'since', 'startedAt', 'endedAt', 'durationS', 'lon', 'lat', 'speedKmh', 'detectionIds', 'evidence'];

/** RFC 4180 quoting; a leading =, +, - or @ is neutralised so spreadsheets do not run it as a formula. */
function cell(value: string | number | boolean | null): string {
  if (value === null) return '';
  let s = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** `violations.csv`: one row per violation, evidence event ids separated by spaces. */
export function renderViolationsCsv(report: ReplayReport): string {
  const rows = report.violations.map((v) =>
    [v.kind, v.vehicleId, v.zoneId, v.waybillNo, v.carrierId, v.laden, v.since, v.startedAt, v.endedAt, v.durationS, v.lon, v.lat, v.speedKmh, v.detectionIds.join(' '), v.evidence.join(' ')]
      .map(cell)
      .join(','),
  );
  return [header.join(','), ...rows].join('\r\n') + '\r\n';
}
