import { escapeHtml as h } from './escapeHtml.ts';
import type { ReplayReport, VehicleTimeline } from './reportTypes.ts';
import { describeSelection } from './selection.ts';
import { renderSvgMap, trackColours } from './svgMap.ts';

const style = `body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:1100px;color:#222;padding:0 1rem}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #ddd}
table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{border:1px solid #ddd;padding:3px 6px;text-align:left;vertical-align:top}
th{background:#f1f1ec}code,.mono{font-family:ui-monospace,monospace;font-size:12px;word-break:break-all}
.muted{color:#777}.bad{color:#b00020;font-weight:bold}.ok{color:#1b7a3a;font-weight:bold}.swatch{display:inline-block;width:12px;height:12px;margin-right:4px}`;

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

/**
 * `report.html`: one self-contained page (inline CSS and SVG, no script, no external URL), every
 * value from the events escaped. Rendered from the report model alone, so it is as reproducible.
 */
export function renderReportHtml(report: ReplayReport): string {
  const d = report.digest;
  const violations = report.violations.map((v) => [
    h(v.kind), h(v.vehicleId), h(v.zoneId ?? '—'), h(v.waybillNo ?? '—'), h(v.carrierId ?? '—'), v.laden ? 'yes' : 'no',
    h(v.since), h(v.startedAt), h(v.endedAt ?? 'open'), h(v.durationS ?? '—'), h(v.lon === null ? '—' : `${v.lon}, ${v.lat}`),
    `<span class="mono">${v.detectionIds.map(h).join('<br>')}</span>`, `<span class="mono">${v.evidence.map(h).join('<br>')}</span>`,
  ]);
  const parts = [
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">`,
    `<title>dgt replay report — ${h(describeSelection(report.selection.requested))}</title><style>${style}</style></head><body>`,
    `<h1>Replay report</h1><p>${h(describeSelection(report.selection.requested))}</p><p${report.matchedNothing ? ' class="bad"' : ''}>${h(report.message)}</p>`,
    `<h2>Evidence digest</h2>${kv([['SHA-256 of the canonical NDJSON of the events fed', d.sha256], ['events', d.events], ['first store position', d.firstPosition], ['last store position', d.lastPosition]])}`,
    `<p class="muted">Re-check offline: <code>dgt replay --input export.ndjson</code> prints the same digest and writes a byte-identical report.json.</p>`,
    `<h2>Selection</h2>${kv([
      ['requested', report.selection.requested],
      ['window (from inclusive, to exclusive)', report.selection.resolved.window],
      ['vehicles', report.selection.resolved.vehicles ?? 'every vehicle in the window'],
      ['waybills', report.selection.resolved.waybills ?? 'every waybill'],
      ['vehicles without fixes', report.selection.vehiclesWithoutFixes],
    ])}`,
    `<h2>Thresholds</h2>${kv(Object.entries(report.thresholds))}`,
    `<h2>Counts</h2>${kv(Object.entries(report.counts))}`,
    `<h2>Map</h2>${renderSvgMap(report)}<p class="muted">Tracks by vehicle colour; red dots: violations; green: parking lots; orange: accident-prone segments at their buffer width; dashed: zone versions that ended.</p>`,
    `<h2>Violations</h2>${table(['kind', 'vehicle', 'zone', 'waybill', 'carrier', 'laden', 'since', 'started', 'ended', 'duration s', 'lon, lat', 'detection ids', 'evidence event ids'], violations)}`,
  ];
  if (report.verify) {
    const v = report.verify;
    const status = v.differences.length === 0 ? '<p class="ok">Recomputed detections match those recorded live.</p>' : `<p class="bad">${v.differences.length} differences from what was detected live.</p>`;
    const rows = v.differences.map((x) => [h(x.kind), h(x.type), h(x.vehicleId), h(x.zoneId ?? '—'), h(x.liveAt ?? '—'), h(x.replayAt ?? '—'), `<span class="mono">${h(x.liveEventId ?? '—')}<br>${h(x.replayEventId ?? '—')}</span>`, h(x.fields.join(', '))]);
    parts.push(`<h2>Verify against live detections</h2><p>${v.live} live, ${v.replayed} recomputed, ${v.matched} identical.</p>${status}${table(['difference', 'type', 'vehicle', 'zone', 'live at', 'replay at', 'live / replay id', 'fields'], rows)}`);
  }
  if (report.asOf) {
    const rows = report.asOf.vehicles.map((v) => [
      h(v.vehicleId), h(v.lastFix ? `${v.lastFix.lon}, ${v.lastFix.lat} at ${v.lastFix.occurredAt} (${v.lastFix.speedKmh} km/h)` : '—'),
      v.laden ? 'yes' : 'no', h(v.waybillNo ?? '—'), h(v.stoppedSince ?? '—'),
      h(v.openViolations.map((o) => `${o.kind}${o.zoneId ? ` ${o.zoneId}` : ''}${o.since ? ` since ${o.since}` : ''}`).join('; ') || '—'),
    ]);
    parts.push(`<h2>State as of ${h(report.asOf.at)}</h2>${table(['vehicle', 'last position', 'laden', 'waybill', 'stopped since', 'open violations'], rows)}`);
  }
  parts.push(`<h2>Timeline per vehicle</h2>${report.vehicles.map((v, i) => vehicleSection(v, trackColours[i % trackColours.length] as string)).join('\n') || '<p class="muted">No vehicle.</p>'}`);
  const rejected = report.rejections.map((r) => [h(r.occurredAt), h(r.type), `<span class="mono">${h(r.eventId)}</span>`, h(r.code), h(r.reason)]);
  const invalid = report.invalidEvents.map((r) => [`<span class="mono">${h(r.eventId ?? '—')}</span>`, h(r.type ?? '—'), h(r.issues.map((i) => `${i.path}: ${i.message}`).join('; '))]);
  parts.push(`<h2>Refused events</h2>${table(['at', 'type', 'event id', 'code', 'reason'], rejected)}<h2>Invalid events</h2>${table(['event id', 'type', 'issues'], invalid)}`);
  parts.push('</body></html>\n');
  return parts.join('\n');
}
