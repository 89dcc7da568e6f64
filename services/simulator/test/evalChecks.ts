import { expect } from 'vitest';
import { formatReport } from '../src/evalFormat.ts';
import { ACCURACY_TARGET, type EvalReport, evaluate } from '../src/evaluate.ts';
import type { KindScore } from '../src/scoring.ts';

/** Fewer truth items than this in 100 vehicle-days and a ratio of 0.99 would mean nothing. */
const minimumTruth: Readonly<Record<KindScore['kind'], number>> = {
  'illegal-parking': 20,
  'restricted-entry': 15,
  overspeed: 30,
  'segment-passage': 150,
  'fatigue-driving': 5,
  'terminal-offline': 15,
  'route-deviation': 10,
};

/**
 * The accuracy target on 100 vehicle-days of one seed: every kind of the catalogue at precision
 * and recall ≥ 0.99, enough cases of each to mean it, and matched pairs agreeing on their
 * attributes (laden flag, rule, limit and zone, the run's first fix).
 */
export function expectAccurate(seed: string): EvalReport {
  const report = evaluate({ vehicles: 50, days: 2, seed });
  // On failure, show the table and what was missed or invented.
  const table = `${formatReport(report)}\n${report.mismatches.map((m) => `${m.kind} ${m.type} ${m.vehicleId} ${m.zoneId ?? ''} ${m.start}`).join('\n')}`;
  expect(report.scores.map((s) => s.kind)).toEqual(['illegal-parking', 'restricted-entry', 'overspeed', 'fatigue-driving', 'terminal-offline', 'route-deviation', 'segment-passage']);
  expect(report.truth.faults.outOfOrder).toBeGreaterThan(0);
  expect(report.truth.faults.duplicates).toBeGreaterThan(0);
  for (const s of report.scores) {
    expect(s.truth, `${s.kind}\n${table}`).toBeGreaterThanOrEqual(minimumTruth[s.kind]);
    expect(s.precision, `${s.kind}\n${table}`).toBeGreaterThanOrEqual(ACCURACY_TARGET);
    expect(s.recall, `${s.kind}\n${table}`).toBeGreaterThanOrEqual(ACCURACY_TARGET);
    expect(s.startError.p95S, `${s.kind}\n${table}`).toBeLessThanOrEqual(120);
    expect(s.attributeMismatches, `${s.kind}\n${table}`).toEqual({});
  }
  // Negatives were there to be wrongly reported.
  const n = report.truth.negatives;
  expect(n.shortOverspeeds, table).toBeGreaterThan(10);
  expect(n.bannedZoneVisitsEmpty, table).toBeGreaterThan(10);
  expect(n.bannedZoneVisitsOtherClass, table).toBeGreaterThan(5);
  expect(n.bannedZoneVisitsOutsideHours, table).toBeGreaterThan(5);
  // Issue #16's negatives: proper rests on long runs, breaks too short to be rests, runs off the
  // route too short to be deviations, switch-offs too short to be offline.
  expect(n.restedLongRuns, table).toBeGreaterThan(2);
  expect(n.shortBreaks, table).toBeGreaterThan(10);
  expect(n.shortDeviationRuns, table).toBeGreaterThan(5);
  expect(n.shortSwitchOffs, table).toBeGreaterThan(5);
  // And the situations each rule has to tell apart were there.
  const byName = (kind: KindScore['kind']) => report.scores.find((s) => s.kind === kind)!;
  const offline = byName('terminal-offline').groups;
  const count = (groups: KindScore['groups'], prefix: string) => Object.entries(groups).filter(([g]) => g.startsWith(prefix)).reduce((a, [, c]) => a + c.truth, 0);
  expect(count(offline, 'laden '), table).toBeGreaterThan(3);
  expect(count(offline, 'assigned '), table).toBeGreaterThan(3);
  expect(count(offline, 'laden switched-off-moving') + count(offline, 'assigned switched-off-moving'), table).toBeGreaterThan(3);
  expect(report.truth.injected.gcj02Routes, table).toBeGreaterThan(5);
  // Short tunnels passed between two fixes were found too.
  const between = Object.entries(byName('segment-passage').groups).filter(([g]) => g.endsWith('(no fix inside)'));
  expect(between.reduce((a, [, c]) => a + c.truth, 0), table).toBeGreaterThan(5);
  return report;
}
