import { afterEach, describe, expect, it } from 'vitest';
import { ReadModelError } from '../src/errors.ts';
import type { FleetQuery, Page, ReadModelStore, Scope, ViolationQuery } from '../src/port.ts';
import type { FleetVehicle, ViolationView } from '../src/views.ts';
import { advisoryContract } from './advisoryContract.ts';
import { advisoryRow, batch, carrierRow, consignmentRow, vehicleRow, violationRow, zoneRow } from './fixtures.ts';
import { ownershipContract } from './ownershipContract.ts';
import { statisticsContract } from './statisticsContract.ts';

export interface ContractOptions {
  /** Closes the store and opens the same data again (durable adapters), to prove a commit outlives the handle. */
  readonly reopen?: (store: ReadModelStore) => Promise<ReadModelStore>;
}

const ALL: Scope = { carrierId: null };
const A: Scope = { carrierId: 'C-A' };
const B: Scope = { carrierId: 'C-B' };

async function allPages<T>(fetch: (cursor: string | undefined) => Promise<Page<T>>): Promise<{ items: T[]; pages: number }> {
  const items: T[] = [];
  let cursor: string | undefined;
  let pages = 0;
  for (;;) {
    const page = await fetch(cursor);
    pages++;
    items.push(...page.items);
    if (page.nextCursor === null) return { items, pages };
    if (pages > 1000) throw new Error('paging does not end');
    cursor = page.nextCursor;
  }
}

const ids = (vs: readonly FleetVehicle[]) => vs.map((v) => v.vehicleId);
const vids = (vs: readonly ViolationView[]) => vs.map((v) => v.violationId);

async function expectCode(p: Promise<unknown>, code: ReadModelError['code']): Promise<void> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ReadModelError);
  expect((err as ReadModelError).code).toBe(code);
}

