import { describe, expect, it } from 'vitest';
import type { LonLat, ZoneSpec } from '../src/index.ts';
import { ZoneIndex } from '../src/index.ts';
import { seededRandom } from './seededRandom.ts';
import { offset } from './taizhouZones.ts';

const T = Date.UTC(2025, 2, 1);
const here: LonLat = [121.4321, 28.6812];

function lot(id: number): ZoneSpec {
  const centre = offset(here, id * 500, 0);
  return { zoneId: `lot-${id}`, kind: 'parking-lot', name: 'lot', datum: 'WGS84', polygon: [offset(centre, -50, -50), offset(centre, 50, -50), offset(centre, 50, 50), offset(centre, -50, 50)] };
}

/** The versions' intervals as the index's documented rules make them: a designation or withdrawal ends every later-ending version of the zone at its time. */
class IntervalModel {
  readonly versions: { zoneId: string; fromMs: number; toMs: number }[] = [];
  private supersede(zoneId: string, atMs: number): void {
    for (const v of this.versions) if (v.zoneId === zoneId && v.toMs > atMs) v.toMs = Math.max(atMs, v.fromMs);
  }
  designate(zoneId: string, fromMs: number): void {
    this.supersede(zoneId, fromMs);
    this.versions.push({ zoneId, fromMs, toMs: Infinity });
  }
  withdraw(zoneId: string, atMs: number): boolean {
    if (!this.versions.some((v) => v.zoneId === zoneId && v.toMs === Infinity)) return false;
    this.supersede(zoneId, atMs);
    return true;
  }
  stableUntil(tMs: number): number {
    let best = Infinity;
    for (const v of this.versions) for (const x of [v.fromMs, v.toMs]) if (x > tMs && x < best) best = x;
    return best;
  }
}

describe('ZoneIndex.stableUntil, kept up to date change by change', () => {
  it('is the next start or end of any version after designations, amendments (out of time order too) and withdrawals', () => {
    const rnd = seededRandom(2121);
    const index = new ZoneIndex({ coversOnDemand: true });
    const model = new IntervalModel();
    for (let step = 0; step < 600; step++) {
      const id = Math.floor(rnd() * 12);
      const at = T + Math.floor(rnd() * 200) * 60_000;
      if (rnd() < 0.3) expect(index.withdraw(`lot-${id}`, at)).toBe(model.withdraw(`lot-${id}`, at));
      else {
        index.designate(lot(id), at);
        model.designate(`lot-${id}`, at);
      }
      for (let q = 0; q < 5; q++) {
        const t = T + Math.floor(rnd() * 210 * 60_000) - 5 * 60_000;
        expect(index.stableUntil(t)).toBe(model.stableUntil(t));
      }
    }
    expect(index.stableUntil(T + 300 * 60_000)).toBe(Infinity);
  });
});
