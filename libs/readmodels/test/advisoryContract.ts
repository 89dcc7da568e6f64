import { describe, expect, it } from 'vitest';
import { ReadModelError } from '../src/errors.ts';
import type { ReadModelStore, Scope } from '../src/port.ts';
import { advisoryRow, batch, registrationRow, violationRow } from './fixtures.ts';

const ALL: Scope = { carrierId: null };

/**
 * Part of the ReadModelStore contract: advisories (segment passages) are a listing of their own,
 * kept, scoped, owned and paged like violations, and never mixed with them.
 */
export function advisoryContract(fresh: () => Promise<ReadModelStore>): void {
  const aids = async (s: ReadModelStore, query: Partial<Parameters<ReadModelStore['advisories']>[0]> = {}) =>
    (await s.advisories({ scope: ALL, limit: 100, ...query })).items.map((a) => a.advisoryId);

  describe('advisories', () => {
    it('lists advisories apart from violations: neither listing shows the other', async () => {
      const s = await fresh();
      await s.commit(batch('1', { violations: [violationRow('X-1')], advisories: [advisoryRow('A-1'), advisoryRow('A-2', { laden: false })] }));
      expect((await aids(s)).sort()).toEqual(['A-1', 'A-2']);
      expect((await s.violations({ scope: ALL, limit: 100 })).items.map((v) => v.violationId)).toEqual(['X-1']);
      expect(await s.sizes()).toMatchObject({ violations: 1, openViolations: 1, advisories: 2, openAdvisories: 2 });
    });

    it('filters by kind, status, carrier, vehicle and start window, newest first, and applies the scope', async () => {
      const s = await fresh();
      await s.commit(
        batch('1', {
          advisories: [
            advisoryRow('A-1', { startedAt: '2026-03-01T08:00:00+08:00', carrierId: 'C-A', vehicleId: 'V-1' }),
            advisoryRow('A-2', { startedAt: '2026-03-01T09:00:00+08:00', carrierId: 'C-B', vehicleId: 'V-2', status: 'closed', endedAt: '2026-03-01T09:05:00+08:00', durationS: 300 }),
            advisoryRow('A-3', { startedAt: '2026-03-01T10:00:00+08:00', carrierId: 'C-A', vehicleId: 'V-3', laden: false }),
          ],
        }),
      );
      expect(await aids(s)).toEqual(['A-3', 'A-2', 'A-1']);
      expect(await aids(s, { kind: 'segment-passage', status: 'open' })).toEqual(['A-3', 'A-1']);
      expect(await aids(s, { carrierId: 'C-A', vehicleId: 'V-1' })).toEqual(['A-1']);
      expect(await aids(s, { from: '2026-03-01T09:00:00+08:00', to: '2026-03-01T10:00:00+08:00' })).toEqual(['A-2']);
      expect(await aids(s, { scope: { carrierId: 'C-B' } })).toEqual(['A-2']);
      expect(await aids(s, { scope: { carrierId: 'C-B' }, carrierId: 'C-A' })).toEqual([]);
    });

    it('pages with cursors of its own: an advisories cursor is refused by violations, and the other way round', async () => {
      const s = await fresh();
      const rows = Array.from({ length: 5 }, (_, i) => advisoryRow(`A-${i}`, { startedAt: `2026-03-01T0${i}:00:00Z` }));
      await s.commit(batch('1', { advisories: rows, violations: [violationRow('X-1'), violationRow('X-2')] }));
      const first = await s.advisories({ scope: ALL, limit: 2 });
      const second = await s.advisories({ scope: ALL, limit: 10, cursor: first.nextCursor! });
      expect([...first.items, ...second.items].map((a) => a.advisoryId)).toEqual(['A-4', 'A-3', 'A-2', 'A-1', 'A-0']);
      const violationCursor = (await s.violations({ scope: ALL, limit: 1 })).nextCursor!;
      await expect(s.advisories({ scope: ALL, limit: 10, cursor: violationCursor })).rejects.toMatchObject({ code: 'INVALID_CURSOR' });
      await expect(s.violations({ scope: ALL, limit: 10, cursor: first.nextCursor! })).rejects.toBeInstanceOf(ReadModelError);
    });

    it('gives an advisory to the owner of its vehicle when it started, and re-owns it when the register changes', async () => {
      const s = await fresh();
      const T = '2026-03-01T12:00:00+08:00';
      await s.commit(
        batch('1', {
          advisories: [
            advisoryRow('A-before', { vehicleId: 'V0022', carrierId: 'C009', startedAt: '2026-03-01T10:00:00+08:00' }),
            advisoryRow('A-after', { vehicleId: 'V0022', carrierId: 'C009', startedAt: '2026-03-01T14:00:00+08:00' }),
          ],
        }),
      );
      await s.commit(batch('2', { registrations: [registrationRow('V0022', '浙J·56613', [['C002', null], ['C001', T]])] }));
      expect(await aids(s, { scope: { carrierId: 'C002' } })).toEqual(['A-before']);
      expect(await aids(s, { scope: { carrierId: 'C001' } })).toEqual(['A-after']);
      expect(await aids(s, { scope: { carrierId: 'C009' } })).toEqual([]);
      await s.commit(batch('3', { advisories: [advisoryRow('A-new', { vehicleId: 'V0022', carrierId: 'C009', startedAt: '2026-03-01T11:00:00+08:00' })] }));
      expect((await aids(s, { scope: { carrierId: 'C002' } })).sort()).toEqual(['A-before', 'A-new']);
    });

    it('refuses a batch whose advisory has an unreadable start, whole', async () => {
      const s = await fresh();
      await expect(s.commit(batch('1', { violations: [violationRow('X-1')], advisories: [advisoryRow('A-bad', { startedAt: 'yesterday' })] }))).rejects.toThrow(/advisory A-bad/);
      expect(await s.checkpoint()).toBeNull();
      expect(await s.sizes()).toMatchObject({ violations: 0, advisories: 0 });
    });
  });
}
