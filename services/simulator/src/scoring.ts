import type { DetectionKind } from '@dgt/detection';

/** A value compared between a matched detection and its truth (laden flag, rule, limit, …). */
export type Attribute = string | number | boolean | null;

/** A detection reduced to what matching needs (zoneId '' where the kind has no zone). */
export interface Detected {
  vehicleId: string;
  zoneId: string;
  startMs: number;
  endMs: number | null;
  start: string;
  attributes: Readonly<Record<string, Attribute>>;
}

/** A ground-truth item reduced to what matching needs (zoneId '' where the kind has no zone). */
export interface Expected {
  vehicleId: string;
  zoneId: string;
  startMs: number;
  endMs: number | null;
  start: string;
  attributes: Readonly<Record<string, Attribute>>;
  /** A label to break recall down by (a zone, a rule, the general limit). */
  group: string;
}

export interface TimingStats {
  count: number;
  meanS: number;
  p95S: number;
  maxS: number;
  minS: number;
}

export interface KindScore {
  kind: DetectionKind;
  category: 'violation' | 'advisory';
  truth: number;
  detected: number;
  tp: number;
  fp: number;
  fn: number;
  precision: number;
  recall: number;
  /** Detected start − truth start, over matched pairs. */
  startError: TimingStats;
  /** Detected end − truth end, over matched pairs whose both ends are known. */
  endError: TimingStats;
  /** Matched pairs that disagree on an attribute, by attribute. */
  attributeMismatches: Record<string, number>;
  /** Truth items and how many were found, by group. */
  groups: Record<string, { truth: number; tp: number }>;
}

export interface Mismatch {
  kind: DetectionKind;
  type: 'missed' | 'false-positive';
  vehicleId: string;
  zoneId?: string;
  start: string;
}

/**
 * Matches one kind's detections to its truth and scores them. A detection matches a truth item of
 * the same vehicle (and zone, where the kind has one) when its start is within `toleranceS` of the
 * truth's; each is matched at most once, closest starts first.
 */
export function scoreKind(
  kind: DetectionKind,
  category: KindScore['category'],
  expected: readonly Expected[],
  detected: readonly Detected[],
  toleranceS: number,
  mismatches: Mismatch[],
): KindScore {
  const key = (x: { vehicleId: string; zoneId: string }) => `${x.vehicleId}@${x.zoneId}`;
  const byKey = new Map<string, { e: number[]; d: number[] }>();
  const group = (k: string) => {
    let g = byKey.get(k);
    if (g === undefined) byKey.set(k, (g = { e: [], d: [] }));
    return g;
  };
  expected.forEach((e, i) => group(key(e)).e.push(i));
  detected.forEach((d, i) => group(key(d)).d.push(i));
  const matchedE = new Set<number>();
  const matchedD = new Set<number>();
  const startErrors: number[] = [];
  const endErrors: number[] = [];
  const attributeMismatches: Record<string, number> = {};
  for (const g of byKey.values()) {
    const pairs: [number, number, number][] = [];
    for (const ei of g.e) {
      for (const di of g.d) {
        const delta = (detected[di]!.startMs - expected[ei]!.startMs) / 1000;
        if (Math.abs(delta) <= toleranceS) pairs.push([Math.abs(delta), ei, di]);
      }
    }
    pairs.sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]);
    for (const [, ei, di] of pairs) {
      if (matchedE.has(ei) || matchedD.has(di)) continue;
      matchedE.add(ei);
      matchedD.add(di);
      const e = expected[ei]!;
      const d = detected[di]!;
      startErrors.push((d.startMs - e.startMs) / 1000);
      if (d.endMs !== null && e.endMs !== null) endErrors.push((d.endMs - e.endMs) / 1000);
      for (const [name, value] of Object.entries(e.attributes)) {
        if (d.attributes[name] !== value) attributeMismatches[name] = (attributeMismatches[name] ?? 0) + 1;
      }
    }
  }
  const groups: Record<string, { truth: number; tp: number }> = {};
  expected.forEach((e, i) => {
    const g = (groups[e.group] ??= { truth: 0, tp: 0 });
    g.truth++;
    if (matchedE.has(i)) g.tp++;
    else mismatches.push({ kind, type: 'missed', vehicleId: e.vehicleId, ...(e.zoneId ? { zoneId: e.zoneId } : {}), start: e.start });
  });
  detected.forEach((d, i) => {
    if (!matchedD.has(i)) mismatches.push({ kind, type: 'false-positive', vehicleId: d.vehicleId, ...(d.zoneId ? { zoneId: d.zoneId } : {}), start: d.start });
  });
  const tp = matchedE.size;
  const fp = detected.length - matchedD.size;
  return {
    kind,
    category,
    truth: expected.length,
    detected: detected.length,
    tp,
    fp,
    fn: expected.length - tp,
    precision: detected.length === 0 ? (expected.length === 0 ? 1 : 0) : tp / (tp + fp),
    recall: expected.length === 0 ? 1 : tp / expected.length,
    startError: timing(startErrors),
    endError: timing(endErrors),
    attributeMismatches,
    groups,
  };
}

export function timing(values: readonly number[]): TimingStats {
  if (values.length === 0) return { count: 0, meanS: 0, p95S: 0, maxS: 0, minS: 0 };
  const sorted = [...values].sort((a, b) => a - b);
  const p95 = sorted[Math.min(sorted.length - 1, Math.ceil(0.95 * sorted.length) - 1)]!;
  return {
    count: sorted.length,
    meanS: sorted.reduce((a, b) => a + b, 0) / sorted.length,
    p95S: p95,
    maxS: sorted[sorted.length - 1]!,
    minS: sorted[0]!,
  };
}
