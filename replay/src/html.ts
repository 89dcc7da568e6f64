import { detectionCatalogue, type Occurrence } from '@dgt/detection';
import { escapeHtml as h } from './escapeHtml.ts';
import type { ReplayReport, VehicleTimeline, VerifySection } from './reportTypes.ts';
import { describeSelection } from './selection.ts';
import { renderSvgMap, trackColours } from './svgMap.ts';

const style = `body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:1100px;color:#222;padding:0 1rem}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #ddd}
table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{border:1px solid #ddd;padding:3px 6px;text-align:left;vertical-align:top}
th{background:#f1f1ec}code,.mono{font-family:ui-monospace,monospace;font-size:12px;word-break:break-all}
.muted{color:#777}.bad{color:#b00020;font-weight:bold}.ok{color:#1b7a3a;font-weight:bold}.swatch{display:inline-block;width:12px;height:12px;margin-right:4px}
.sev-high{color:#b00020;font-weight:bold}.sev-medium{color:#b35c00;font-weight:bold}.sev-low{color:#555}`;

function table(head: string[], rows: string[][]): string {
  if (rows.length === 0) return '<p class="muted">None.</p>';
  return `<table><thead><tr>${head.map((c) => `<th>${h(c)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('\n')}</tbody></table>`;
}

function kv(pairs: [string, unknown][]): string {
  return table(['', ''], pairs.map(([k, v]) => [h(k), `<span class="mono">${h(v === null ? '—' : typeof v === 'object' ? JSON.stringify(v) : v)}</span>`]));
}

function vehicleSection(v: VehicleTimeline, colour: string): string {
  const rows = v.entries.map((e) => [h(e.at), h(e.kind), h(e.type), `<span class="mono">${h(e.eventId)}</span>`, h(e.detail)]);
  return `<h3><span class="swatch" style="background:${colour}"></span>Vehicle ${h(v.vehicleId)}</h3>
<p>${v.fixes} fixes (${v.late} late, ${v.duplicates} duplicates), first ${h(v.firstFixAt ?? '—')}, last ${h(v.lastFixAt ?? '—')}.</p>
${table(['at', 'kind', 'type', 'event id', 'what'], rows)}`;
}

const mono = (ids: readonly string[]) => `<span class="mono">${ids.map(h).join('<br>')}</span>`;
const dash = (v: string | number | null) => h(v ?? '—');

/** What only some kinds have, in one cell: the rule broken, the limit and fastest speed, an interpolated time. */
function particulars(o: Occurrence): string {
  const parts: string[] = [];
  if (o.rule !== null) parts.push(`rule ${o.rule}`);
  if (o.limitKmh !== null) parts.push(`limit ${o.limitKmh} km/h`);
  if (o.maxSpeedKmh !== null) parts.push(`fastest ${o.maxSpeedKmh} km/h`);
  if (o.interpolated) parts.push('interpolated between fixes');
  return h(parts.join('; ') || '—');
}

/** The violations or the advisories table: one row per occurrence, opening paired with closing. */
function occurrenceTable(rows: readonly Occurrence[]): string {
  return table(
    ['id', 'kind', 'severity', 'vehicle', 'zone', 'waybill', 'carrier', 'laden', 'since', 'started', 'ended', 'duration s', 'speed km/h', 'particulars', 'lon, lat', 'detection ids', 'evidence event ids'],
    rows.map((o) => [
      `<span class="mono">${h(o.id)}</span>`, h(detectionCatalogue[o.kind].label.en), `<span class="sev-${o.severity}">${h(o.severity)}</span>`, h(o.vehicleId), dash(o.zoneId), dash(o.waybillNo),
      dash(o.carrierId), o.laden ? 'yes' : 'no', h(o.since), h(o.startedAt), h(o.endedAt ?? 'open'), dash(o.durationS), dash(o.speedKmh), particulars(o),
      h(o.lon === null ? '—' : `${o.lon}, ${o.lat}`), mono(o.detectionIds), mono(o.evidence),
    ]),
  );
}

function verifySection(v: VerifySection): string {
  const status = v.differences.length === 0 ? '<p class="ok">Recomputed detections match those recorded live.</p>' : `<p class="bad">${v.differences.length} differences from what was detected live.</p>`;
  const tally = table(
    ['detections of', 'live', 'recomputed', 'identical', 'differences'],
    (['violation', 'advisory'] as const).map((c) => [c === 'violation' ? 'violations' : 'advisories', ...[v.byCategory[c].live, v.byCategory[c].replayed, v.byCategory[c].matched, v.byCategory[c].differences].map((n) => h(n))]),
  );
  const rows = v.differences.map((x) => [h(x.kind), h(`${x.category}: ${x.occurrenceKind}`), h(x.type), h(x.vehicleId), dash(x.zoneId), dash(x.liveAt), dash(x.replayAt), `<span class="mono">${dash(x.liveEventId)}<br>${dash(x.replayEventId)}</span>`, h(x.fields.join(', '))]);
  return `<h2>Verify against live detections</h2><p>${v.live} live, ${v.replayed} recomputed, ${v.matched} identical.</p>${tally}${status}${table(['difference', 'of', 'type', 'vehicle', 'zone', 'live at', 'replay at', 'live / replay id', 'fields'], rows)}`;
}

/**
 * `report.html`: one self-contained page (inline CSS and SVG, no script, no external URL), every
 * value from the events escaped. Rendered from the report model alone, so it is as reproducible.
 */
export function renderReportHtml(report: ReplayReport): string {
  const d = report.digest;
  const lead = report.selection.resolved.window;
  const parts = [
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">`,
    `<title>dgt replay report — ${h(describeSelection(report.selection.requested))}</title><style>${style}</style></head><body>`,
    `<h1>Replay report</h1><p>${h(describeSelection(report.selection.requested))}</p><p${report.matchedNothing ? ' class="bad"' : ''}>${h(report.message)}</p>`,
    `<h2>Evidence digest</h2>${kv([['SHA-256 of the canonical NDJSON of the events fed', d.sha256], ['events', d.events], ['first store position', d.firstPosition], ['last store position', d.lastPosition]])}`,
    `<p class="muted">Re-check offline: <code>dgt replay --input export.ndjson</code> prints the same digest and writes a byte-identical report.json.</p>`,
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
    `<h2>Map</h2>${renderSvgMap(report)}<p class="muted">Tracks by vehicle colour; red dots: violations; amber rings: advisories (segment passages); green: parking lots; orange areas: chemical parks; red hatched: restricted areas; orange lines: accident-prone segments at their buffer width; dashed: zone versions that ended.</p>`,
    `<h2>Violations</h2><p class="muted">Illegal parking, restricted entries and overspeed (the violation catalogue); started in the window.</p>${occurrenceTable(report.violations)}`,
    `<h2>Advisories</h2><p class="muted">Passages of accident-prone segments, laden or empty: recorded for exposure, never violations.</p>${occurrenceTable(report.advisories)}`,
  ];
  if (report.verify) parts.push(verifySection(report.verify));
  if (report.asOf) {
    const open = (list: typeof report.asOf.vehicles[number]['openViolations']) => h(list.map((o) => `${o.kind}${o.zoneId ? ` ${o.zoneId}` : ''} since ${o.since}`).join('; ') || '—');
    const rows = report.asOf.vehicles.map((v) => [
      h(v.vehicleId), h(v.lastFix ? `${v.lastFix.lon}, ${v.lastFix.lat} at ${v.lastFix.occurredAt} (${v.lastFix.speedKmh} km/h)` : '—'),
      v.laden ? 'yes' : 'no', dash(v.waybillNo), dash(v.stoppedSince), open(v.openViolations), open(v.openAdvisories),
    ]);
    parts.push(`<h2>State as of ${h(report.asOf.at)}</h2>${table(['vehicle', 'last position', 'laden', 'waybill', 'stopped since', 'open violations', 'open advisories'], rows)}`);
  }
  parts.push(`<h2>Timeline per vehicle</h2>${report.vehicles.map((v, i) => vehicleSection(v, trackColours[i % trackColours.length] as string)).join('\n') || '<p class="muted">No vehicle.</p>'}`);
  const rejected = report.rejections.map((r) => [h(r.occurredAt), h(r.type), `<span class="mono">${h(r.eventId)}</span>`, h(r.code), h(r.reason)]);
  const invalid = report.invalidEvents.map((r) => [`<span class="mono">${h(r.eventId ?? '—')}</span>`, h(r.type ?? '—'), h(r.issues.map((i) => `${i.path}: ${i.message}`).join('; '))]);
  parts.push(`<h2>Refused events</h2>${table(['at', 'type', 'event id', 'code', 'reason'], rejected)}<h2>Invalid events</h2>${table(['event id', 'type', 'issues'], invalid)}`);
  parts.push('</body></html>\n');
  return parts.join('\n');
}
