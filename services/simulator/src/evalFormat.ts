import { detectionCatalogue } from '@dgt/detection';
import { ACCURACY_TARGET, type EvalReport, meetsTarget } from './evaluate.ts';
import { startRuleOf } from './evalKinds.ts';

/** The report as a plain-text table (one row per kind of detection), then how it was measured. */
export function formatReport(report: EvalReport, target = ACCURACY_TARGET): string {
  const head = ['kind', 'category', 'truth', 'detected', 'TP', 'FP', 'FN', 'precision', 'recall', 'start err s mean/p95/max', 'end err s mean/p95/max'];
  // Interpolated times carry sub-millisecond float noise: no "-0.0".
  const f1 = (x: number) => (Math.abs(x) < 0.05 ? 0 : x).toFixed(1);
  const rows = report.scores.map((s) => [
    s.kind,
    s.category,
    String(s.truth),
    String(s.detected),
    String(s.tp),
    String(s.fp),
    String(s.fn),
    s.precision.toFixed(4),
    s.recall.toFixed(4),
    `${f1(s.startError.meanS)} / ${f1(s.startError.p95S)} / ${f1(s.startError.maxS)}`,
    `${f1(s.endError.meanS)} / ${f1(s.endError.p95S)} / ${f1(s.endError.maxS)}`,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  const t = report.truth;
  const n = t.negatives;
  const inj = t.injected;
  const fa = t.faults;
  const e = report.engine;
  const verdict = meetsTarget(report, target) ? `PASS: precision and recall ≥ ${target} for every kind` : `FAIL: below the ${target} target`;
  const breakdown = report.scores.flatMap((s) => {
    const groups = Object.entries(s.groups)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([g, c]) => `${g} ${c.tp}/${c.truth}`);
    const attrs = Object.entries(s.attributeMismatches).map(([a, c]) => `${a} ${c}`);
    return [
      `  ${s.kind} (${detectionCatalogue[s.kind].label.en}): start = ${startRuleOf(s.kind)}`,
      `    found by group: ${groups.length > 0 ? groups.join(', ') : 'none expected'}; attribute disagreements among matches: ${attrs.length > 0 ? attrs.join(', ') : 'none'}`,
    ];
  });
  return [
    `dgt eval — seed ${t.seed}, ${t.vehicles} vehicles × ${t.days} day(s) from ${t.start.slice(0, 10)} = ${report.vehicleDays} vehicle-days`,
    '',
    line(head),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
    '',
    `matching: same kind and vehicle (+ same zone for restricted entries and segment passages), detected start within ±${report.toleranceS} s of the truth start; one-to-one, closest first.`,
    ...breakdown,
    `rules: general limit ${t.rules.overspeedKmh} km/h, overspeed after ${t.rules.overspeedMinS} s, exit after ${t.rules.segmentExitFixes} outside fixes, ` +
      `passages between fixes up to ${t.rules.crossMaxGapS} s apart and ${t.rules.crossMaxSpeedKmh} km/h; ` +
      `fatigue after ${t.rules.fatigueAfterS} s without a ${t.rules.restMinS} s rest, offline after ${t.rules.offlineAfterS} s (a clock tick every minute), ` +
      `deviation after ${t.rules.routeDeviationFixes} fixes off the declared route`,
    `injected: ${inj.overspeedGeneral} overspeeds over the general limit and ${inj.overspeedInZone} through lower-limit zones, ` +
      `${inj.restrictedShortcuts} laden shortcuts through a restricted area, ${inj.nightTrips} early-morning laden runs through night-banned segments; ` +
      `${inj.longRuns} laden and ${inj.emptyLongRuns} empty long runs (${inj.gapRests} rests with the terminal off in place), ` +
      `terminals switched off on the road ${inj.switchOffsLaden} times laden and ${inj.switchOffsAssigned} only assigned; ` +
      `${inj.routedWaybills} waybills with a declared route (${inj.gcj02Routes} in GCJ-02), ${inj.detours} detours off it`,
    `negatives (must not be reported): ${n.shortLadenStops} short laden roadside stops (2–8 min), ${n.emptyRoadsideStops} long empty roadside stops, ` +
      `${n.ladenLotRests} laden rests in dedicated lots, ${n.loadingStops} loading and ${n.unloadingStops} unloading stops, ${n.redLightStops} red lights; ` +
      `${n.shortOverspeeds} bursts over the limit shorter than ${t.rules.overspeedMinS} s; visits to banned zones breaking no ban: ` +
      `${n.bannedZoneVisitsEmpty} empty, ${n.bannedZoneVisitsOtherClass} laden with classes not banned, ${n.bannedZoneVisitsOutsideHours} laden outside the banned hours; ` +
      `${n.restedLongRuns} long runs rested in time, ${n.shortBreaks} breaks of 5–19 min while driving, ${n.shortDeviationRuns} runs off the route shorter than ` +
      `${t.rules.routeDeviationFixes} fixes (${inj.shortDetours} short detours injected), ${n.shortSwitchOffs} switch-offs of 4–15 min`,
    `noise: ${fa.fixes} fixes; ${fa.outOfOrder} out of order, ${fa.duplicates} duplicated, ${fa.malformed} malformed (skipped), ` +
      `${fa.movingGaps} signal-loss gaps (${fa.droppedInGaps} fixes lost or uploaded late), ${fa.sleepGaps} terminal sleeps, ${fa.switchOffs} switch-offs; ` +
      `parked drift ±${t.noise.parkedDriftM} m with phantom speeds up to ${t.noise.phantomSpeedMaxKmh} km/h on ${Math.round(t.noise.phantomSpeedShare * 100)} % of stationary fixes`,
    `engine: ${e.events} events, ${e.positions} positions, ${e.late} late and ${e.duplicates} duplicates ignored, ${e.rejected} refused`,
    verdict,
  ].join('\n');
}
