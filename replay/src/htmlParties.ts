import { escapeHtml as h } from './escapeHtml.ts';
import { dash, pagedTable, table, type Column } from './htmlTable.ts';
import { goodsText, type ReportLookup } from './reportLookup.ts';
import type { ReplayReport, VehicleTimeline, WaybillSummary } from './reportTypes.ts';
import { trackColours } from './svgMap.ts';

/** Rows per printed table and at most this many rows per section in the HTML (the rest: report.json). */
const PAGE_ROWS = 40;
const LIMIT = 200;
const rest = 'every one is in report.json';

/** The vehicle's map colour, by its place in `report.vehicles` (as the map draws it). */
export function colourOf(report: ReplayReport): (vehicleId: string) => string {
  const index = new Map(report.vehicles.map((v, i) => [v.vehicleId, i]));
  return (id) => trackColours[(index.get(id) ?? 0) % trackColours.length] as string;
}

/** Violations and advisories per vehicle, counted once for the vehicles table and the timelines. */
export function occurrenceCounts(report: ReplayReport): Map<string, { violations: number; advisories: number }> {
  const out = new Map<string, { violations: number; advisories: number }>();
  const at = (id: string) => out.get(id) ?? out.set(id, { violations: 0, advisories: 0 }).get(id)!;
  for (const o of report.violations) at(o.vehicleId).violations++;
  for (const o of report.advisories) at(o.vehicleId).advisories++;
  return out;
}

/** Vehicles with the most violations (then advisories) first, then by id: what a reader of a fleet report needs first. */
export function byImportance(report: ReplayReport): VehicleTimeline[] {
  const counts = occurrenceCounts(report);
  const c = (v: VehicleTimeline) => counts.get(v.vehicleId) ?? { violations: 0, advisories: 0 };
  return [...report.vehicles].sort((a, b) => c(b).violations - c(a).violations || c(b).advisories - c(a).advisories || (a.vehicleId < b.vehicleId ? -1 : 1));
}

export const plateHtml = (plateNo: string | null) => (plateNo === null ? '<span class="muted">no plate on record</span>' : `<span class="plate">${h(plateNo)}</span>`);

export function carrierHtml(carrierId: string | null, lookup: ReportLookup): string {
  if (carrierId === null) return '—';
  const name = lookup.carrierName(carrierId);
  return `${name === null ? '<span class="muted">unregistered</span>' : h(name)} <span class="mono">(${h(carrierId)})</span>`;
}

function vehiclesTable(report: ReplayReport, lookup: ReportLookup): string {
  const counts = occurrenceCounts(report);
  const colour = colourOf(report);
  const cols: Column[] = [{ head: 'plate', width: 14 }, { head: 'vehicle id', width: 11 }, { head: 'registered owner', width: 20 }, { head: 'fixes', width: 7 }, { head: 'violations', width: 12 }, { head: 'advisories', width: 12 }, { head: 'first / last fix' }];
  return pagedTable(
    cols,
    byImportance(report),
    (v) => {
      const n = counts.get(v.vehicleId) ?? { violations: 0, advisories: 0 };
      return `<tr><td><span class="swatch" style="background:${colour(v.vehicleId)}"></span>${plateHtml(v.plateNo)}</td><td><span class="mono">${h(v.vehicleId)}</span></td><td>${carrierHtml(v.registeredCarrierId, lookup)}</td><td>${v.fixes}</td><td${n.violations > 0 ? ' class="bad"' : ''}>${n.violations}</td><td>${n.advisories}</td><td class="small">${dash(v.firstFixAt)}<br>${dash(v.lastFixAt)}</td></tr>`;
    },
    { pageRows: PAGE_ROWS, limit: LIMIT, rest },
  );
}

function waybillRow(w: WaybillSummary, lookup: ReportLookup): string {
  const vehicle = w.vehicleId === null ? '—' : `${plateHtml(lookup.plate(w.vehicleId))}<br><span class="mono">${h(w.vehicleId)}</span>`;
  const crew = `<span class="muted">driver id</span> <span class="mono">${dash(w.driverId)}</span><br><span class="muted">escort id</span> <span class="mono">${dash(w.escortId)}</span>`;
  const route = `${dash(w.origin)} → ${dash(w.destination)}<br><span class="muted">consignor id</span> <span class="mono">${dash(w.consignorId)}</span>`;
  return `<tr><td><span class="mono">${h(w.waybillNo)}</span><br>${h(w.status)}</td><td>${h(goodsText(w.goods) || '—')}</td><td>${route}</td><td>${carrierHtml(w.carrierId, lookup)}</td><td>${vehicle}</td><td>${crew}</td></tr>`;
}

function waybillsTable(report: ReplayReport, lookup: ReportLookup): string {
  const cols: Column[] = [{ head: 'waybill, status', width: 14 }, { head: 'goods (UN number, class)', width: 22 }, { head: 'route', width: 18 }, { head: 'carrier', width: 16 }, { head: 'vehicle', width: 13 }, { head: 'driver, escort' }];
  return pagedTable(cols, report.waybills, (w) => waybillRow(w, lookup), { pageRows: PAGE_ROWS, limit: LIMIT, rest });
}

/**
 * Who and what the report is about: vehicles by plate (most violations first), carriers by name,
 * waybills with goods (UN numbers, hazard classes), carrier, vehicle, driver and escort, zones by name.
 */
export function partiesSections(report: ReplayReport, lookup: ReportLookup): string {
  const carriers = table(
    [{ head: 'carrier id', width: 20 }, { head: 'registered name' }, { head: 'licence no.', width: 25 }],
    report.carriers.slice(0, LIMIT).map((c) => [`<span class="mono">${h(c.carrierId)}</span>`, c.name === null ? '<span class="muted">not in the register</span>' : h(c.name), dash(c.licenceNo)]),
  );
  const zones = table(
    [{ head: 'zone id', width: 22 }, { head: 'name' }, { head: 'kind', width: 18 }, { head: 'versions', width: 10 }],
    report.zones.slice(0, LIMIT).map((z) => [`<span class="mono">${h(z.zoneId)}</span>`, h(z.name), h(z.kind), String(z.versions.length)]),
  );
  const more = (n: number) => (n > LIMIT ? `<p class="muted">${n - LIMIT} more not shown here: ${rest}</p>` : '');
  return [
    `<h2>Vehicles</h2><p class="muted">Plates and owners as the register records them (labels: the register is not part of the digested events).</p>${vehiclesTable(report, lookup)}`,
    `<h2>Carriers</h2>${carriers}${more(report.carriers.length)}`,
    `<h2>Waybills</h2><p class="muted">As the consignment events state them; the record holds driver and escort by id only.</p>${waybillsTable(report, lookup)}`,
    `<h2>Zones</h2>${zones}${more(report.zones.length)}`,
  ].join('\n');
}
