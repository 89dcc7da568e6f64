import { escapeHtml as h } from './escapeHtml.ts';
import { byImportance, colourOf, plateHtml } from './htmlParties.ts';
import { table } from './htmlTable.ts';
import type { ReplayReport, VehicleTimeline } from './reportTypes.ts';

/**
 * A few vehicles: every timeline whole (up to ENTRY_LIMIT.few entries each). A fleet: the
 * timelines of the FLEET_TIMELINES vehicles with the most violations, ENTRY_LIMIT.fleet entries
 * each; the vehicles table lists them all and report.json holds every entry.
 */
const FEW_VEHICLES = 5;
const FLEET_TIMELINES = 10;
const ENTRY_LIMIT = { few: 300, fleet: 40 } as const;

function vehicleSection(v: VehicleTimeline, colour: string, limit: number): string {
  const rows = v.entries.slice(0, limit).map((e) => [h(e.at), h(e.kind), h(e.type), `<span class="mono">${h(e.eventId)}</span>`, h(e.detail)]);
  const more = v.entries.length > limit ? `<p class="muted">${v.entries.length - limit} more entries of this vehicle in report.json.</p>` : '';
  return `<h3><span class="swatch" style="background:${colour}"></span>${plateHtml(v.plateNo)} <span class="mono">${h(v.vehicleId)}</span></h3>
<p>${v.fixes} fixes (${v.late} late, ${v.duplicates} duplicates), first ${h(v.firstFixAt ?? '—')}, last ${h(v.lastFixAt ?? '—')}.</p>
${table([{ head: 'at', width: 17 }, { head: 'kind', width: 11 }, { head: 'type', width: 15 }, { head: 'event id', width: 20 }, { head: 'what' }], rows)}${more}`;
}

export function timelineSection(report: ReplayReport): string {
  if (report.vehicles.length === 0) return '<h2>Timeline per vehicle</h2><p class="muted">No vehicle.</p>';
  const colour = colourOf(report);
  const few = report.vehicles.length <= FEW_VEHICLES;
  const shown = few ? report.vehicles : byImportance(report).filter((v) => v.entries.length > 0).slice(0, FLEET_TIMELINES);
  const limit = few ? ENTRY_LIMIT.few : ENTRY_LIMIT.fleet;
  const intro = few
    ? ''
    : `<p class="muted">A fleet report: the timelines of the ${shown.length} vehicles with the most violations, their first ${limit} entries each; every vehicle's timeline is in report.json.</p>`;
  return `<h2>Timeline per vehicle</h2>${intro}${shown.map((v) => vehicleSection(v, colour(v.vehicleId), limit)).join('\n')}`;
}
