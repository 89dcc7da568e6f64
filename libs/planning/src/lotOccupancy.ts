import { beijingHour, nextBeijingHour } from './calendar.ts';
import { hours, type LotRow } from './rows.ts';
import type { Window } from './window.ts';

export function newLot(lotId: string, name: string, capacity: number | null, ring: LotRow['ring'], sinceMs: number, dwellClasses: number): LotRow {
  return {
    lotId,
    name,
    capacity,
    ring,
    withdrawnMs: null,
    laden: 0,
    empty: 0,
    sinceMs,
    vehicleMs: hours(),
    ladenMs: hours(),
    coveredMs: hours(),
    peak: hours(),
    atCapacityMs: 0,
    visits: 0,
    dwellMs: 0,
    dwell: new Array<number>(dwellClasses).fill(0),
  };
}

/**
 * Integrates the lot's counts, as they stood since `sinceMs`, up to `toMs`, hour of day by hour of
 * day, inside the window only. Counts change only at fixes, so between two changes the count is
 * constant and the integral is exact.
 */
export function advanceLot(lot: LotRow, toMs: number, window: Window): void {
  if (toMs <= lot.sinceMs) return;
  const count = lot.laden + lot.empty;
  const full = lot.capacity !== null && count >= lot.capacity;
  let t = Math.max(lot.sinceMs, window.fromMs);
  const end = Math.min(toMs, window.toMs, lot.withdrawnMs ?? Infinity);
  while (t < end) {
    const h = beijingHour(t);
    const e = Math.min(end, nextBeijingHour(t));
    const d = e - t;
    lot.vehicleMs[h] = (lot.vehicleMs[h] as number) + count * d;
    lot.ladenMs[h] = (lot.ladenMs[h] as number) + lot.laden * d;
    lot.coveredMs[h] = (lot.coveredMs[h] as number) + d;
    if (count > (lot.peak[h] as number)) lot.peak[h] = count;
    if (full) lot.atCapacityMs += d;
    t = e;
  }
  lot.sinceMs = toMs;
}

/** After a change at `ms`: the new count is the hour's peak if it is the highest yet. */
export function notePeak(lot: LotRow, ms: number, window: Window): void {
  if (ms < window.fromMs || ms >= window.toMs) return;
  const h = beijingHour(ms);
  const count = lot.laden + lot.empty;
  if (count > (lot.peak[h] as number)) lot.peak[h] = count;
}

/** The dwell class of a visit: the first bound it stays under, else the open-ended last class. */
export function dwellClass(dwellMs: number, boundsS: readonly number[]): number {
  for (let i = 0; i < boundsS.length; i++) if (dwellMs < (boundsS[i] as number) * 1000) return i;
  return boundsS.length;
}