/** The behaviour every ReadModelStore adapter must have. `open` hands out a fresh, empty store. */
export function readModelStoreContract(name: string, open: () => Promise<ReadModelStore>, options: ContractOptions = {}): void {
  describe(`ReadModelStore contract: ${name}`, () => {
    const opened: ReadModelStore[] = [];
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((s) => s.close()));
    });
    async function fresh(): Promise<ReadModelStore> {
      const s = await open();
      opened.push(s);
      return s;
    }

    describe('projector side', () => {
      it('starts empty: no checkpoint, no rows, no engine state', async () => {
        const s = await fresh();
        expect(await s.checkpoint()).toBeNull();
        expect(await s.sizes()).toEqual({ vehicles: 0, violations: 0, openViolations: 0, advisories: 0, openAdvisories: 0, consignments: 0, carriers: 0, zones: 0 });
        expect((await s.engineState()).size).toBe(0);
        expect(await s.fleet({ scope: ALL, limit: 10 })).toEqual({ items: [], nextCursor: null });
        expect(await s.violations({ scope: ALL, limit: 10 })).toEqual({ items: [], nextCursor: null });
        expect(await s.zones()).toEqual([]);
      });

      it('a commit stores its rows and advances the checkpoint with them', async () => {
        const s = await fresh();
        const v = vehicleRow('V-1', 'C-A', { laden: true });
        const viol = violationRow('X-1');
        const c = consignmentRow('WB-1', 'C-A');
        const car = carrierRow('C-A', { vehicles: 1 });
        const adv = advisoryRow('A-1');
        const z = zoneRow('Z-1');
        await s.commit(batch('17', { vehicles: [v], violations: [viol], advisories: [adv], consignments: [c], carriers: [car], zones: [z] }));
        expect(await s.checkpoint()).toBe('17');
        expect(await s.vehicle('V-1', ALL)).toEqual(v);
        expect((await s.violations({ scope: ALL, limit: 10 })).items).toEqual([viol]);
        expect((await s.advisories({ scope: ALL, limit: 10 })).items).toEqual([adv]);
        expect(await s.consignment('WB-1', ALL)).toEqual(c);
        expect(await s.carrier('C-A', ALL)).toEqual(car);
        expect(await s.zones()).toEqual([z]);
        expect(await s.sizes()).toEqual({ vehicles: 1, violations: 1, openViolations: 1, advisories: 1, openAdvisories: 1, consignments: 1, carriers: 1, zones: 1 });
      });

      it('a batch without rows still advances the checkpoint', async () => {
        const s = await fresh();
        await s.commit(batch('1', { vehicles: [vehicleRow('V-1', 'C-A')] }));
        await s.commit(batch('2'));
        expect(await s.checkpoint()).toBe('2');
        expect((await s.sizes()).vehicles).toBe(1);
      });

      it('rows are whole upserts: a later commit replaces the row, never merges it', async () => {
        const s = await fresh();
        await s.commit(batch('1', { vehicles: [vehicleRow('V-1', 'C-A', { laden: true, waybillNo: 'WB-1' })] }));
        const later = vehicleRow('V-1', 'C-A', { laden: false, waybillNo: null, lon: 121.5, lat: 28.7 });
        await s.commit(batch('2', { vehicles: [later] }));
        expect(await s.vehicle('V-1', ALL)).toEqual(later);
        const closed = violationRow('X-1', { status: 'closed', endedAt: '2026-03-01T08:30:00+08:00', durationS: 1800, detectionEventIds: ['X-1', 'X-1-end'] });
        await s.commit(batch('3', { violations: [violationRow('X-1')] }));
        await s.commit(batch('4', { violations: [closed] }));
        expect((await s.violations({ scope: ALL, limit: 10 })).items).toEqual([closed]);
        expect(await s.sizes()).toMatchObject({ vehicles: 1, violations: 1, openViolations: 0 });
      });

      it('re-applying a batch (a restart after a crash) changes nothing', async () => {
        const s = await fresh();
        const b = batch('5', {
          vehicles: [vehicleRow('V-1', 'C-A'), vehicleRow('V-2', 'C-B')],
          violations: [violationRow('X-1'), violationRow('X-2', { vehicleId: 'V-2', carrierId: 'C-B' })],
          consignments: [consignmentRow('WB-1', 'C-A')],
          carriers: [carrierRow('C-A'), carrierRow('C-B')],
          zones: [zoneRow('Z-1')],
          engineState: new Map([['engine', 'state-5']]),
        });
        await s.commit(b);
        const sizes = await s.sizes();
        const fleet = await s.fleet({ scope: ALL, limit: 10 });
        const violations = await s.violations({ scope: ALL, limit: 10 });
        await s.commit(b);
        expect(await s.sizes()).toEqual(sizes);
        expect(await s.fleet({ scope: ALL, limit: 10 })).toEqual(fleet);
        expect(await s.violations({ scope: ALL, limit: 10 })).toEqual(violations);
        expect(await s.checkpoint()).toBe('5');
        expect([...(await s.engineState())]).toEqual([['engine', 'state-5']]);
      });

      it('a committed row is a copy: mutating the object afterwards does not change the store', async () => {
        const s = await fresh();
        const v = vehicleRow('V-1', 'C-A');
        await s.commit(batch('1', { vehicles: [v] }));
        v.laden = true;
        v.goods.push({ unNumber: 'UN1203', name: 'Gasoline', hazardClass: '3', quantityKg: 1 });
        expect(await s.vehicle('V-1', ALL)).toEqual(vehicleRow('V-1', 'C-A'));
      });

      it('engine state: keys are saved with the batch, overwritten by later batches, deleted by null', async () => {
        const s = await fresh();
        await s.commit(batch('1', { engineState: new Map([['a', '1'], ['b', '2']]) }));
        await s.commit(batch('2', { engineState: new Map<string, string | null>([['a', '1b'], ['b', null], ['c', '3']]) }));
        const state = await s.engineState();
        expect(Object.fromEntries(state)).toEqual({ a: '1b', c: '3' });
        // Large values (a whole engine snapshot) round-trip unchanged.
        const big = 'x'.repeat(200_000) + '"\n\u0000☃';
        await s.commit(batch('3', { engineState: new Map([['big', big]]) }));
        expect((await s.engineState()).get('big')).toBe(big);
      });

      it('engine state: a flush of thousands of keys (more than one multi-row statement) is saved, overwritten and deleted key by key', async () => {
        const s = await fresh();
        const model = new Map<string, string>();
        const first = new Map<string, string | null>();
        for (let i = 0; i < 1_234; i++) first.set(`vehicle:V${i}`, `{"n":${i}}`);
        await s.commit(batch('1', { engineState: first }));
        for (const [k, v] of first) model.set(k, v as string);
        // Overwrite some, delete some, add some, in one batch.
        const second = new Map<string, string | null>();
        for (let i = 0; i < 1_500; i += 3) second.set(`vehicle:V${i}`, i % 2 === 0 ? null : `{"n":${i},"again":true}`);
        for (const [k, v] of second) {
          if (v === null) model.delete(k);
          else model.set(k, v);
        }
        await s.commit(batch('2', { engineState: second }));
        expect(new Map(await s.engineState())).toEqual(model);
      });

      it('withdrawn zones are removed; a zone withdrawn in the same batch it is upserted ends up withdrawn', async () => {
        const s = await fresh();
        await s.commit(batch('1', { zones: [zoneRow('Z-2'), zoneRow('Z-1'), zoneRow('Z-3')] }));
        await s.commit(batch('2', { withdrawnZoneIds: ['Z-2', 'Z-unknown'] }));
        expect((await s.zones()).map((z) => z.zoneId)).toEqual(['Z-1', 'Z-3']);
        await s.commit(batch('3', { zones: [zoneRow('Z-3', { name: 'renamed' })], withdrawnZoneIds: ['Z-3'] }));
        expect((await s.zones()).map((z) => z.zoneId)).toEqual(['Z-1']);
        expect((await s.sizes()).zones).toBe(1);
      });

      it('zones are listed by zoneId, with every geometry field, their rules and capacity', async () => {
        const s = await fresh();
        const seg = zoneRow('Z-b', {
          kind: 'accident-segment',
          name: 'G15 bend',
          declaredDatum: 'GCJ02',
          polygon: null,
          path: [
            [121.3, 28.5],
            [121.31, 28.51],
          ],
          bufferM: 50,
          rules: { speedLimitKmh: 60, ladenBanned: false, bannedHours: [{ from: '22:00', to: '06:00' }], hazardClasses: ['2.1', '3'] },
        });
        await s.commit(batch('1', { zones: [zoneRow('Z-c'), seg, zoneRow('Z-a', { capacity: 40 })] }));
        const zones = await s.zones();
        expect(zones.map((z) => z.zoneId)).toEqual(['Z-a', 'Z-b', 'Z-c']);
        expect(zones[1]).toEqual(seg);
      });

      it('planning rows are upserted whole by kind and key, listed by kind then key, and emptied by reset', async () => {
        const s = await fresh();
        await s.commit(
          batch('1', {
            planning: [
              { kind: 'segment', key: 'seg-1', data: '{"n":1}' },
              { kind: 'cell', key: 'long|8|88309a', data: '{"stops":1}' },
              { kind: 'lot', key: 'seg-1', data: '{"same key, other kind":true}' },
            ],
          }),
        );
        await s.commit(batch('2', { planning: [{ kind: 'segment', key: 'seg-1', data: '{"n":2}' }] }));
        expect(await s.planningRows()).toEqual([
          { kind: 'cell', key: 'long|8|88309a', data: '{"stops":1}' },
          { kind: 'lot', key: 'seg-1', data: '{"same key, other kind":true}' },
          { kind: 'segment', key: 'seg-1', data: '{"n":2}' },
        ]);
        await s.reset();
        expect(await s.planningRows()).toEqual([]);
      });

      it('generation changes on every commit and on reset', async () => {
        const s = await fresh();
        const g0 = await s.generation();
        expect(await s.generation()).toBe(g0);
        await s.commit(batch('1'));
        const g1 = await s.generation();
        expect(g1).not.toBe(g0);
        await s.commit(batch('2'));
        const g2 = await s.generation();
        expect(g2).not.toBe(g1);
        expect(await s.generation()).toBe(g2);
        await s.reset();
        expect(await s.generation()).not.toBe(g2);
      });

      it('reset drops every row, the engine state and the checkpoint; the store is usable again', async () => {
        const s = await fresh();
        await s.commit(
          batch('9', {
            vehicles: [vehicleRow('V-1', 'C-A')],
            violations: [violationRow('X-1')],
            consignments: [consignmentRow('WB-1', 'C-A')],
            carriers: [carrierRow('C-A')],
            zones: [zoneRow('Z-1')],
            engineState: new Map([['k', 'v']]),
          }),
        );
        await s.reset();
        expect(await s.checkpoint()).toBeNull();
        expect(await s.sizes()).toEqual({ vehicles: 0, violations: 0, openViolations: 0, advisories: 0, openAdvisories: 0, consignments: 0, carriers: 0, zones: 0 });
        expect((await s.engineState()).size).toBe(0);
        expect(await s.vehicle('V-1', ALL)).toBeUndefined();
        expect(await s.consignment('WB-1', ALL)).toBeUndefined();
        expect(await s.carrier('C-A', ALL)).toBeUndefined();
        await s.commit(batch('1', { vehicles: [vehicleRow('V-2', 'C-B')] }));
        expect(await s.checkpoint()).toBe('1');
        expect(ids((await s.fleet({ scope: ALL, limit: 10 })).items)).toEqual(['V-2']);
      });

      it('a batch with an unreadable violation startedAt is refused whole: nothing of it lands', async () => {
        const s = await fresh();
        await s.commit(batch('1', { vehicles: [vehicleRow('V-0', 'C-A')] }));
        const bad = batch('2', {
          vehicles: [vehicleRow('V-1', 'C-A')],
          violations: [violationRow('X-ok'), violationRow('X-bad', { startedAt: 'yesterday' })],
          engineState: new Map([['k', 'v']]),
        });
        await expect(s.commit(bad)).rejects.toThrow(/X-bad/);
        expect(await s.checkpoint()).toBe('1');
        expect(await s.sizes()).toMatchObject({ vehicles: 1, violations: 0 });
        expect((await s.engineState()).size).toBe(0);
      });

      if (options.reopen) {
        const reopen = options.reopen;
        it('committed rows, engine state and checkpoint survive closing and reopening', async () => {
          const s = await fresh();
          await s.commit(
            batch('42', {
              vehicles: [vehicleRow('V-1', 'C-A')],
              violations: [violationRow('X-1')],
              advisories: [advisoryRow('A-1', { status: 'closed', endedAt: '2026-03-01T08:03:00+08:00', durationS: 180 })],
              consignments: [consignmentRow('WB-1', 'C-A')],
              carriers: [carrierRow('C-A')],
              zones: [zoneRow('Z-1')],
              engineState: new Map([['k', 'v']]),
            }),
          );
          const again = await reopen(s);
          opened.push(again);
          expect(await again.checkpoint()).toBe('42');
          expect(await again.vehicle('V-1', ALL)).toEqual(vehicleRow('V-1', 'C-A'));
          expect(await again.sizes()).toEqual({ vehicles: 1, violations: 1, openViolations: 1, advisories: 1, openAdvisories: 0, consignments: 1, carriers: 1, zones: 1 });
          expect(Object.fromEntries(await again.engineState())).toEqual({ k: 'v' });
        });
      }

      it('a closed store refuses calls with STORE_CLOSED', async () => {
        const s = await open();
        await s.close();
        await expectCode(s.checkpoint(), 'STORE_CLOSED');
        await expectCode(s.fleet({ scope: ALL, limit: 1 }), 'STORE_CLOSED');
        await expectCode(s.commit(batch('1')), 'STORE_CLOSED');
      });
    });

    describe('scoping: a carrier sees only its own rows', () => {
      async function seeded(): Promise<ReadModelStore> {
        const s = await fresh();
        await s.commit(
          batch('1', {
            vehicles: [vehicleRow('V-A1', 'C-A', { laden: true }), vehicleRow('V-A2', 'C-A'), vehicleRow('V-B1', 'C-B', { laden: true }), vehicleRow('V-N', null)],
            violations: [
              violationRow('X-A', { vehicleId: 'V-A1', carrierId: 'C-A' }),
              violationRow('X-B', { vehicleId: 'V-B1', carrierId: 'C-B' }),
              violationRow('X-N', { vehicleId: 'V-N', carrierId: null }),
            ],
            consignments: [consignmentRow('WB-A', 'C-A'), consignmentRow('WB-B', 'C-B'), consignmentRow('WB-N', null)],
            carriers: [carrierRow('C-A', { vehicles: 2 }), carrierRow('C-B', { vehicles: 1 })],
          }),
        );
        return s;
      }

      it('vehicle(): own vehicle found; another carrier’s and an unowned one are not found', async () => {
        const s = await seeded();
        expect((await s.vehicle('V-A1', A))?.vehicleId).toBe('V-A1');
        expect(await s.vehicle('V-B1', A)).toBeUndefined();
        expect(await s.vehicle('V-N', A)).toBeUndefined();
        expect((await s.vehicle('V-B1', B))?.vehicleId).toBe('V-B1');
        expect((await s.vehicle('V-N', ALL))?.vehicleId).toBe('V-N');
        expect(await s.vehicle('V-missing', ALL)).toBeUndefined();
      });

      it('fleet(): the scope applies, and a carrier filter is intersected with it, never widened', async () => {
        const s = await seeded();
        expect(ids((await s.fleet({ scope: ALL, limit: 10 })).items)).toEqual(['V-A1', 'V-A2', 'V-B1', 'V-N']);
        expect(ids((await s.fleet({ scope: A, limit: 10 })).items)).toEqual(['V-A1', 'V-A2']);
        expect(ids((await s.fleet({ scope: A, carrierId: 'C-A', limit: 10 })).items)).toEqual(['V-A1', 'V-A2']);
        expect((await s.fleet({ scope: A, carrierId: 'C-B', limit: 10 })).items).toEqual([]);
        expect(ids((await s.fleet({ scope: ALL, carrierId: 'C-B', limit: 10 })).items)).toEqual(['V-B1']);
        expect(ids((await s.fleet({ scope: B, laden: true, limit: 10 })).items)).toEqual(['V-B1']);
        expect(ids((await s.fleet({ scope: { carrierId: 'C-none' }, limit: 10 })).items)).toEqual([]);
      });

      it('violations(): the scope applies, combined with every filter', async () => {
        const s = await seeded();
        expect(vids((await s.violations({ scope: ALL, limit: 10 })).items).sort()).toEqual(['X-A', 'X-B', 'X-N']);
        expect(vids((await s.violations({ scope: A, limit: 10 })).items)).toEqual(['X-A']);
        expect((await s.violations({ scope: A, carrierId: 'C-B', limit: 10 })).items).toEqual([]);
        expect((await s.violations({ scope: A, vehicleId: 'V-B1', limit: 10 })).items).toEqual([]);
        expect((await s.violations({ scope: B, status: 'open', kind: 'illegal-parking', limit: 10 })).items.map((v) => v.violationId)).toEqual(['X-B']);
      });

      it('consignment(): own found; another carrier’s and an unassigned one are not found', async () => {
        const s = await seeded();
        expect((await s.consignment('WB-A', A))?.waybillNo).toBe('WB-A');
        expect(await s.consignment('WB-B', A)).toBeUndefined();
        expect(await s.consignment('WB-N', A)).toBeUndefined();
        expect((await s.consignment('WB-N', ALL))?.carrierId).toBeNull();
        expect(await s.consignment('WB-missing', ALL)).toBeUndefined();
      });

      it('carrier(): a carrier sees its own row only', async () => {
        const s = await seeded();
        expect(await s.carrier('C-A', A)).toEqual(carrierRow('C-A', { vehicles: 2 }));
        expect(await s.carrier('C-B', A)).toBeUndefined();
        expect((await s.carrier('C-B', ALL))?.vehicles).toBe(1);
        expect(await s.carrier('C-missing', ALL)).toBeUndefined();
      });

      it('a vehicle that changes owner moves between scopes', async () => {
        const s = await seeded();
        await s.commit(batch('2', { vehicles: [vehicleRow('V-A2', 'C-B')] }));
        expect(await s.vehicle('V-A2', A)).toBeUndefined();
        expect(ids((await s.fleet({ scope: B, limit: 10 })).items)).toEqual(['V-A2', 'V-B1']);
      });
    });

    describe('fleet filters and paging', () => {
      it('laden and inViolation filter both ways', async () => {
        const s = await fresh();
        const open = [{ violationId: 'X-1', kind: 'illegal-parking' as const, startedAt: '2026-03-01T08:00:00+08:00' }];
        await s.commit(
          batch('1', {
            vehicles: [
              vehicleRow('V-1', 'C-A', { laden: true, openViolations: open }),
              vehicleRow('V-2', 'C-A', { laden: true }),
              vehicleRow('V-3', 'C-A', { laden: false, openViolations: open }),
              vehicleRow('V-4', 'C-A'),
            ],
          }),
        );
        expect(ids((await s.fleet({ scope: ALL, laden: true, limit: 10 })).items)).toEqual(['V-1', 'V-2']);
        expect(ids((await s.fleet({ scope: ALL, laden: false, limit: 10 })).items)).toEqual(['V-3', 'V-4']);
        expect(ids((await s.fleet({ scope: ALL, inViolation: true, limit: 10 })).items)).toEqual(['V-1', 'V-3']);
        expect(ids((await s.fleet({ scope: ALL, inViolation: false, limit: 10 })).items)).toEqual(['V-2', 'V-4']);
        expect(ids((await s.fleet({ scope: ALL, laden: true, inViolation: true, limit: 10 })).items)).toEqual(['V-1']);
        // A vehicle whose violation closed leaves the in-violation list.
        await s.commit(batch('2', { vehicles: [vehicleRow('V-1', 'C-A', { laden: true })] }));
        expect(ids((await s.fleet({ scope: ALL, inViolation: true, limit: 10 })).items)).toEqual(['V-3']);
      });

      it('bbox: edges are inclusive, a hair outside is out, vehicles without a fix never match', async () => {
        const s = await fresh();
        const box = { west: 121.0, south: 28.0, east: 122.0, north: 29.0 };
        const eps = 1e-9;
        await s.commit(
          batch('1', {
            vehicles: [
              vehicleRow('V-in', 'C-A', { lon: 121.5, lat: 28.5 }),
              vehicleRow('V-west', 'C-A', { lon: 121.0, lat: 28.5 }),
              vehicleRow('V-east', 'C-A', { lon: 122.0, lat: 28.5 }),
              vehicleRow('V-south', 'C-A', { lon: 121.5, lat: 28.0 }),
              vehicleRow('V-north', 'C-A', { lon: 121.5, lat: 29.0 }),
              vehicleRow('V-corner', 'C-A', { lon: 122.0, lat: 29.0 }),
              vehicleRow('W-west-out', 'C-A', { lon: 121.0 - eps, lat: 28.5 }),
              vehicleRow('W-north-out', 'C-A', { lon: 121.5, lat: 29.0 + eps }),
              vehicleRow('W-east-out', 'C-A', { lon: 122.0 + eps, lat: 28.5 }),
              vehicleRow('W-south-out', 'C-A', { lon: 121.5, lat: 28.0 - eps }),
              vehicleRow('W-nofix', 'C-A', { lastFix: null }),
            ],
          }),
        );
        expect(ids((await s.fleet({ scope: ALL, bbox: box, limit: 100 })).items)).toEqual(['V-corner', 'V-east', 'V-in', 'V-north', 'V-south', 'V-west']);
        expect(ids((await s.fleet({ scope: ALL, limit: 100 })).items)).toContain('W-nofix');
        // A degenerate box (a point) matches what sits exactly on it.
        expect(ids((await s.fleet({ scope: ALL, bbox: { west: 121.5, east: 121.5, south: 28.5, north: 28.5 }, limit: 100 })).items)).toEqual(['V-in']);
        // A vehicle that moves out of the box leaves it.
        await s.commit(batch('2', { vehicles: [vehicleRow('V-in', 'C-A', { lon: 123, lat: 28.5 })] }));
        expect(ids((await s.fleet({ scope: ALL, bbox: box, limit: 100 })).items)).not.toContain('V-in');
      });

      it('pages cover every vehicle in vehicleId order, without gaps or duplicates, whatever the page size', async () => {
        const s = await fresh();
        const vehicles = Array.from({ length: 53 }, (_, i) => vehicleRow(`V-${String((i * 37) % 53).padStart(3, '0')}`, i % 3 === 0 ? 'C-B' : 'C-A', { laden: i % 2 === 0 }));
        await s.commit(batch('1', { vehicles }));
        const sorted = vehicles.map((v) => v.vehicleId).sort();
        for (const limit of [1, 7, 53, 100]) {
          const { items, pages } = await allPages((cursor) => s.fleet({ scope: ALL, limit, ...(cursor === undefined ? {} : { cursor }) }));
          expect(ids(items)).toEqual(sorted);
          expect(pages).toBe(Math.max(1, Math.ceil(53 / limit)));
        }
        const q = (cursor: string | undefined): FleetQuery => ({ scope: A, laden: true, limit: 4, ...(cursor === undefined ? {} : { cursor }) });
        const { items } = await allPages((cursor) => s.fleet(q(cursor)));
        expect(ids(items)).toEqual(vehicles.filter((v) => v.carrierId === 'C-A' && v.laden).map((v) => v.vehicleId).sort());
      });

      it('the last page has no cursor, even when it is exactly full', async () => {
        const s = await fresh();
        await s.commit(batch('1', { vehicles: [vehicleRow('V-1', 'C-A'), vehicleRow('V-2', 'C-A'), vehicleRow('V-3', 'C-A'), vehicleRow('V-4', 'C-A')] }));
        const first = await s.fleet({ scope: ALL, limit: 2 });
        expect(ids(first.items)).toEqual(['V-1', 'V-2']);
        expect(first.nextCursor).not.toBeNull();
        const second = await s.fleet({ scope: ALL, limit: 2, cursor: first.nextCursor! });
        expect(ids(second.items)).toEqual(['V-3', 'V-4']);
        expect(second.nextCursor).toBeNull();
      });

      it('a cursor stays valid across commits: rows added before it do not repeat, rows after it appear', async () => {
        const s = await fresh();
        await s.commit(batch('1', { vehicles: ['V-1', 'V-3', 'V-5', 'V-7'].map((id) => vehicleRow(id, 'C-A')) }));
        const first = await s.fleet({ scope: ALL, limit: 2 });
        await s.commit(batch('2', { vehicles: ['V-0', 'V-2', 'V-6'].map((id) => vehicleRow(id, 'C-A')) }));
        const rest = await allPages((cursor) => s.fleet({ scope: ALL, limit: 2, cursor: cursor ?? first.nextCursor! }));
        expect(ids(first.items)).toEqual(['V-1', 'V-3']);
        expect(ids(rest.items)).toEqual(['V-5', 'V-6', 'V-7']);
      });

      it('refuses a malformed cursor, a cursor of another listing, a bad limit and an inverted bbox', async () => {
        const s = await fresh();
        await s.commit(batch('1', { vehicles: [vehicleRow('V-1', 'C-A')], violations: [violationRow('X-1'), violationRow('X-2')] }));
        await expectCode(s.fleet({ scope: ALL, limit: 10, cursor: 'not-a-cursor' }), 'INVALID_CURSOR');
        const violationCursor = (await s.violations({ scope: ALL, limit: 1 })).nextCursor!;
        await expectCode(s.fleet({ scope: ALL, limit: 10, cursor: violationCursor }), 'INVALID_CURSOR');
        await expectCode(s.fleet({ scope: ALL, limit: 0 }), 'INVALID_ARGUMENT');
        await expectCode(s.fleet({ scope: ALL, limit: 1.5 }), 'INVALID_ARGUMENT');
        await expectCode(s.fleet({ scope: ALL, limit: 10, bbox: { west: 122, east: 121, south: 28, north: 29 } }), 'INVALID_ARGUMENT');
      });
    });

    describe('violations query', () => {
      const rows = [
        violationRow('X-03', { startedAt: '2026-03-01T08:00:00+08:00', kind: 'illegal-parking', status: 'open', carrierId: 'C-A', vehicleId: 'V-1' }),
        // Same instant as X-03 written with another offset: ties break on violationId.
        violationRow('X-01', { startedAt: '2026-03-01T00:00:00Z', kind: 'overspeed', status: 'closed', carrierId: 'C-A', vehicleId: 'V-2' }),
        violationRow('X-02', { startedAt: '2026-03-01T00:00:00.000Z', kind: 'illegal-parking', status: 'closed', carrierId: 'C-B', vehicleId: 'V-3' }),
        // Later instant, though its local time reads earlier.
        violationRow('X-04', { startedAt: '2026-03-01T01:30:00+01:00', kind: 'overspeed', status: 'open', carrierId: 'C-B', vehicleId: 'V-3' }),
        violationRow('X-05', { startedAt: '2026-02-27T12:00:00+08:00', kind: 'illegal-parking', status: 'closed', carrierId: 'C-A', vehicleId: 'V-1' }),
        violationRow('X-06', { startedAt: '2026-03-02T09:15:30.250+08:00', kind: 'illegal-parking', status: 'open', carrierId: 'C-A', vehicleId: 'V-2' }),
      ];
      async function seeded(): Promise<ReadModelStore> {
        const s = await fresh();
        await s.commit(batch('1', { violations: rows }));
        return s;
      }
      const q = async (s: ReadModelStore, query: Omit<ViolationQuery, 'limit' | 'scope'> & { scope?: Scope }) =>
        vids((await s.violations({ scope: ALL, limit: 100, ...query })).items);

      it('newest first by the instant of startedAt, ties by violationId', async () => {
        const s = await seeded();
        expect(await q(s, {})).toEqual(['X-06', 'X-04', 'X-01', 'X-02', 'X-03', 'X-05']);
      });

      it('filters by kind, status, carrier and vehicle, alone and combined', async () => {
        const s = await seeded();
        expect(await q(s, { kind: 'overspeed' })).toEqual(['X-04', 'X-01']);
        expect(await q(s, { status: 'open' })).toEqual(['X-06', 'X-04', 'X-03']);
        expect(await q(s, { status: 'closed' })).toEqual(['X-01', 'X-02', 'X-05']);
        expect(await q(s, { carrierId: 'C-A' })).toEqual(['X-06', 'X-01', 'X-03', 'X-05']);
        expect(await q(s, { vehicleId: 'V-3' })).toEqual(['X-04', 'X-02']);
        expect(await q(s, { carrierId: 'C-A', status: 'open', kind: 'illegal-parking' })).toEqual(['X-06', 'X-03']);
        expect(await q(s, { vehicleId: 'V-1', status: 'open' })).toEqual(['X-03']);
      });

      it('from is inclusive and to exclusive, compared as instants', async () => {
        const s = await seeded();
        expect(await q(s, { from: '2026-03-01T08:00:00+08:00' })).toEqual(['X-06', 'X-04', 'X-01', 'X-02', 'X-03']);
        expect(await q(s, { to: '2026-03-01T00:00:00Z' })).toEqual(['X-05']);
        expect(await q(s, { from: '2026-03-01T00:00:00Z', to: '2026-03-01T00:30:00Z' })).toEqual(['X-01', 'X-02', 'X-03']);
        expect(await q(s, { from: '2026-03-01T08:15:00+08:00', to: '2026-03-02T09:15:30.250+08:00' })).toEqual(['X-04']);
        expect(await q(s, { from: '2026-03-03T00:00:00Z' })).toEqual([]);
        await expectCode(s.violations({ scope: ALL, limit: 10, from: 'last week' }), 'INVALID_ARGUMENT');
      });

      it('pages follow the same order without gaps or duplicates, also across equal startedAt and with filters and scope', async () => {
        const s = await fresh();
        const many = Array.from({ length: 41 }, (_, i) =>
          violationRow(`X-${String(i).padStart(3, '0')}`, {
            // Only 5 distinct instants: most pages split a run of equal startedAt.
            startedAt: `2026-03-0${1 + (i % 5)}T08:00:00+08:00`,
            carrierId: i % 4 === 0 ? 'C-B' : 'C-A',
            status: i % 3 === 0 ? 'closed' : 'open',
          }),
        );
        await s.commit(batch('1', { violations: many }));
        const all = (await s.violations({ scope: ALL, limit: 1000 })).items;
        for (const limit of [1, 3, 8, 41]) {
          const { items, pages } = await allPages((cursor) => s.violations({ scope: ALL, limit, ...(cursor === undefined ? {} : { cursor }) }));
          expect(vids(items)).toEqual(vids(all));
          expect(new Set(vids(items)).size).toBe(41);
          expect(pages).toBe(Math.ceil(41 / limit));
        }
        const { items } = await allPages((cursor) => s.violations({ scope: A, status: 'open', limit: 4, ...(cursor === undefined ? {} : { cursor }) }));
        expect(vids(items)).toEqual(vids(all.filter((v) => v.carrierId === 'C-A' && v.status === 'open')));
      });

      it('refuses a malformed cursor and a fleet cursor', async () => {
        const s = await seeded();
        await s.commit(batch('2', { vehicles: [vehicleRow('V-1', 'C-A'), vehicleRow('V-2', 'C-A')] }));
        const fleetCursor = (await s.fleet({ scope: ALL, limit: 1 })).nextCursor!;
        await expectCode(s.violations({ scope: ALL, limit: 10, cursor: fleetCursor }), 'INVALID_CURSOR');
        await expectCode(s.violations({ scope: ALL, limit: 10, cursor: '%%%' }), 'INVALID_CURSOR');
        await expectCode(s.violations({ scope: ALL, limit: -1 }), 'INVALID_ARGUMENT');
      });

      it('sizes count open violations as they open and close', async () => {
        const s = await seeded();
        expect(await s.sizes()).toMatchObject({ violations: 6, openViolations: 3 });
        await s.commit(batch('2', { violations: [violationRow('X-06', { ...rows[5], status: 'closed', endedAt: '2026-03-02T10:00:00+08:00', durationS: 2670 })] }));
        expect(await s.sizes()).toMatchObject({ violations: 6, openViolations: 2 });
        expect(await q(s, { status: 'open' })).toEqual(['X-04', 'X-03']);
      });
    });

    advisoryContract(fresh);
    ownershipContract(fresh, options.reopen);
    statisticsContract(fresh);
  });
}
