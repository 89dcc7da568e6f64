import { describe, expect, it } from 'vitest';
import { type Detected, type Expected, type Mismatch, scoreKind, timing } from '../src/scoring.ts';

const T0 = Date.parse('2026-03-02T08:00:00+08:00');
const exp = (vehicleId: string, startS: number, zoneId = '', laden = true): Expected => ({
  vehicleId,
  zoneId,
  startMs: T0 + startS * 1000,
  endMs: T0 + (startS + 600) * 1000,
  start: '',
  attributes: { laden },
  group: zoneId || 'none',
});
const det = (vehicleId: string, startS: number, zoneId = '', laden = true): Detected => ({
  vehicleId,
  zoneId,
  startMs: T0 + startS * 1000,
  endMs: T0 + (startS + 610) * 1000,
  start: '',
  attributes: { laden },
});

describe('scoreKind', () => {
  it('matches same vehicle and zone within the tolerance, one to one, closest first', () => {
    const mismatches: Mismatch[] = [];
    const score = scoreKind('segment-passage', 'advisory', [exp('V1', 0, 'z1'), exp('V1', 1000, 'z1')], [det('V1', 1010, 'z1'), det('V1', 20, 'z1'), det('V1', 30, 'z1')], 300, mismatches);
    expect(score).toMatchObject({ truth: 2, detected: 3, tp: 2, fp: 1, fn: 0 });
    expect(score.precision).toBeCloseTo(2 / 3);
    expect(score.recall).toBe(1);
    expect(score.startError.maxS).toBe(20);
    expect(mismatches).toEqual([expect.objectContaining({ kind: 'segment-passage', type: 'false-positive', vehicleId: 'V1', zoneId: 'z1' })]);
  });

  it('counts a detection of another zone, another vehicle or outside the tolerance as a false positive and a miss', () => {
    const mismatches: Mismatch[] = [];
    const score = scoreKind('segment-passage', 'advisory', [exp('V1', 0, 'z1'), exp('V2', 0, 'z1'), exp('V3', 0, 'z1')], [det('V1', 0, 'z2'), det('V9', 0, 'z1'), det('V3', 301, 'z1')], 300, mismatches);
    expect(score).toMatchObject({ tp: 0, fp: 3, fn: 3, precision: 0, recall: 0 });
    expect(mismatches.filter((m) => m.type === 'missed')).toHaveLength(3);
  });

  it('reports attribute disagreements and end errors of matched pairs, and recall by group', () => {
    const score = scoreKind('segment-passage', 'advisory', [exp('V1', 0, 'z1'), exp('V2', 0, 'z2')], [det('V1', 5, 'z1', false)], 300, []);
    expect(score.attributeMismatches).toEqual({ laden: 1 });
    expect(score.endError.meanS).toBe(15);
    expect(score.groups).toEqual({ z1: { truth: 1, tp: 1 }, z2: { truth: 1, tp: 0 } });
  });

  it('leaves the end error out when the truth has no end (the occurrence outlasts the simulation)', () => {
    const score = scoreKind('overspeed', 'violation', [{ ...exp('V1', 0), endMs: null }], [det('V1', 0)], 300, []);
    expect(score.endError.count).toBe(0);
  });

  it('scores an empty run as perfect rather than dividing by zero', () => {
    const score = scoreKind('illegal-parking', 'violation', [], [], 300, []);
    expect(score).toMatchObject({ precision: 1, recall: 1 });
  });
});

describe('timing', () => {
  it('gives mean, 95th percentile and extremes', () => {
    const t = timing(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(t).toEqual({ count: 100, meanS: 50.5, p95S: 95, maxS: 100, minS: 1 });
  });
});
