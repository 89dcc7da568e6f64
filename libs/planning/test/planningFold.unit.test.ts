import { describe, expect, it } from 'vitest';
import { candidateAreas, demandCells, lotOccupancy, parsePlanningRows, PlanningFold, segmentExposure } from '../src/index.ts';
import { at, runFold, scenario } from './scenario.ts';


function tables() {
  const { fold } = runFold(scenario());
  const rows = parsePlanningRows(fold.rows());
  return { fold, rows };
}

describe('lot occupancy', () => {
  it('integrates vehicles inside by Beijing hour of day, with peaks, time at capacity and dwell classes', () => {
    const { rows } = tables();
    const [lot] = lotOccupancy(rows.lots, Date.parse(at(120)));
    expect(lot?.lotId).toBe('lot-A');
    expect(lot?.capacity).toBe(1);
    // Everyone has left: nobody inside now.
    expect(lot?.current).toEqual({ laden: 0, empty: 0, total: 0 });
    const hour = (h: number) => lot?.hours[h];
    // 08:00–09:00: V1 all hour, V2 half of it → 1.5 vehicles on average; both at once at the peak.
    expect(hour(8)).toEqual({ hour: 8, meanVehicles: 1.5, meanLaden: 1, peak: 2, observedH: 1 });
    // 09:00–10:00 (observed up to 10:00): V1 until 09:30.
    expect(hour(9)).toEqual({ hour: 9, meanVehicles: 0.5, meanLaden: 0.5, peak: 1, observedH: 1 });
    // Designated at 07:00, but the record's first fix is at 08:00: nothing was observed before it.
    expect(hour(7)).toEqual({ hour: 7, meanVehicles: 0, meanLaden: 0, peak: 0, observedH: 0 });
    expect(hour(10)?.observedH).toBe(0);
    // At least one vehicle (the capacity) from 08:00 to 09:30.
    expect(lot?.hoursAtOrOverCapacity).toBe(1.5);
    expect(lot?.visits).toBe(2);
    expect(lot?.meanDwellMin).toBe(60);
    // V2: 30 min (15 min–1 h); V1: 90 min (1–3 h).
    expect(lot?.dwell.map((d) => d.visits)).toEqual([0, 1, 1, 0, 0, 0]);
    expect(lot?.dwell[1]).toEqual({ fromS: 900, toS: 3600, visits: 1 });
    expect(lot?.peak).toBe(2);
  });

  it('counts the vehicles inside now, laden and empty, while they are there', () => {
    const events = scenario().filter((e) => e.type !== 'VehiclePositionReported' || Date.parse(e.occurredAt) <= Date.parse(at(45)));
    const { fold } = runFold(events);
    const [lot] = lotOccupancy(parsePlanningRows(fold.rows()).lots, Date.parse(at(45)));
    expect(lot?.current).toEqual({ laden: 1, empty: 1, total: 2 });
    expect(lot?.utilisation).toBe(2);
  });
});

describe('parking demand', () => {
  it('aggregates laden stops outside lots on H3 cells at resolutions 7 and 8, long and short apart', () => {
    const { rows } = tables();
    const long8 = demandCells(rows.cells, rows.lots, 'long', 8);
    const short8 = demandCells(rows.cells, rows.lots, 'short', 8);
    // V3 only: V5 was empty, V6 at its origin (loading), V1 inside a lot.
    expect(long8).toHaveLength(1);
    expect(long8[0]).toMatchObject({ res: 8, kind: 'long', stops: 1, vehicles: 1, vehicleHours: 0.35, classes: [{ hazardClass: '3', stops: 1 }] });
    expect(long8[0]?.nearestLot?.lotId).toBe('lot-A');
    expect(long8[0]?.nearestLot?.distanceM).toBeGreaterThan(10_000);
    expect(short8).toHaveLength(1);
    expect(short8[0]).toMatchObject({ stops: 1, vehicleHours: 0.08, classes: [{ hazardClass: '2.1', stops: 1 }] });
    expect(demandCells(rows.cells, rows.lots, 'long', 7)).toHaveLength(1);
    expect(demandCells(rows.cells, rows.lots, 'long', 9)).toHaveLength(0);
  });

  it('ranks candidate areas far from every lot by vehicle-hours per week', () => {
    const { rows } = tables();
    const areas = candidateAreas(rows.cells, rows.lots, { res: 8, weeks: 0.5 });
    expect(areas).toHaveLength(1);
    expect(areas[0]).toMatchObject({ rank: 1, stops: 1, vehicles: 1, vehicleHours: 0.35, vehicleHoursPerWeek: 0.7 });
    // A lot 2 km or nearer takes the area off the list.
    expect(candidateAreas(rows.cells, rows.lots, { res: 8, weeks: 1, minDistanceM: 50_000 })).toHaveLength(0);
  });
});

describe('segment exposure', () => {
  it('counts laden passages by day, hour, week, class and carrier, their speeds inside, and entries in banned hours', () => {
    const { rows } = tables();
    const [seg] = segmentExposure(rows.segments);
    expect(seg).toMatchObject({
      segmentId: 'seg-1',
      ladenPassages: 1,
      emptyPassages: 1,
      ladenPerDay: 1,
      byDay: [{ date: '2026-03-02', passages: 1 }],
      byWeek: [{ week: '2026-03-02', passages: 1 }],
      byClass: [{ hazardClass: '3', passages: 1 }],
      byCarrier: [{ carrierId: 'C8', passages: 1 }],
      bannedHourEntries: 1,
      ladenBannedEntries: 0,
    });
    expect(seg?.byHour[8]).toBe(1);
    expect(seg?.byHour.reduce((s, n) => s + n, 0)).toBe(1);
    // Only V8's fixes inside the 2 km segment (about 12 at 167 m apart), all at 60 km/h; V9 was empty.
    expect(seg?.speed?.fixes).toBeGreaterThanOrEqual(10);
    expect(seg?.speed).toMatchObject({ p50: 60, p85: 60, p95: 60 });
  });
});

describe('restart and windows', () => {
  it('gives the same rows when restarted from its saved changes at any point as when run in one go', () => {
    const events = scenario();
    const whole = runFold(events).fold.rows();
    for (const cut of [10, 40, 120, events.length - 5]) {
      const first = runFold(events.slice(0, cut));
      const saved = first.fold.takeChanges();
      const fold = PlanningFold.restore(saved.rows, saved.vehicles);
      const resumed = runFold(events.slice(cut), fold, first.engine).fold.rows();
      expect(resumed).toEqual(whole);
    }
  });

  it('counts only what happens inside a window, with the state built before it', () => {
    const events = scenario();
    const window = { fromMs: Date.parse(at(30)), toMs: Date.parse(at(60)) };
    const { fold } = runFold(events.filter((e) => Date.parse(e.occurredAt) < window.toMs), new PlanningFold(undefined, window));
    fold.finish(window.toMs);
    const rows = parsePlanningRows(fold.rows());
    const [lot] = lotOccupancy(rows.lots, null);
    // 08:30–09:00: V1 and V2 both inside the whole half hour.
    expect(lot?.hours[8]).toMatchObject({ meanVehicles: 2, observedH: 0.5, peak: 2 });
    expect(lot?.hoursAtOrOverCapacity).toBe(0.5);
    // V3's stop began before the window; V8's passage too.
    expect(rows.cells).toHaveLength(0);
    expect(rows.segments[0]?.ladenPassages).toBe(0);
  });
});
