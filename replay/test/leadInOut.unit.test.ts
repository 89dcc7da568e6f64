import { DetectionEngine, resolveDetectionConfig } from '@dgt/detection';
import { detectionsStream } from '@dgt/eventstore';
import { describe, expect, it } from 'vitest';
import { exportSelection } from '../src/exportSelection.ts';
import { ndjsonSource } from '../src/ndjsonSource.ts';
import { renderReportHtml } from '../src/html.ts';
import { runReplay } from '../src/runReplay.ts';
import { normaliseSelection } from '../src/selection.ts';
import { storeSource } from '../src/storeSource.ts';
import { linesOf, scenario, storeWith } from './fixtures.ts';

const thresholds = resolveDetectionConfig({});
/** V1 stops laden at the roadside at 08:00; illegal parking from 08:10 (stop since 08:00) to 08:26. */
const parked = scenario('02-parked-laden-roadside-25min');
const empty = scenario('08b-pass-through-segment-empty');

async function replay(selection: Record<string, unknown>, extra: { verify?: boolean } = {}) {
  const store = await storeWith([...parked, ...empty]);
  const engine = new DetectionEngine(thresholds);
  for (const e of [...parked, ...empty]) for (const d of engine.apply(e).detections) await store.append(detectionsStream(d.data.vehicleId), [d]);
  return (await runReplay({ selection: normaliseSelection(selection), thresholds, ...extra }, storeSource(store))).report;
}

const rows = (list: readonly { id: string; startedAt: string; since: string; endedAt: string | null }[]) => list.map((o) => [o.id, o.startedAt, o.since, o.endedAt]);

