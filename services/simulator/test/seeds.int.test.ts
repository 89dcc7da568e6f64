import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseNdjsonLine, type DgtEvent } from '@dgt/events';
import { ZoneIndex } from '@dgt/geo';
import { describe, expect, it } from 'vitest';
import { products } from '../src/goods.ts';
import { seedFiles } from '../src/seeds.ts';

const seedDir = fileURLToPath(new URL('../../../seeds/taizhou/', import.meta.url));
const generated = seedFiles();

function events(name: string): DgtEvent[] {
  return generated[name]!
    .trimEnd()
    .split('\n')
    .map((line, i) => {
      const parsed = parseNdjsonLine(line);
      if (!parsed.ok) throw new Error(`${name}:${i + 1}: ${parsed.error.message}`);
      return parsed.event;
    });
}

describe('seeds/taizhou', () => {
  it('are byte-identical to what the generator produces now (run "dgt simulate seeds --out seeds/taizhou" after changing it)', () => {
    for (const [name, text] of Object.entries(generated)) expect(readFileSync(seedDir + name, 'utf8'), name).toBe(text);
  });

  it('designate the 8 chemical parks, a dedicated lot with a capacity near each, the accident-prone segments and the restricted areas, some in GCJ-02', () => {
    const zones = events('zones.ndjson').flatMap((e) => (e.type === 'ZoneDesignated' ? [e.data] : []));
    const kinds = (k: string) => zones.filter((z) => z.kind === k).map((z) => z.zoneId);
    expect(kinds('chemical-park')).toHaveLength(8);
    expect(kinds('parking-lot')).toEqual(expect.arrayContaining(['lot-xianju', 'lot-jiaojiang', 'lot-linhai']));
    expect(kinds('parking-lot').length).toBeGreaterThanOrEqual(8);
    for (const lot of zones.filter((z) => z.kind === 'parking-lot')) expect(lot.capacity, lot.zoneId).toBeGreaterThanOrEqual(50);
    expect(kinds('accident-segment')).toEqual(
      expect.arrayContaining(['seg-g104-toutuo-yuanqiao', 'seg-g104-huayanshan-tunnel', 'seg-s28-kuocangshan-tunnels', 'seg-g1523-taizhou-bay-bridge', 'seg-g1523-wenling-tunnel']),
    );
    expect(kinds('restricted-area')).toEqual(['restricted-huangyan-centre', 'restricted-changtan-reservoir']);
    expect(zones.filter((z) => z.datum === 'GCJ02').length).toBeGreaterThanOrEqual(1);
    for (const z of zones) expect(z.name, z.zoneId).toMatch(/approx\./);
  });

  it('give the bridge and the tunnels a 60 km/h limit or a night ban for laden class 2.1/3 vehicles, and Huangyan centre a ban at every hour', () => {
    const rules = new Map(events('zones.ndjson').flatMap((e) => (e.type === 'ZoneDesignated' ? [[e.data.zoneId, e.data.rules] as const] : [])));
    const nightBan = { bannedHours: [{ from: '22:00', to: '06:00' }], hazardClasses: ['2.1', '3'] };
    for (const id of ['seg-g1523-taizhou-bay-bridge', 'seg-g104-huayanshan-tunnel', 'seg-s28-kuocangshan-tunnels']) expect(rules.get(id), id).toEqual({ speedLimitKmh: 60, ...nightBan });
    expect(rules.get('seg-g1523-wenling-tunnel')).toEqual(nightBan);
    // A long stretch of road is exposure, not a ban.
    expect(rules.get('seg-g104-toutuo-yuanqiao')).toBeUndefined();
    expect(rules.get('restricted-huangyan-centre')).toEqual({ ladenBanned: true });
    expect(rules.get('restricted-changtan-reservoir')).toEqual({ ladenBanned: true });
  });

  it('put the GCJ-02 zones where their WGS-84 originals are once the index converts them', () => {
    const index = new ZoneIndex();
    for (const e of events('zones.ndjson')) if (e.type === 'ZoneDesignated') index.designate(e.data, Date.parse(e.occurredAt));
    const at = Date.parse('2026-03-02T00:00:00+08:00');
    // Linhai lot centre (WGS-84) and the middle of the Taizhou Bay bridge (WGS-84).
    expect(index.zonesAt(121.59, 28.73, at, 'parking-lot')).toEqual(['lot-linhai']);
    expect(index.zonesAt(121.542, 28.678, at, 'accident-segment')).toEqual(['seg-g1523-taizhou-bay-bridge']);
    // 300 m east of the bridge is outside its 80 m corridor, whatever the datum offset would have done.
    expect(index.zonesAt(121.545, 28.678, at, 'accident-segment')).toEqual([]);
    // The centre of Huangyan, on the road through it, is in the restricted area.
    expect(index.zonesAt(121.3175, 28.615, at, 'restricted-area')).toEqual(['restricted-huangyan-centre']);
  });

  it('register at least 50 carriers and 2,000 vehicles with unique 浙J· plates', () => {
    const registry = events('registry.ndjson');
    const carriers = registry.filter((e) => e.type === 'CarrierRegistered');
    const vehicles = registry.flatMap((e) => (e.type === 'VehicleRegistered' ? [e.data] : []));
    expect(carriers.length).toBeGreaterThanOrEqual(50);
    expect(vehicles.length).toBeGreaterThanOrEqual(2_000);
    expect(new Set(vehicles.map((v) => v.plateNo)).size).toBe(vehicles.length);
    for (const v of vehicles) expect(v.plateNo).toMatch(/^浙J·[A-Z0-9]{5}$/);
    const carrierIds = new Set(carriers.map((c) => (c.type === 'CarrierRegistered' ? c.data.carrierId : '')));
    for (const v of vehicles) expect(carrierIds.has(v.carrierId)).toBe(true);
  });

  it('give every vehicle a driver and an escort, and every consignor real UN numbers', () => {
    const fleet = JSON.parse(generated['fleet.json']!) as {
      vehicles: { vehicleId: string; driverId: string; escortId: string }[];
      people: { personId: string; role: string }[];
      consignors: { parkId: string; unNumbers: string[] }[];
    };
    const people = new Map(fleet.people.map((p) => [p.personId, p.role]));
    for (const v of fleet.vehicles) {
      expect(people.get(v.driverId)).toBe('driver');
      expect(people.get(v.escortId)).toBe('escort');
    }
    const known = new Set(products.map((p) => p.unNumber));
    expect(new Set(fleet.consignors.map((c) => c.parkId)).size).toBe(8);
    for (const c of fleet.consignors) for (const u of c.unNumbers) expect(known.has(u)).toBe(true);
    expect(known).toEqual(new Set([...known].filter((u) => /^\d{4}$/.test(u))));
    for (const un of ['1230', '1090', '1294', '1648', '2014', '1593', '1789', '1830', '1005', '1075']) expect(known.has(un)).toBe(true);
  });

  it('draw the roads G15, G1523, S28 and G104 and the park access roads, marked approximate', () => {
    const roads = JSON.parse(generated['roads.json']!) as { features: { properties: { id: string; approximate: boolean }; geometry: { type: string } }[] };
    const lines = roads.features.filter((f) => f.geometry.type === 'LineString');
    expect(lines.map((f) => f.properties.id)).toEqual(expect.arrayContaining(['G15', 'G1523', 'S28', 'G104', 'acc-park-jiaojiang', 'acc-park-xianju']));
    for (const f of roads.features) expect(f.properties.approximate).toBe(true);
  });
});
