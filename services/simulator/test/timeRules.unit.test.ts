import { distanceM } from '@dgt/geo';
import type { DgtEvent } from '@dgt/events';
import { describe, expect, it } from 'vitest';
import { withClockTicks } from '../src/clockTicks.ts';
import { FatigueWatch } from '../src/fatigueWatch.ts';
import type { SimMessage } from '../src/messages.ts';
import { SphericalPath } from '../src/routeDistance.ts';
import { defaultRuleThresholds } from '../src/ruleTruth.ts';
import { TimeRuleObserver } from '../src/timeRuleTruth.ts';
import { type DeviationTruth, emptyNegatives, type FatigueTruth, type OfflineTruth } from '../src/truth.ts';

/*
 * The issue #16 truth (offline, route deviation, fatigue) against its definitions, one situation
 * each, and the clock ticks the evaluated stream carries.
 */

const V = 'V0001';
const ms = (hhmmss: string) => Date.parse(`2026-03-02T${hhmmss}+08:00`);
const iso = (t: number) => new Date(t + 8 * 3_600_000).toISOString().slice(0, 23) + '+08:00';
const DAY0 = ms('00:00:00');
const DAY1 = DAY0 + 86_400_000;
type LonLat = readonly [number, number];
const here: LonLat = [121.4, 28.6];

function fix(t: number, p: LonLat = here, arrivalMs = t): SimMessage {
  return { kind: 'event', arrivalMs, event: { eventId: `${V}-${t}`, type: 'VehiclePositionReported', occurredAt: iso(t), data: { vehicleId: V, lon: p[0], lat: p[1], speedKmh: 40 } } as DgtEvent };
}

function waybill(type: string, t: number, data: Record<string, unknown>): SimMessage {
  return { kind: 'event', arrivalMs: t, event: { eventId: `WB-1:${type}`, type, occurredAt: iso(t), data: { waybillNo: 'WB-1', ...data } } as unknown as DgtEvent };
}

/** `endMs`: the end of the window (the last tick); the default, the end of the day. */
function observe(messages: readonly SimMessage[], endMs = DAY1) {
  const offline: OfflineTruth[] = [];
  const deviations: DeviationTruth[] = [];
  const negatives = emptyNegatives();
  const o = new TimeRuleObserver(V, defaultRuleThresholds, DAY0, endMs, offline, deviations, negatives);
  for (const m of messages) o.observe(m);
  o.finish();
  return { offline, deviations, negatives };
}

describe('clock ticks in the simulated stream', () => {
  it('puts one tick per whole minute before every message arriving at or after it, and runs to the end of the window', () => {
    const at = (m: SimMessage) => (m.kind === 'event' && m.event.type === 'ClockTicked' ? `tick ${(m.arrivalMs - DAY0) / 1000}` : `msg ${(m.arrivalMs - DAY0) / 1000}`);
    const out = [...withClockTicks([fix(DAY0 + 30_000), fix(DAY0 + 120_000)], DAY0, DAY0 + 180_000)].map(at);
    expect(out).toEqual(['tick 0', 'msg 30', 'tick 60', 'tick 120', 'msg 120', 'tick 180']);
  });
});

describe('offline truth', () => {
  const t0 = ms('10:00:00');
  const assigned = [waybill('ConsignmentDeclared', t0 - 60_000, {}), waybill('CarriageAssigned', t0 - 30_000, { vehicleId: V })];

  it('goes offline at the first tick at or after last fix + offlineAfterS (a tick exactly at the deadline counts), dated at the deadline, until the next fix', () => {
    const { offline } = observe([...assigned, fix(t0), fix(t0 + 1_200_000, here, t0 + 1_200_000), fix(t0 + 1_260_000)], t0 + 1_300_000);
    expect(offline).toEqual([expect.objectContaining({ lastFixMs: t0, startMs: t0 + 1_200_000, endMs: t0 + 1_200_000, laden: false })]);
  });

  it('is not offline when the next fix arrives before a tick has passed the deadline', () => {
    expect(observe([...assigned, fix(t0), fix(t0 + 1_199_000)], t0 + 1_300_000).offline).toEqual([]);
  });

  it('needs an active consignment: none without one, none once unloaded', () => {
    expect(observe([fix(t0), fix(t0 + 3_600_000)]).offline).toEqual([]);
    const unloaded = [...assigned, waybill('LoadingCompleted', t0 - 20_000, { vehicleId: V }), waybill('UnloadingCompleted', t0 + 1000, { vehicleId: V })];
    expect(observe([...unloaded, fix(t0), fix(t0 + 3_600_000)]).offline).toEqual([]);
  });

  it('is laden when loaded at the tick, and begins when the assignment comes during the silence (dated at the deadline still)', () => {
    const loaded = [...assigned, waybill('LoadingCompleted', t0 - 20_000, { vehicleId: V })];
    expect(observe([...loaded, fix(t0), fix(t0 + 1_800_000)], t0 + 1_900_000).offline).toEqual([expect.objectContaining({ laden: true, startMs: t0 + 1_200_000 })]);
    const late = [fix(t0), waybill('ConsignmentDeclared', t0 + 1_500_000, {}), waybill('CarriageAssigned', t0 + 1_530_000, { vehicleId: V }), fix(t0 + 2_400_000)];
    expect(observe(late, t0 + 2_500_000).offline).toEqual([expect.objectContaining({ startMs: t0 + 1_200_000, endMs: t0 + 2_400_000 })]);
  });
});

