import { expect } from 'vitest';
import type { KillReport } from './killUnderLoad.ts';

/** The load every crash test drives: two kills, four posting threads, enough acknowledged per run to matter. */
export const crashLoad = { kills: 2, workers: 4, loadMs: [500, 2_500] as const, minAckedPerRun: 2_000, startTimeoutMs: 60_000, drainTimeoutMs: 60_000 };

/** Prints the counts, then holds the report to "every acknowledged id stored exactly once". */
export function expectNothingLost(report: KillReport, label: string): void {
  console.log(
    `[${label}] acknowledged ${report.acknowledged}, stored ${report.stored} (${report.storedNotAcknowledged} stored without an acknowledgement the client saw), missing ${report.missing.length}, stored more than once ${report.duplicated.length}; ${report.failedRequests} requests failed or were refused while the stack was down or starting`,
  );
  expect(report.kills).toHaveLength(crashLoad.kills);
  // Each kill found acknowledged positions that were only in the bus: the restart had to record them.
  for (const kill of report.kills) expect(kill.acknowledged - kill.recordedAtKill).toBeGreaterThan(0);
  expect(report.acknowledged).toBeGreaterThanOrEqual((crashLoad.kills + 1) * crashLoad.minAckedPerRun);
  expect(report.missing.slice(0, 10)).toEqual([]);
  expect(report.duplicated).toEqual([]);
}
