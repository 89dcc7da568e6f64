import { hexRing } from '@dgt/geo';
import type { CandidateArea, DemandCell, LotOccupancy, SegmentExposure } from './tables.ts';

/*
 * The planning tables as files: CSV (UTF-8 with a byte-order mark, so spreadsheets read the
 * Chinese names; CRLF per RFC 4180) and GeoJSON (WGS-84, RFC 7946). Same rows, same bytes.
 */

type Cell = string | number | boolean | null;

const BOM = '\uFEFF';

/** RFC 4180 quoting; a leading =, +, - or @ is neutralised so spreadsheets do not run it as a formula. */
function csvCell(value: Cell): string {
  if (value === null) return '';
  let s = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function csv(header: readonly string[], rows: readonly (readonly Cell[])[]): string {
  return BOM + [header.map(csvCell).join(','), ...rows.map((r) => r.map(csvCell).join(','))].join('\r\n') + '\r\n';
}

function classList(classes: readonly { hazardClass: string; stops?: number; passages?: number }[]): string {
  return classes.map((c) => `${c.hazardClass}:${c.stops ?? c.passages ?? 0}`).join(' ');
}

export function lotsCsv(lots: readonly LotOccupancy[]): string {
  return csv(
    ['lotId', 'name', 'capacity', 'laden', 'empty', 'total', 'utilisation', 'peak', 'meanVehicles', 'hoursAtOrOverCapacity', 'visits', 'meanDwellMin', 'withdrawn'],
    lots.map((l) => [l.lotId, l.name, l.capacity, l.current.laden, l.current.empty, l.current.total, l.utilisation, l.peak, l.meanVehicles, l.hoursAtOrOverCapacity, l.visits, l.meanDwellMin, l.withdrawn]),
  );
}

export function lotHoursCsv(lots: readonly LotOccupancy[]): string {
  return csv(
    ['lotId', 'hour', 'meanVehicles', 'meanLaden', 'peak', 'observedH'],
    lots.flatMap((l) => l.hours.map((h) => [l.lotId, h.hour, h.meanVehicles, h.meanLaden, h.peak, h.observedH])),
  );
}

export function lotDwellCsv(lots: readonly LotOccupancy[]): string {
  return csv(
    ['lotId', 'fromS', 'toS', 'visits'],
    lots.flatMap((l) => l.dwell.map((d) => [l.lotId, d.fromS, d.toS, d.visits])),
  );
}

export function demandCsv(cells: readonly DemandCell[]): string {
  return csv(
    ['cell', 'res', 'kind', 'lon', 'lat', 'stops', 'vehicles', 'vehicleHours', 'hazardClasses', 'nearestLotId', 'nearestLotM'],
    cells.map((c) => [c.cell, c.res, c.kind, c.centre[0], c.centre[1], c.stops, c.vehicles, c.vehicleHours, classList(c.classes), c.nearestLot?.lotId ?? null, c.nearestLot?.distanceM ?? null]),
  );
}

/** Demand cells as hexagons: a FeatureCollection of Polygons with the cell's figures as properties. */
export function demandGeoJson(cells: readonly DemandCell[]): string {
  return JSON.stringify({
    type: 'FeatureCollection',
    features: cells.map((c) => ({
      type: 'Feature',
      id: c.cell,
      geometry: { type: 'Polygon', coordinates: [hexRing(c.cell)] },
      properties: {
        cell: c.cell,
        res: c.res,
        kind: c.kind,
        stops: c.stops,
        vehicles: c.vehicles,
        vehicleHours: c.vehicleHours,
        hazardClasses: classList(c.classes),
        nearestLotId: c.nearestLot?.lotId ?? null,
        nearestLotM: c.nearestLot?.distanceM ?? null,
      },
    })),
  });
}

export function candidatesCsv(areas: readonly CandidateArea[]): string {
  return csv(
    ['rank', 'lon', 'lat', 'cells', 'stops', 'vehicles', 'vehicleHours', 'vehicleHoursPerWeek', 'hazardClasses', 'nearestLotId', 'nearestLotM'],
    areas.map((a) => [a.rank, a.centre[0], a.centre[1], a.cells.join(' '), a.stops, a.vehicles, a.vehicleHours, a.vehicleHoursPerWeek, classList(a.classes), a.nearestLot?.lotId ?? null, a.nearestLot?.distanceM ?? null]),
  );
}

/** Candidate areas as points at their demand-weighted centre. */
export function candidatesGeoJson(areas: readonly CandidateArea[]): string {
  return JSON.stringify({
    type: 'FeatureCollection',
    features: areas.map((a) => ({
      type: 'Feature',
      id: `candidate-${a.rank}`,
      geometry: { type: 'Point', coordinates: a.centre },
      properties: { rank: a.rank, cells: a.cells.length, stops: a.stops, vehicles: a.vehicles, vehicleHours: a.vehicleHours, vehicleHoursPerWeek: a.vehicleHoursPerWeek, hazardClasses: classList(a.classes), nearestLotId: a.nearestLot?.lotId ?? null, nearestLotM: a.nearestLot?.distanceM ?? null },
    })),
  });
}

export function segmentsCsv(segments: readonly SegmentExposure[]): string {
  return csv(
    ['segmentId', 'name', 'ladenPassages', 'emptyPassages', 'ladenPerDay', 'speedFixes', 'p50Kmh', 'p85Kmh', 'p95Kmh', 'bannedHourEntries', 'ladenBannedEntries', 'hazardClasses', 'carriers', 'withdrawn'],
    segments.map((s) => [
      s.segmentId,
      s.name,
      s.ladenPassages,
      s.emptyPassages,
      s.ladenPerDay,
      s.speed?.fixes ?? 0,
      s.speed?.p50 ?? null,
      s.speed?.p85 ?? null,
      s.speed?.p95 ?? null,
      s.bannedHourEntries,
      s.ladenBannedEntries,
      classList(s.byClass),
      s.byCarrier.map((c) => `${c.carrierId}:${c.passages}`).join(' '),
      s.withdrawn,
    ]),
  );
}

export function segmentHoursCsv(segments: readonly SegmentExposure[]): string {
  return csv(['segmentId', 'hour', 'ladenPassages'], segments.flatMap((s) => s.byHour.map((n, hour) => [s.segmentId, hour, n])));
}

export function segmentDaysCsv(segments: readonly SegmentExposure[]): string {
  return csv(['segmentId', 'date', 'ladenPassages'], segments.flatMap((s) => s.byDay.map((d) => [s.segmentId, d.date, d.passages])));
}

export function segmentWeeksCsv(segments: readonly SegmentExposure[]): string {
  return csv(['segmentId', 'weekOf', 'ladenPassages'], segments.flatMap((s) => s.byWeek.map((w) => [s.segmentId, w.week, w.passages])));
}