describe('route deviation truth', () => {
  const t0 = ms('10:00:00');
  const route: [number, number][] = [
    [121.4, 28.6],
    [121.5, 28.6],
  ];
  const on: LonLat = [121.45, 28.6];
  const off: LonLat = [121.45, 28.61]; // ≈ 1.1 km north of the route
  const loaded = [
    waybill('ConsignmentDeclared', t0 - 60_000, { route: { path: route } }),
    waybill('CarriageAssigned', t0 - 50_000, { vehicleId: V }),
    waybill('LoadingCompleted', t0 - 40_000, { vehicleId: V }),
  ];
  const fixes = (ps: readonly LonLat[]) => ps.map((p, i) => fix(t0 + i * 20_000, p));

  it('needs routeDeviationFixes consecutive fixes beyond tolerance: two are none', () => {
    const { deviations, negatives } = observe([...loaded, ...fixes([on, off, off, on, on])]);
    expect(deviations).toEqual([]);
    expect(negatives.shortDeviationRuns).toBe(1);
  });

  it('dates the deviation at the first fix of the run and ends it at the first fix back', () => {
    const { deviations } = observe([...loaded, ...fixes([on, off, off, off, off, on])]);
    expect(deviations).toEqual([expect.objectContaining({ startMs: t0 + 20_000, endMs: t0 + 100_000, waybillNo: 'WB-1' })]);
    expect(deviations[0]!.maxDistanceM).toBeCloseTo(1112, -1);
  });

  it('ignores a vehicle that is not laden, and a waybill without a route', () => {
    expect(observe([...loaded.slice(0, 2), ...fixes([off, off, off, off])]).deviations).toEqual([]);
    const unrouted = [waybill('ConsignmentDeclared', t0 - 60_000, {}), ...loaded.slice(1)];
    expect(observe([...unrouted, ...fixes([off, off, off, off])]).deviations).toEqual([]);
  });
});

/** The point a fraction `f` along the great-circle arc a–b. */
function slerp(a: LonLat, b: LonLat, f: number): LonLat {
  const r = Math.PI / 180;
  const v = (p: LonLat) => [Math.cos(p[1] * r) * Math.cos(p[0] * r), Math.cos(p[1] * r) * Math.sin(p[0] * r), Math.sin(p[1] * r)];
  const [va, vb] = [v(a), v(b)];
  const omega = Math.acos(va[0]! * vb[0]! + va[1]! * vb[1]! + va[2]! * vb[2]!);
  const [wa, wb] = [Math.sin((1 - f) * omega) / Math.sin(omega), Math.sin(f * omega) / Math.sin(omega)];
  const [x, y, z] = [0, 1, 2].map((i) => wa * va[i]! + wb * vb[i]!) as [number, number, number];
  return [Math.atan2(y, x) / r, Math.atan2(z, Math.hypot(x, y)) / r];
}

describe('great-circle distance to a declared path', () => {
  it('agrees with a brute-force minimum over points every metre of the arcs', () => {
    const path: LonLat[] = [
      [121.2, 28.4],
      [121.35, 28.55],
      [121.36, 28.9],
    ];
    const sp = new SphericalPath(path);
    const dense: LonLat[] = [];
    for (let i = 0; i + 1 < path.length; i++) {
      const [a, b] = [path[i]!, path[i + 1]!];
      const n = Math.ceil(distanceM(a[0], a[1], b[0], b[1]));
      for (let k = 0; k <= n; k++) dense.push(slerp(a, b, k / n));
    }
    for (const q of [
      [121.3, 28.5],
      [121.31, 28.52],
      [121.4, 28.7],
      [121.1, 28.3],
      [121.36, 28.95],
    ] as const) {
      const brute = Math.min(...dense.map((p) => distanceM(q[0], q[1], p[0], p[1])));
      expect(Math.abs(sp.distanceM(q[0], q[1]) - brute)).toBeLessThan(1);
    }
  });
});

describe('fatigue truth', () => {
  const t0 = ms('06:00:00');
  const run = (f: (w: FatigueWatch) => void) => {
    const out: FatigueTruth[] = [];
    const w = new FatigueWatch(V, 14_400, 1_200, out, emptyNegatives());
    f(w);
    return out;
  };
  const drive = (w: FatigueWatch, from: number, toS: number) => {
    for (let s = 0; s <= toS; s += 20) {
      w.rolling(from + s * 1000);
      // 500 m a fix: beyond the stop radius of where it stood from the second one on.
      w.movingFix(from + s * 1000, true, s * 25, 0);
    }
  };

  it('is due at the first moving fix more than fatigueAfterS after the first one of the period', () => {
    const out = run((w) => drive(w, t0, 14_440));
    expect(out).toEqual([expect.objectContaining({ drivingSinceMs: t0, startMs: t0 + 14_420_000, laden: true })]);
  });

  it('restarts the period after a standstill of exactly restMinS, not after a shorter one', () => {
    expect(
      run((w) => {
        drive(w, t0, 7_200);
        w.halted(t0 + 7_200_000, 0, 0);
        drive(w, t0 + 7_200_000 + 1_200_000, 10_000);
      }),
    ).toEqual([]);
    expect(
      run((w) => {
        drive(w, t0, 7_200);
        w.halted(t0 + 7_200_000, 0, 0);
        drive(w, t0 + 7_200_000 + 1_199_000, 10_000);
      }),
    ).toHaveLength(1);
  });
});
