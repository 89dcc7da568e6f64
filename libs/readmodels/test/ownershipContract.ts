import { describe, expect, it } from 'vitest';
import { loadCarrierCompliance } from '../src/complianceQuery.ts';
import type { ReadModelStore, Scope } from '../src/port.ts';
import { batch, consignmentRow, registrationRow, violationRow } from './fixtures.ts';

const ALL: Scope = { carrierId: null };
const C1: Scope = { carrierId: 'C001' };
const C2: Scope = { carrierId: 'C002' };

/** V0022 belonged to C002 until T, then to C001 (the transfer of issue #14's finding). */
const T = '2026-03-01T12:00:00+08:00';
const before = (h: number) => new Date(Date.parse(T) - h * 3_600_000).toISOString();
const after = (h: number) => new Date(Date.parse(T) + h * 3_600_000).toISOString();
const transferred = registrationRow('V0022', '浙J·56613', [
  ['C002', null],
  ['C001', T],
]);

/**
 * Part of the ReadModelStore contract: the register (ownership periods) and what it decides, a
 * carrier seeing a vehicle's violations and consignments only for the time it owned it.
 */
export function ownershipContract(fresh: () => Promise<ReadModelStore>, reopen?: (store: ReadModelStore) => Promise<ReadModelStore>): void {
  const vids = async (s: ReadModelStore, scope: Scope, extra: { vehicleId?: string } = {}) => (await s.violations({ scope, limit: 100, ...extra })).items.map((v) => v.violationId).sort();

  describe('the register: ownership periods', () => {
    it('stores a register entry whole and finds it by vehicle and by plate key; a plate change frees the old key', async () => {
      const s = await fresh();
      await s.commit(batch('1', { registrations: [registrationRow('V-1', '浙J·11111', [['C-A', null]])] }));
      expect(await s.registration('V-1')).toEqual(registrationRow('V-1', '浙J·11111', [['C-A', null]]));
      expect((await s.registrationByPlate('浙J·11111'))?.vehicleId).toBe('V-1');
      expect(await s.registration('V-2')).toBeUndefined();
      const replated = { ...registrationRow('V-1', '浙J·22222', [['C-A', null]]) };
      await s.commit(batch('2', { registrations: [replated] }));
      expect(await s.registrationByPlate('浙J·11111')).toBeUndefined();
      expect(await s.registrationByPlate('浙J·22222')).toEqual(replated);
    });

    it('gives each violation of a registered vehicle to its owner when it started, whatever carrier the row named', async () => {
      const s = await fresh();
      await s.commit(
        batch('1', {
          registrations: [transferred],
          violations: [
            violationRow('X-before', { vehicleId: 'V0022', carrierId: 'C001', startedAt: before(2) }),
            violationRow('X-after', { vehicleId: 'V0022', carrierId: 'C002', startedAt: after(2) }),
            violationRow('X-at', { vehicleId: 'V0022', carrierId: null, startedAt: T }),
          ],
        }),
      );
      expect(await vids(s, C2)).toEqual(['X-before']);
      expect(await vids(s, C1)).toEqual(['X-after', 'X-at'].sort());
      expect(await vids(s, ALL, { vehicleId: 'V0022' })).toEqual(['X-after', 'X-at', 'X-before']);
      const rows = (await s.violations({ scope: ALL, limit: 10 })).items;
      expect(Object.fromEntries(rows.map((v) => [v.violationId, v.carrierId]))).toEqual({ 'X-before': 'C002', 'X-at': 'C001', 'X-after': 'C001' });
    });

    it('re-owns the violations already stored when a later commit changes the register (a transfer, a late first registration)', async () => {
      const s = await fresh();
      await s.commit(
        batch('1', {
          violations: [
            violationRow('X-early', { vehicleId: 'V0022', carrierId: 'C009', startedAt: before(5) }),
            violationRow('X-late', { vehicleId: 'V0022', carrierId: 'C009', startedAt: after(5) }),
          ],
        }),
      );
      expect(await vids(s, { carrierId: 'C009' })).toEqual(['X-early', 'X-late']);
      // First registered: owned from the beginning of the record.
      await s.commit(batch('2', { registrations: [registrationRow('V0022', '浙J·56613', [['C002', null]])] }));
      expect(await vids(s, { carrierId: 'C009' })).toEqual([]);
      expect(await vids(s, C2)).toEqual(['X-early', 'X-late']);
      await s.commit(batch('3', { registrations: [transferred] }));
      expect(await vids(s, C2)).toEqual(['X-early']);
      expect(await vids(s, C1)).toEqual(['X-late']);
      expect(await vids(s, C1, { vehicleId: 'V0022' })).toEqual(['X-late']);
    });

    it('counts in a carrier’s compliance only the violations of the time it owned the vehicle', async () => {
      const s = await fresh();
      await s.commit(
        batch('1', {
          registrations: [transferred],
          violations: [
            violationRow('X-c2', { vehicleId: 'V0022', startedAt: before(1), status: 'closed', endedAt: before(0.5), durationS: 1800 }),
            violationRow('X-c1', { vehicleId: 'V0022', startedAt: after(1) }),
          ],
        }),
      );
      const now = after(2);
      const c1 = await loadCarrierCompliance(s, 'C001', C1, now);
      const c2 = await loadCarrierCompliance(s, 'C002', C2, now);
      expect(c1).toMatchObject({ openViolations: 1, last30DaysTotal: 1, vehiclesInViolation: ['V0022'] });
      expect(c2).toMatchObject({ openViolations: 0, last30DaysTotal: 1, vehiclesInViolation: [] });
    });

    it('shows a consignment to a carrier only if assigned to it and it owned the vehicle at assignment', async () => {
      const s = await fresh();
      const assigned = (waybillNo: string, carrierId: string, at: string) =>
        consignmentRow(waybillNo, carrierId, { vehicleId: 'V0022', timeline: { declared: before(10), assigned: at, loaded: null, unloaded: null, closed: null, cancelled: null } });
      await s.commit(
        batch('1', {
          registrations: [transferred],
          consignments: [assigned('W-c2', 'C002', before(3)), assigned('W-c1', 'C001', after(3)), assigned('W-c1-early', 'C001', before(3)), consignmentRow('W-unassigned', null)],
        }),
      );
      expect((await s.consignment('W-c2', C2))?.waybillNo).toBe('W-c2');
      expect(await s.consignment('W-c2', C1)).toBeUndefined();
      expect((await s.consignment('W-c1', C1))?.waybillNo).toBe('W-c1');
      expect(await s.consignment('W-c1', C2)).toBeUndefined();
      // Assigned to C001 on a vehicle C002 owned then: neither carrier sees the other's trip.
      expect(await s.consignment('W-c1-early', C1)).toBeUndefined();
      expect(await s.consignment('W-c1-early', C2)).toBeUndefined();
      expect((await s.consignment('W-c1-early', ALL))?.waybillNo).toBe('W-c1-early');
      expect(await s.consignment('W-unassigned', C1)).toBeUndefined();
    });

    it('removes the register entry of a vehicle no longer registered', async () => {
      const s = await fresh();
      await s.commit(batch('1', { registrations: [transferred] }));
      await s.commit(batch('2', { unregisteredVehicleIds: ['V0022', 'V-never'] }));
      expect(await s.registration('V0022')).toBeUndefined();
      expect(await s.registrationByPlate('浙J·56613')).toBeUndefined();
    });

    it('lists the whole register by vehicleId, with each entry as registration() gives it', async () => {
      const s = await fresh();
      expect(await s.registrations()).toEqual([]);
      const other = registrationRow('V-1', '浙J·11111', [['C-A', null]]);
      await s.commit(batch('1', { registrations: [transferred, other] }));
      expect(await s.registrations()).toEqual([other, transferred].sort((a, b) => (a.vehicleId < b.vehicleId ? -1 : 1)));
      await s.commit(batch('2', { unregisteredVehicleIds: ['V-1'] }));
      expect(await s.registrations()).toEqual([transferred]);
    });

    it('reset drops the register', async () => {
      const s = await fresh();
      await s.commit(batch('1', { registrations: [transferred] }));
      await s.reset();
      expect(await s.registration('V0022')).toBeUndefined();
      expect(await s.registrationByPlate('浙J·56613')).toBeUndefined();
      expect(await s.registrations()).toEqual([]);
    });

    if (reopen !== undefined) {
      it('the register survives closing and reopening', async () => {
        const s = await fresh();
        await s.commit(batch('1', { registrations: [transferred] }));
        const again = await reopen(s);
        try {
          expect(await again.registration('V0022')).toEqual(transferred);
        } finally {
          await again.close();
        }
      });
    }
  });
}
