import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseEvent } from '@dgt/events';
import { describe, expect, it } from 'vitest';
import { productsNdjson, type FleetSeed } from './buildProducts.ts';

const read = (name: string) =>
  readFileSync(fileURLToPath(new URL(`../taizhou/${name}`, import.meta.url)), 'utf8');
const fleet = JSON.parse(read('fleet.json')) as FleetSeed;

describe('seed products (一企一品一码)', () => {
  it('are what the generator makes from fleet.json, byte for byte (regenerate: npx tsx seeds/tools/writeProducts.ts)', () => {
    expect(read('products.ndjson')).toBe(productsNdjson(fleet));
  });

  it('register every UN number every consignor ships, with real classes and text marked generic', () => {
    const events = read('products.ndjson')
      .trim()
      .split('\n')
      .map((l) => parseEvent(JSON.parse(l)));
    const shipped = fleet.consignors.flatMap((c) =>
      c.unNumbers.map((u) => `${c.consignorId}/un${u}`),
    );
    const registered = events.map((e) =>
      e.type === 'ProductRegistered' ? `${e.data.firmId}/${e.data.productId}` : '',
    );
    expect(registered.sort()).toEqual(shipped.sort());
    const methanol = events.find(
      (e) => e.type === 'ProductRegistered' && e.data.unNumber === '1230',
    );
    expect(methanol?.data).toMatchObject({
      properShippingName: '甲醇',
      hazardClass: '3',
      packingGroup: 'II',
    });
    for (const e of events)
      expect(
        e.type === 'ProductRegistered' && e.data.emergencyMeasures.startsWith('【通用示例'),
      ).toBe(true);
  });
});
