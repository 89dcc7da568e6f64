import { escapeHtml as h } from './escapeHtml.ts';
import { occurrenceTables } from './htmlOccurrences.ts';
import { partiesSections } from './htmlParties.ts';
import { reportStyle } from './htmlStyle.ts';
import { kv, table } from './htmlTable.ts';
import { timelineSection } from './htmlTimeline.ts';
import { asOfTable, verifySection } from './htmlVerify.ts';
import { lookupOf } from './reportLookup.ts';
import type { ReplayReport } from './reportTypes.ts';
import { DEFAULT_OPERATOR, type RunInfo } from './runInfo.ts';
import { describeSelection } from './selection.ts';
import { renderSvgMap } from './svgMap.ts';

const REFUSED_LIMIT = 300;

function header(report: ReplayReport, run: RunInfo): string {
  const d = report.digest;
  return `<h1>Replay report <span class="muted">回放报告</span></h1><p>${h(describeSelection(report.selection.requested))}</p><p${report.matchedNothing ? ' class="bad"' : ''}>${h(report.message)}</p>
${kv(
  [
    ['operator', run.operator],
    ['run at', run.ranAt ?? 'not given'],
    ['report format', report.format],
    ['evidence digest (SHA-256 of the canonical NDJSON of the events fed)', d.sha256],
    ['events fed', d.events],
    ['store positions', `${d.firstPosition ?? '—'} .. ${d.lastPosition ?? '—'}`],
  ],
)}
<p class="muted small">Operator and run time describe this run: they are in neither report.json nor the digest, which the same events reproduce byte for byte (<code>dgt replay --input export.ndjson</code>).</p>`;
}

/**
 * `report.html`: one self-contained page (inline CSS and SVG, no script, no external URL), every
 * value from the events escaped. Rendered from the report model and the run's operator and time
 * alone. Fits an A4 page width in print; long tables are paged and capped (the rest is counted
 * and stays in report.json and the CSV files).
 */
export function renderReportHtml(report: ReplayReport, run: RunInfo = { operator: DEFAULT_OPERATOR, ranAt: null }): string {
  const lead = report.selection.resolved.window;
  const lookup = lookupOf(report);
  const parts = [
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">`,
    `<title>dgt replay report — ${h(describeSelection(report.selection.requested))}</title><style>${reportStyle}</style></head><body>`,
    header(report, run),
    `<h2>Map</h2><div class="map">${renderSvgMap(report)}</div><p class="muted small">Tracks by vehicle colour; red dots: violations; amber rings: advisories (segment passages); green: parking lots; orange areas: chemical parks; red hatched: restricted areas; orange bands: accident-prone segments at their buffer width. Zone outlines are drawn over the tracks; dashed: zone versions that ended.</p>`,
    `<h2>Violations</h2><p class="muted">Illegal parking, restricted entries and overspeed (the violation catalogue); started in the window.</p>${occurrenceTables(report.violations, 'violation', lookup)}`,
    `<h2>Advisories</h2><p class="muted">Passages of accident-prone segments, laden or empty: recorded for exposure, never violations.</p>${occurrenceTables(report.advisories, 'advisory', lookup)}`,
    partiesSections(report, lookup),
    `<h2>Selection</h2>${kv([
      ['requested', report.selection.requested],
      ['window reported (from inclusive, to exclusive)', { from: lead.from, to: lead.to }],
      ['fed from (the lead-in: sets the state at from, nothing of it reported)', lead.fedFrom],
      ['fed to (the lead-out: ends what was open at to, nothing starting in it reported)', lead.fedTo],
      ['vehicles', report.selection.resolved.vehicles ?? 'every vehicle in the window'],
      ['waybills', report.selection.resolved.waybills ?? 'every waybill'],
      ['vehicles without fixes', report.selection.vehiclesWithoutFixes],
    ])}`,
    `<h2>Thresholds</h2>${kv(Object.entries(report.thresholds))}`,
    `<h2>Counts</h2>${kv(Object.entries(report.counts))}`,
  ];
  if (report.verify) parts.push(verifySection(report.verify));
  if (report.asOf) parts.push(asOfTable(report.asOf, lookup));
  parts.push(timelineSection(report));
  const rejected = report.rejections.slice(0, REFUSED_LIMIT).map((r) => [h(r.occurredAt), h(r.type), `<span class="mono">${h(r.eventId)}</span>`, h(r.code), h(r.reason)]);
  const invalid = report.invalidEvents.slice(0, REFUSED_LIMIT).map((r) => [`<span class="mono">${h(r.eventId ?? '—')}</span>`, h(r.type ?? '—'), h(r.issues.map((i) => `${i.path}: ${i.message}`).join('; '))]);
  const more = (n: number) => (n > REFUSED_LIMIT ? `<p class="muted">${n - REFUSED_LIMIT} more in report.json.</p>` : '');
  parts.push(`<h2>Refused events</h2>${table(['at', 'type', 'event id', 'code', 'reason'], rejected)}${more(report.rejections.length)}`);
  parts.push(`<h2>Invalid events</h2>${table(['event id', 'type', 'issues'], invalid)}${more(report.invalidEvents.length)}`);
  parts.push('</body></html>\n');
  return parts.join('\n');
}
