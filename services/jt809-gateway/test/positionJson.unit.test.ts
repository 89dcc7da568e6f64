import { canonicalJson } from '@dgt/events';
import type { Jt809Fix, Jt809FixInput } from '@dgt/jt809';
import { decodeFrame, encodeFrame } from '@dgt/jt809';
import { describe, expect, it } from 'vitest';
import { positionEventFromFix, positionJson, simulatedFixInput } from '../src/index.ts';
import { T0 } from './support.ts';

function decoded(edition: '2011' | '2019', fix: Jt809FixInput): Jt809Fix {
  const bytes = encodeFrame({ edition, serial: 1, centreId: 1, timeSeconds: 0 }, { type: 'vehicle-dynamic', plate: '浙J·10001', plateColour: 2, data: { kind: 'location', fix } });
  const r = decodeFrame(bytes, { edition });
  if (!r.ok || r.value.message.type !== 'vehicle-dynamic' || r.value.message.data.kind !== 'location') throw new Error('fixture did not decode');
  return r.value.message.data.fix;
}

describe('positionJson', () => {
  it('writes exactly the bytes of canonicalJson for every shape of fix the gateway publishes', () => {
    const window = { maxFutureSkewMs: 300_000, backfillWindowMs: 7 * 86_400_000 };
    let checked = 0;
    for (const edition of ['2011', '2019'] as const) {
      for (let k = 0; k < 200; k++) {
        const base = simulatedFixInput(edition, k, k, T0 + k * 1000);
        const variants: Jt809FixInput[] = [base, { ...base, coordinatesEncrypted: true }];
        if (edition === '2019' && base.layout === 'jt808') {
          variants.push({ ...base, platformAlarms: [{ platformId: 'P33', alarm: k }, { platformId: '"q\\', alarm: 1 }] });
          variants.push({ ...base, location: { ...base.location, direction: 400, alarm: 0b11, extras: { fuelL: 12.5 } } });
        }
        for (const v of variants) {
          for (const backfilled of [false, true]) {
            const o = positionEventFromFix(decoded(edition, v), backfilled, { platformId: 'carrier-a', edition, vehicleId: k % 2 === 0 ? `V${k}` : `浙J·${k}"\\`, plateNo: '浙J·10001', plateColour: 2 }, { publishUnfixed: false, receivedMs: T0 + k * 1000, window });
            if (o.kind !== 'event') throw new Error(`expected an event, got ${o.reason}`);
            expect(positionJson(o.event)).toBe(canonicalJson(o.event));
            checked++;
          }
        }
      }
    }
    expect(checked).toBe(2 * 200 * 2 * 2 + 200 * 2 * 2);
  });
});
