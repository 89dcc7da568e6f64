import { describe, expect, it } from 'vitest';
import { ReadModelError } from '../src/errors.ts';
import type { ReadModelStore, Scope } from '../src/port.ts';
import type { StatisticsQuery } from '../src/statistics.ts';
import { advisoryRow, batch, carrierRow, registrationRow, violationRow } from './fixtures.ts';

const ALL: Scope = { carrierId: null };
const A: Scope = { carrierId: 'C-A' };
const B: Scope = { carrierId: 'C-B' };

/** March 2026 in Beijing: a window the rows below sit in, one of them an hour before it. */
const MARCH: Omit<StatisticsQuery, 'scope'> = { from: '2026-03-01T00:00:00+08:00', to: '2026-04-01T00:00:00+08:00' };

const hourCounts = (byHour: readonly { hour: number; count: number }[]) => Object.fromEntries(byHour.filter((h) => h.count > 0).map((h) => [h.hour, h.count]));

/**
 * Part of the ReadModelStore contract: the statistics page's aggregates. Days and hours are
 * Beijing's, whatever offset a row was written with; the window and the scope are the listings'.
 */
export function statisticsContract(fresh: () => Promise<ReadModelStore>): void {
  async function seeded(): Promise<ReadModelStore> {
    const s = await fresh();
    await s.commit(
      batch('1', {
        carriers: [carrierRow('C-A', { name: '台州安达危运' }), carrierRow('C-B', { name: null })],
        violations: [
          // 03-01 23:30 Beijing, and 03-02 00:30 Beijing written in UTC (still 03-01 there).
          violationRow('X-1', { startedAt: '2026-03-01T23:30:00+08:00', lon: 121.4204, lat: 28.6604 }),
          violationRow('X-2', { startedAt: '2026-03-01T16:30:00Z', kind: 'overspeed', lon: 121.4196, lat: 28.6596 }),
          violationRow('X-3', { startedAt: '2026-03-02T08:15:00+08:00', carrierId: 'C-B', vehicleId: 'V-2', lon: 121.1, lat: 28.85 }),
          violationRow('X-4', { startedAt: '2026-03-02T08:45:00+08:00', carrierId: 'C-B', vehicleId: 'V-2', kind: 'restricted-entry', lon: null, lat: null }),
          violationRow('X-5', { startedAt: '2026-03-02T09:00:00+08:00', carrierId: null, vehicleId: 'V-9' }),
          // Before the window: in no count.
          violationRow('X-0', { startedAt: '2026-02-28T23:00:00+08:00' }),
        ],
        advisories: [
          advisoryRow('A-1', { startedAt: '2026-03-01T07:10:00+08:00', zoneId: 'seg-2', zoneName: 'S325 Kuocang pass' }),
          advisoryRow('A-2', { startedAt: '2026-03-01T07:50:00+08:00', zoneId: 'seg-2', zoneName: 'S325 Kuocang pass' }),
          advisoryRow('A-3', { startedAt: '2026-03-03T18:05:00+08:00', zoneId: 'seg-1', zoneName: 'G104 bend', carrierId: 'C-B', vehicleId: 'V-2' }),
          // Not counted: an empty passage, and a laden passage before the window.
          advisoryRow('A-4', { startedAt: '2026-03-01T07:20:00+08:00', zoneId: 'seg-2', laden: false }),
          advisoryRow('A-5', { startedAt: '2026-02-28T07:20:00+08:00', zoneId: 'seg-2' }),
        ],
      }),
    );
    return s;
  }

  describe('statistics', () => {
    it('an empty store has 24 empty hours and no groups', async () => {
      const s = await fresh();
      expect(await s.statistics({ scope: ALL, ...MARCH })).toEqual({
        byDayKind: [],
        byCarrier: [],
        byHour: Array.from({ length: 24 }, (_, hour) => ({ hour, count: 0 })),
        byCell: [],
        unlocated: 0,
        passagesBySegmentHour: [],
      });
    });

    it('counts violations per Beijing day and kind, whatever offset the start was written with', async () => {
      const s = await seeded();
      expect((await s.statistics({ scope: ALL, ...MARCH })).byDayKind).toEqual([
        { day: '2026-03-01', kind: 'illegal-parking', count: 1 },
        { day: '2026-03-02', kind: 'illegal-parking', count: 2 },
        { day: '2026-03-02', kind: 'overspeed', count: 1 },
        { day: '2026-03-02', kind: 'restricted-entry', count: 1 },
      ]);
    });

    it('counts violations per carrier, most first, named from the carrier view, no carrier last', async () => {
      const s = await seeded();
      expect((await s.statistics({ scope: ALL, ...MARCH })).byCarrier).toEqual([
        { carrierId: 'C-A', name: '台州安达危运', count: 2 },
        { carrierId: 'C-B', name: null, count: 2 },
        { carrierId: null, name: null, count: 1 },
      ]);
    });

    it('counts violations per Beijing hour of day, all 24 hours listed', async () => {
      const s = await seeded();
      const { byHour } = await s.statistics({ scope: ALL, ...MARCH });
      expect(byHour.map((h) => h.hour)).toEqual(Array.from({ length: 24 }, (_, h) => h));
      expect(hourCounts(byHour)).toEqual({ 0: 1, 8: 2, 9: 1, 23: 1 });
    });

    it('counts located violations per position cell of a thousandth of a degree, and the unlocated apart', async () => {
      const s = await seeded();
      const { byCell, unlocated } = await s.statistics({ scope: ALL, ...MARCH });
      // are 0.0008° apart but round to the same cell; X-5 has the fixture's 121.42, 28.66.
      expect(byCell).toEqual([
        { lon: 121.1, lat: 28.85, count: 1 },
        { lon: 121.42, lat: 28.66, count: 3 },
      ]);
      expect(unlocated).toBe(1);
    });

    it('counts laden segment passages per segment and Beijing hour; empty passages are not counted', async () => {
      const s = await seeded();
      expect((await s.statistics({ scope: ALL, ...MARCH })).passagesBySegmentHour).toEqual([
        { zoneId: 'seg-1', zoneName: 'G104 bend', hour: 18, count: 1 },
        { zoneId: 'seg-2', zoneName: 'S325 Kuocang pass', hour: 7, count: 2 },
      ]);
    });

    it('reads the window as the listings do: from inclusive, to exclusive', async () => {
      const s = await seeded();
      // X-3 starts exactly at `from`, X-5 exactly at `to`.
      const window = { from: '2026-03-02T08:15:00+08:00', to: '2026-03-02T09:00:00+08:00' };
      const stats = await s.statistics({ scope: ALL, ...window });
      expect(stats.byDayKind).toEqual([
        { day: '2026-03-02', kind: 'illegal-parking', count: 1 },
        { day: '2026-03-02', kind: 'restricted-entry', count: 1 },
      ]);
      const listed = await s.violations({ scope: ALL, ...window, limit: 100 });
      expect(stats.byHour.reduce((n, h) => n + h.count, 0)).toBe(listed.items.length);
    });

    it('gives a carrier its own numbers only, and no other carrier’s name', async () => {
      const s = await seeded();
      const a = await s.statistics({ scope: A, ...MARCH });
      expect(a.byCarrier).toEqual([{ carrierId: 'C-A', name: '台州安达危运', count: 2 }]);
      expect(a.byDayKind).toEqual([
        { day: '2026-03-01', kind: 'illegal-parking', count: 1 },
        { day: '2026-03-02', kind: 'overspeed', count: 1 },
      ]);
      expect(hourCounts(a.byHour)).toEqual({ 0: 1, 23: 1 });
      expect(a.byCell).toEqual([{ lon: 121.42, lat: 28.66, count: 2 }]);
      expect(a.unlocated).toBe(0);
      expect(a.passagesBySegmentHour).toEqual([{ zoneId: 'seg-2', zoneName: 'S325 Kuocang pass', hour: 7, count: 2 }]);
      const b = await s.statistics({ scope: B, ...MARCH });
      expect(b.byCarrier).toEqual([{ carrierId: 'C-B', name: null, count: 2 }]);
      expect(b.unlocated).toBe(1);
      expect(b.passagesBySegmentHour).toEqual([{ zoneId: 'seg-1', zoneName: 'G104 bend', hour: 18, count: 1 }]);
      const none = await s.statistics({ scope: { carrierId: 'C-Z' }, ...MARCH });
      expect([none.byDayKind, none.byCarrier, none.byCell, none.passagesBySegmentHour]).toEqual([[], [], [], []]);
    });

    it('counts a violation for the carrier that owned the vehicle when it started, after a transfer', async () => {
      const s = await fresh();
      await s.commit(batch('1', { violations: [violationRow('X-1', { startedAt: '2026-03-05T10:00:00+08:00' }), violationRow('X-2', { startedAt: '2026-03-20T10:00:00+08:00' })] }));
      await s.commit(batch('2', { registrations: [registrationRow('V-1', '浙J00001', [['C-A', null], ['C-B', '2026-03-10T00:00:00+08:00']])] }));
      expect((await s.statistics({ scope: A, ...MARCH })).byCarrier).toEqual([{ carrierId: 'C-A', name: null, count: 1 }]);
      expect((await s.statistics({ scope: B, ...MARCH })).byCarrier).toEqual([{ carrierId: 'C-B', name: null, count: 1 }]);
    });

    it('refuses an unreadable bound', async () => {
      const s = await fresh();
      const err = await s.statistics({ scope: ALL, from: 'yesterday', to: MARCH.to }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(ReadModelError);
      expect((err as ReadModelError).code).toBe('INVALID_ARGUMENT');
    });
  });
}
