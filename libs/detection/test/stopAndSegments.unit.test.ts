import { describe, expect, it } from 'vitest';
import { defaultDetectionConfig as cfg, evolveSegments, evolveStop, type Fix, type Presence, type Stop } from '../src/index.ts';

let n = 0;
const fix = (lon: number, lat: number, speedKmh: number, ms = ++n * 60_000): Fix => ({ eventId: `f${n}`, occurredAt: `t${n}`, ms, lon, lat, speedKmh });
const metresEast = (m: number) => m / 97_700; // degrees of longitude per metre near 28.7° N

describe('stop tracker', () => {
  it('starts a stop at a fix at or below 5 km/h and not above', () => {
    expect(evolveStop(null, fix(121.5, 28.7, 5), cfg).stop).not.toBeNull();
    expect(evolveStop(null, fix(121.5, 28.7, 5.1), cfg).stop).toBeNull();
  });

  it('keeps the stop while fixes stay within 100 m, whatever their reported speed', () => {
    const start = evolveStop(null, fix(121.5, 28.7, 0), cfg).stop as Stop;
    const drift = evolveStop(start, fix(121.5 + metresEast(90), 28.7, 8), cfg);
    expect(drift).toEqual({ stop: start, ended: null });
  });

  it('ends the stop at the first fix beyond 100 m, which starts a new stop only if slow', () => {
    const start = evolveStop(null, fix(121.5, 28.7, 0), cfg).stop as Stop;
    const slowAway = fix(121.5 + metresEast(120), 28.7, 3);
    expect(evolveStop(start, slowAway, cfg)).toEqual({ stop: { anchor: slowAway, violation: null }, ended: start });
    expect(evolveStop(start, fix(121.5 + metresEast(120), 28.7, 30), cfg)).toEqual({ stop: null, ended: start });
  });
});

describe('segment presence', () => {
  const step = (presences: readonly Presence[], inside: string[]) => evolveSegments(presences, inside, fix(121.3, 28.6, 60), cfg);

  it('enters at the first fix inside', () => {
    const s = step([], ['seg-a']);
    expect(s.entered).toEqual(['seg-a']);
    expect(s.presences.map((p) => p.zoneId)).toEqual(['seg-a']);
  });

  it('does not leave on a single fix outside, and resets when back inside', () => {
    const inside = step([], ['seg-a']).presences;
    const stray = step(inside, []);
    expect(stray.exited).toEqual([]);
    const back = step(stray.presences, ['seg-a']);
    expect(back.presences).toEqual([{ zoneId: 'seg-a', outside: 0, firstOutside: null }]);
    expect(step(back.presences, []).exited).toEqual([]);
  });

  it('leaves after two consecutive fixes outside, dated at the first', () => {
    const inside = step([], ['seg-a']).presences;
    const first = fix(121.31, 28.6, 60);
    const one = evolveSegments(inside, [], first, cfg);
    const two = evolveSegments(one.presences, [], fix(121.32, 28.6, 60), cfg);
    expect(two.exited).toEqual([{ zoneId: 'seg-a', at: first }]);
    expect(two.presences).toEqual([]);
  });

  it('tracks overlapping segments independently and in zone-id order', () => {
    const s = step([], ['seg-a', 'seg-b']);
    expect(s.entered).toEqual(['seg-a', 'seg-b']);
    const t = step(step(s.presences, ['seg-b']).presences, ['seg-b']);
    expect(t.exited.map((x) => x.zoneId)).toEqual(['seg-a']);
    expect(t.presences.map((p) => p.zoneId)).toEqual(['seg-b']);
  });
});