describe('replay lead-in and lead-out: a window cut through a stop lists what live listed, with its end', () => {
  it('reports a violation that started in the window with the stop start of before it, as the whole run does', async () => {
    const whole = await replay({ vehicles: ['V1'] });
    const cut = await replay({ vehicles: ['V1'], from: '2026-03-02T08:05:00+08:00' });
    expect(rows(cut.violations)).toEqual(rows(whole.violations));
    expect(rows(cut.violations)).toEqual([['V1-p10/IllegalParkingStarted', '2026-03-02T08:10:00+08:00', '2026-03-02T08:00:00+08:00', '2026-03-02T08:26:00+08:00']]);
    expect(cut.counts.leadInPositions).toBe(8);
    expect(cut.selection.resolved.window).toEqual({ from: '2026-03-02T08:05:00+08:00', to: null, fedFrom: '2026-03-01T00:05:00.000Z', fedTo: null });
  });

  it('reports a violation still open at `to` with the end the lead-out shows, and nothing that starts after `to`', async () => {
    const cut = await replay({ vehicles: ['V1'], from: '2026-03-02T08:05:00+08:00', to: '2026-03-02T08:20:00+08:00' });
    expect(rows(cut.violations)).toEqual([['V1-p10/IllegalParkingStarted', '2026-03-02T08:10:00+08:00', '2026-03-02T08:00:00+08:00', '2026-03-02T08:26:00+08:00']]);
    expect(cut.violations[0]?.detectionIds).toEqual(['V1-p10/IllegalParkingStarted', 'V1-l26/IllegalParkingEnded']);
    // The closing detection came after `to`: the row has it, the window's detections do not.
    expect(cut.detections.map((d) => d.eventId)).toEqual(['V1-p10/IllegalParkingStarted']);
    expect(cut.counts.leadOutPositions).toBeGreaterThan(0);
    const bare = await replay({ vehicles: ['V1'], from: '2026-03-02T08:05:00+08:00', to: '2026-03-02T08:20:00+08:00', leadOutHours: 0 });
    expect(bare.violations[0]?.endedAt).toBeNull();
    const after = await replay({ vehicles: ['V1'], from: '2026-03-02T07:00:00+08:00', to: '2026-03-02T08:10:00+08:00' });
    expect(after.violations).toEqual([]);
  });

  it('reports nothing for a window that starts inside a violation: it started before, and its end closes it without a new one', async () => {
    const cut = await replay({ vehicles: ['V1'], from: '2026-03-02T08:12:00+08:00' });
    expect(cut.violations).toEqual([]);
    expect(cut.detections.map((d) => d.eventId)).toEqual(['V1-l26/IllegalParkingEnded']);
  });

  it('without a lead-in, starts the stop at `from` and reports a violation live never had (why the lead-in exists)', async () => {
    const bare = await replay({ vehicles: ['V1'], from: '2026-03-02T08:12:00+08:00', leadInHours: 0 });
    expect(rows(bare.violations)).toEqual([['V1-p22/IllegalParkingStarted', '2026-03-02T08:22:00+08:00', '2026-03-02T08:12:00+08:00', '2026-03-02T08:26:00+08:00']]);
  });

  it('verifies the window only: live detections of the lead-in are not compared, the window\'s match', async () => {
    const report = await replay({ vehicles: ['V1'], from: '2026-03-02T08:12:00+08:00' }, { verify: true });
    expect(report.verify).toMatchObject({ live: 1, replayed: 1, matched: 1, differences: [] });
  });

  it('exports the lead-in with the window, and the export replays to the same rows; an export made before lead-ins replays as one of 0 h', async () => {
    const store = await storeWith(parked);
    const selection = normaliseSelection({ vehicles: ['V1'], from: '2026-03-02T08:05:00+08:00' });
    const lines: string[] = [];
    await exportSelection(selection, storeSource(store), async (l) => void lines.push(l));
    const again = await runReplay({ selection: normaliseSelection({}), thresholds }, ndjsonSource(linesOf(lines.join('\n'))));
    expect(rows(again.report.violations)).toEqual([['V1-p10/IllegalParkingStarted', '2026-03-02T08:10:00+08:00', '2026-03-02T08:00:00+08:00', '2026-03-02T08:26:00+08:00']]);

    // Format 1 (before lead-ins): events fed from `from`; its header has no lead-in and no fedFrom.
    const bare = normaliseSelection({ vehicles: ['V1'], from: '2026-03-02T08:05:00+08:00', leadInHours: 0, leadOutHours: 0 });
    const bareLines: string[] = [];
    await exportSelection(bare, storeSource(store), async (l) => void bareLines.push(l));
    const header = JSON.parse(bareLines[0]!) as { dgtExport: { selection: Record<string, unknown>; resolved: { window: Record<string, unknown> } } };
    const { leadInHours: _in, leadOutHours: _out, ...selectionV1 } = header.dgtExport.selection;
    const { fedFrom: _from, fedTo: _to, ...windowV1 } = header.dgtExport.resolved.window;
    const v1 = JSON.stringify({ dgtExport: { format: 'dgt-export/1', selection: selectionV1, resolved: { ...header.dgtExport.resolved, window: windowV1 } } });
    const old = await runReplay({ selection: normaliseSelection({}), thresholds }, ndjsonSource(linesOf([v1, ...bareLines.slice(1)].join('\n'))));
    const direct = await runReplay({ selection: bare, thresholds }, storeSource(store));
    expect(old.report.selection).toEqual(direct.report.selection);
    expect(rows(old.report.violations)).toEqual(rows(direct.report.violations));
  });
});

describe('replay report: violations and advisories apart', () => {
  it('lists a passage as an advisory, in its own table, never among the violations', async () => {
    const report = await replay({});
    expect(report.violations.map((v) => [v.category, v.kind])).toEqual([['violation', 'illegal-parking']]);
    expect(report.advisories.map((a) => [a.category, a.kind, a.laden])).toEqual([['advisory', 'segment-passage', false]]);
    const html = renderReportHtml(report);
    const violations = html.slice(html.indexOf('<h2>Violations</h2>'), html.indexOf('<h2>Advisories</h2>'));
    const advisories = html.slice(html.indexOf('<h2>Advisories</h2>'), html.indexOf('<h2>Timeline per vehicle</h2>'));
    expect(violations).toContain('Illegal parking');
    expect(violations).not.toContain('segment passage');
    expect(advisories).toContain('Accident-prone segment passage');
  });
});
