import { describe, expect, it } from 'vitest';
import { ACCURACY_TARGET, evaluate, formatReport } from '../src/evaluate.ts';

describe('detection accuracy against the simulator ground truth', () => {
  it(`reaches precision and recall ≥ ${ACCURACY_TARGET} for both detectors over 100 vehicle-days at the default noise`, () => {
    const report = evaluate({ vehicles: 50, days: 2, seed: 'ci' });
    // On failure, show the table and what was missed or invented (see the README for the known detector issue).
    const table = `${formatReport(report)}\n${report.mismatches.map((m) => `${m.detector} ${m.kind} ${m.vehicleId} ${m.zoneId ?? ''} ${m.start}`).join('\n')}`;
    const [parking, segments] = report.scores;
    // Enough cases for the ratios to mean something.
    expect(parking!.truth, table).toBeGreaterThanOrEqual(20);
    expect(segments!.truth, table).toBeGreaterThanOrEqual(50);
    expect(report.truth.faults.outOfOrder).toBeGreaterThan(0);
    expect(report.truth.faults.duplicates).toBeGreaterThan(0);
    for (const s of report.scores) {
      expect(s.precision, `${s.detector}\n${table}`).toBeGreaterThanOrEqual(ACCURACY_TARGET);
      expect(s.recall, `${s.detector}\n${table}`).toBeGreaterThanOrEqual(ACCURACY_TARGET);
      expect(s.startError.p95S, table).toBeLessThanOrEqual(120);
    }
    expect(report.ladenMismatches).toBe(0);
  });
});
