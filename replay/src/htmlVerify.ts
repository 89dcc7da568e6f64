import { escapeHtml as h } from './escapeHtml.ts';
import { dash, table } from './htmlTable.ts';
import type { AsOfSection, OpenAtInstant, VerifySection } from './reportTypes.ts';
import type { ReportLookup } from './reportLookup.ts';

const DIFFERENCE_LIMIT = 500;

export function verifySection(v: VerifySection): string {
  const status = v.differences.length === 0 ? '<p class="ok">Recomputed detections match those recorded live.</p>' : `<p class="bad">${v.differences.length} differences from what was detected live.</p>`;
  const tally = table(
    ['detections of', 'live', 'recomputed', 'identical', 'differences'],
    (['violation', 'advisory'] as const).map((c) => [c === 'violation' ? 'violations' : 'advisories', ...[v.byCategory[c].live, v.byCategory[c].replayed, v.byCategory[c].matched, v.byCategory[c].differences].map((n) => h(n))]),
  );
  const rows = v.differences.slice(0, DIFFERENCE_LIMIT).map((x) => [h(x.kind), h(`${x.category}: ${x.occurrenceKind}`), h(x.type), h(x.vehicleId), dash(x.zoneId), dash(x.liveAt), dash(x.replayAt), `<span class="mono">${dash(x.liveEventId)}<br>${dash(x.replayEventId)}</span>`, h(x.fields.join(', '))]);
  const more = v.differences.length > DIFFERENCE_LIMIT ? `<p class="muted">${v.differences.length - DIFFERENCE_LIMIT} more differences in report.json.</p>` : '';
  return `<h2>Verify against live detections</h2><p>${v.live} live, ${v.replayed} recomputed, ${v.matched} identical.</p>${tally}${status}${table(['difference', 'of', 'type', 'vehicle', 'zone', 'live at', 'replay at', 'live / replay id', 'fields'], rows)}${more}`;
}

export function asOfTable(asOf: AsOfSection, lookup: ReportLookup): string {
  const open = (list: readonly OpenAtInstant[]) => h(list.map((o) => `${o.kind}${o.zoneId ? ` ${o.zoneId}` : ''} since ${o.since}`).join('; ') || '—');
  const rows = asOf.vehicles.map((v) => [
    `${h(lookup.plate(v.vehicleId) ?? '')} <span class="mono">${h(v.vehicleId)}</span>`,
    h(v.lastFix ? `${v.lastFix.lon}, ${v.lastFix.lat} at ${v.lastFix.occurredAt} (${v.lastFix.speedKmh} km/h)` : '—'),
    v.laden ? 'yes' : 'no',
    dash(v.waybillNo),
    dash(v.stoppedSince),
    open(v.openViolations),
    open(v.openAdvisories),
  ]);
  return `<h2>State as of ${h(asOf.at)}</h2>${table(['vehicle', 'last position', 'laden', 'waybill', 'stopped since', 'open violations', 'open advisories'], rows)}`;
}
