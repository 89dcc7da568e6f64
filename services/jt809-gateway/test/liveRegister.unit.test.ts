import { plateKey } from '@dgt/events';
import { createMemoryReadModelStore, type ReadModelBatch, type ReadModelStore, type VehicleRegistration } from '@dgt/readmodels';
import { afterEach, describe, expect, it } from 'vitest';
import { liveVehicleRegister, ownerAt, type LiveVehicleRegister, type RegisterSource } from '../src/index.ts';

const T = '2026-06-01T08:00:00+08:00';
const registration = (vehicleId: string, plateNo: string, periods: [string, string | null, string | null][]): VehicleRegistration => ({
  vehicleId,
  plateNo,
  plateKey: plateKey(plateNo) as string,
  periods: periods.map(([carrierId, from, to]) => ({ carrierId, from, to })),
});
const commit = (store: ReadModelStore, checkpoint: string, rows: Partial<ReadModelBatch>) =>
  store.commit({ checkpoint, vehicles: [], violations: [], consignments: [], carriers: [], zones: [], withdrawnZoneIds: [], engineState: new Map(), ...rows });
const key = (plate: string) => plateKey(plate) as string;

/** The store, counting how often the whole register is read. */
function counted(store: ReadModelStore): RegisterSource & { loads: number } {
  const source = {
    loads: 0,
    generation: () => store.generation(),
    registrations: () => {
      source.loads++;
      return store.registrations();
    },
  };
  return source;
}

let open: LiveVehicleRegister[] = [];
afterEach(() => {
  for (const r of open) r.close();
  open = [];
});
function live(source: RegisterSource, options: Parameters<typeof liveVehicleRegister>[1] = {}): LiveVehicleRegister {
  const r = liveVehicleRegister(source, { refreshMs: 60_000, ...options });
  open.push(r);
  return r;
}

describe('the live register (the projected register, followed while the gateway runs)', () => {
  it('answers by plateKey, whatever way the plate is written, with ownership periods in epoch ms', async () => {
    const store = createMemoryReadModelStore();
    await commit(store, '1', { registrations: [registration('V1', '浙J·10001', [['C-A', null, T], ['C-B', T, null]])] });
    const register = live(store);
    await register.start();
    expect(register.size).toBe(1);
    const v = register.byPlateKey(key('浙J10001'));
    expect(v).toEqual({ vehicleId: 'V1', plateNo: '浙J·10001', periods: [{ carrierId: 'C-A', fromMs: null, toMs: Date.parse(T) }, { carrierId: 'C-B', fromMs: Date.parse(T), toMs: null }] });
    expect(ownerAt(v!, Date.parse(T) - 1)).toBe('C-A');
    expect(ownerAt(v!, Date.parse(T))).toBe('C-B');
  });

  it('knows a vehicle registered after it started, and a transfer, once the projector has committed them', async () => {
    const store = createMemoryReadModelStore();
    const register = live(store);
    await register.start();
    expect(register.byPlateKey(key('浙J·20002'))).toBeUndefined();
    await commit(store, '1', { registrations: [registration('V2', '浙J·20002', [['C-A', null, null]])] });
    // (The miss above has already asked for a reload: whichever load sees the commit, it is known after this one.)
    await register.refresh();
    expect(register.byPlateKey(key('浙J·20002'))?.vehicleId).toBe('V2');
    await commit(store, '2', { registrations: [registration('V2', '浙J·20002', [['C-A', null, T], ['C-B', T, null]])] });
    await register.refresh();
    expect(ownerAt(register.byPlateKey(key('浙J·20002'))!, Date.parse(T) + 1)).toBe('C-B');
    await commit(store, '3', { unregisteredVehicleIds: ['V2'] });
    await register.refresh();
    expect(register.byPlateKey(key('浙J·20002'))).toBeUndefined();
  });

  it('reloads only when the projector has committed since the last load', async () => {
    const store = createMemoryReadModelStore();
    const source = counted(store);
    const register = live(source);
    await register.start();
    expect(source.loads).toBe(1);
    expect(await register.refresh()).toBe(false);
    expect(source.loads).toBe(1);
    await commit(store, '1', {});
    expect(await register.refresh()).toBe(true);
    expect(source.loads).toBe(2);
  });

  it('follows the projector on its own timer', async () => {
    const store = createMemoryReadModelStore();
    const register = live(store, { refreshMs: 100 });
    await register.start();
    await commit(store, '1', { registrations: [registration('V3', '浙J·30003', [['C-A', null, null]])] });
    await expect.poll(() => register.byPlateKey(key('浙J·30003'))?.vehicleId, { timeout: 3_000, interval: 50 }).toBe('V3');
  });

  it('an unknown plate asks for a reload at once, at most once per missReloadMinMs however many misses', async () => {
    const store = createMemoryReadModelStore();
    const source = counted(store);
    let now = 0;
    const register = live(source, { missReloadMinMs: 1_000, monotonicMs: () => now });
    await register.start();
    await commit(store, '1', { registrations: [registration('V4', '浙J·40004', [['C-A', null, null]])] });
    now = 5_000;
    for (let i = 0; i < 1_000; i++) register.byPlateKey(key('浙J·99999'));
    await expect.poll(() => register.byPlateKey(key('浙J·40004'))?.vehicleId, { timeout: 2_000, interval: 10 }).toBe('V4');
    expect(source.loads).toBe(2);
    await commit(store, '2', {});
    now = 5_500;
    register.byPlateKey(key('浙J·99999'));
    await new Promise((r) => setTimeout(r, 20));
    expect(source.loads).toBe(2);
  });

  it('keeps the last good copy when a reload fails, and reports it', async () => {
    const store = createMemoryReadModelStore();
    await commit(store, '1', { registrations: [registration('V5', '浙J·50005', [['C-A', null, null]])] });
    let failing = false;
    const errors: unknown[] = [];
    const source: RegisterSource = {
      generation: async () => (failing ? Promise.reject(new Error('database is locked')) : store.generation()),
      registrations: () => store.registrations(),
    };
    const register = live(source, { onError: (e) => errors.push(e), monotonicMs: () => 10_000 });
    await register.start();
    failing = true;
    await expect(register.refresh()).rejects.toThrow('database is locked');
    register.byPlateKey(key('浙J·00000'));
    await expect.poll(() => errors.length).toBe(1);
    expect(register.byPlateKey(key('浙J·50005'))?.vehicleId).toBe('V5');
  });
});
