import { createMemoryReadModelStore, type FleetQuery, type ReadModelStore } from '@dgt/readmodels';
import { beforeEach, describe, expect, it } from 'vitest';
import { FleetResponseCache } from '../src/fleet/fleetResponseCache.ts';
import { emptyBatch, vehicle } from './apiTestKit.ts';

interface Counted {
  readonly store: ReadModelStore;
  readonly calls: { fleet: number; generation: number };
}

/** The memory store with its fleet and generation calls counted. */
async function countedStore(): Promise<Counted> {
  const inner = createMemoryReadModelStore();
  await inner.commit(emptyBatch('1', { vehicles: [vehicle('V1', 'C1'), vehicle('V2', 'C2')] }));
  const calls = { fleet: 0, generation: 0 };
  const store = Object.create(inner) as ReadModelStore;
  store.fleet = async (q) => {
    calls.fleet++;
    return inner.fleet(q);
  };
  store.generation = async () => {
    calls.generation++;
    return inner.generation();
  };
  store.commit = (b) => inner.commit(b);
  return { store, calls };
}

const all: FleetQuery = { scope: { carrierId: null }, limit: 500 };
const ids = (body: Buffer) => (JSON.parse(body.toString('utf8')) as { items: { vehicleId: string }[] }).items.map((v) => v.vehicleId);

let clock = 0;
let counted: Counted;
beforeEach(async () => {
  clock = 0;
  counted = await countedStore();
});

describe('FleetResponseCache', () => {
  it('serves a fresh page without asking the store, then rechecks only the generation', async () => {
    const cache = new FleetResponseCache({ readModels: counted.store, freshMs: 250, clock: () => clock });
    await cache.page(all);
    clock = 100;
    await cache.page(all);
    expect(counted.calls).toEqual({ fleet: 1, generation: 1 });
    clock = 300;
    await cache.page(all);
    await new Promise((r) => setImmediate(r));
    expect(counted.calls).toEqual({ fleet: 1, generation: 2 });
  });

  it('rebuilds after a commit: stale within maxStale while one refresh runs, then the new page', async () => {
    const cache = new FleetResponseCache({ readModels: counted.store, freshMs: 250, maxStaleMs: 1000, clock: () => clock });
    expect(ids(await cache.page(all))).toEqual(['V1', 'V2']);
    await counted.store.commit(emptyBatch('2', { vehicles: [vehicle('V3', 'C1')] }));
    clock = 100;
    expect(ids(await cache.page(all))).toEqual(['V1', 'V2']);
    clock = 300;
    const stale = cache.page(all);
    const alsoStale = cache.page(all);
    expect(ids(await stale)).toEqual(['V1', 'V2']);
    expect(ids(await alsoStale)).toEqual(['V1', 'V2']);
    await new Promise((r) => setTimeout(r, 5));
    expect(ids(await cache.page(all))).toEqual(['V1', 'V2', 'V3']);
    expect(counted.calls.fleet).toBe(2);
  });

  it('waits for the refresh when the page is older than maxStale', async () => {
    const cache = new FleetResponseCache({ readModels: counted.store, freshMs: 250, maxStaleMs: 1000, clock: () => clock });
    await cache.page(all);
    await counted.store.commit(emptyBatch('2', { vehicles: [vehicle('V3', 'C1')] }));
    clock = 5000;
    expect(ids(await cache.page(all))).toEqual(['V1', 'V2', 'V3']);
  });

  it('builds a missing page once for concurrent requests, and separately per scope and query', async () => {
    const cache = new FleetResponseCache({ readModels: counted.store, clock: () => clock });
    const pages = await Promise.all(Array.from({ length: 20 }, () => cache.page(all)));
    expect(new Set(pages).size).toBe(1);
    expect(counted.calls.fleet).toBe(1);
    expect(ids(await cache.page({ scope: { carrierId: 'C1' }, limit: 500 }))).toEqual(['V1']);
    expect(ids(await cache.page({ ...all, carrierId: 'C2' }))).toEqual(['V2']);
    expect(counted.calls.fleet).toBe(3);
    expect(cache.size).toBe(3);
  });

  it('evicts the least recently used pages beyond maxEntries', async () => {
    const cache = new FleetResponseCache({ readModels: counted.store, maxEntries: 2, clock: () => clock });
    await cache.page({ ...all, limit: 1 });
    await cache.page({ ...all, limit: 2 });
    await cache.page({ ...all, limit: 1 });
    await cache.page({ ...all, limit: 3 });
    expect(cache.size).toBe(2);
    await cache.page({ ...all, limit: 1 });
    expect(counted.calls.fleet).toBe(3);
    await cache.page({ ...all, limit: 2 });
    expect(counted.calls.fleet).toBe(4);
  });

  it('does not cache a failed build: the next request tries again and gets the error', async () => {
    const cache = new FleetResponseCache({ readModels: counted.store, clock: () => clock });
    await expect(cache.page({ ...all, cursor: 'garbage' })).rejects.toMatchObject({ code: 'INVALID_CURSOR' });
    await expect(cache.page({ ...all, cursor: 'garbage' })).rejects.toMatchObject({ code: 'INVALID_CURSOR' });
    expect(cache.size).toBe(0);
  });
});

describe('FleetResponseCache gzip copy', () => {
  it('keeps no gzip copy of a page under 1 KiB', async () => {
    const cache = new FleetResponseCache({ readModels: counted.store, clock: () => clock });
    const body = await cache.body(all);
    await new Promise((r) => setTimeout(r, 20));
    expect(body.json.length).toBeLessThan(1024);
    expect(body.gzip).toBeNull();
  });

  it('adds a gzip copy of a page built once, decompressing to the same JSON', async () => {
    const { gunzipSync } = await import('node:zlib');
    await counted.store.commit(emptyBatch('2', { vehicles: Array.from({ length: 10 }, (_, i) => vehicle(`W${i}`, 'C1')) }));
    const cache = new FleetResponseCache({ readModels: counted.store, clock: () => clock });
    const body = await cache.body(all);
    for (let i = 0; i < 50 && body.gzip === null; i++) await new Promise((r) => setTimeout(r, 5));
    expect(body.gzip).not.toBeNull();
    expect(gunzipSync(body.gzip!).equals(body.json)).toBe(true);
    expect((await cache.body(all)).gzip).toBe(body.gzip);
  });
});
