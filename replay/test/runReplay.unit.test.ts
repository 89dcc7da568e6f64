import { DetectionEngine, resolveDetectionConfig } from '@dgt/detection';
import type { DgtEvent } from '@dgt/events';
import { detectionsStream, streamFor } from '@dgt/eventstore';
import { describe, expect, it } from 'vitest';
import { exportSelection } from '../src/exportSelection.ts';
import { ndjsonSource } from '../src/ndjsonSource.ts';
import { renderReportJson } from '../src/reportJson.ts';
import { runReplay } from '../src/runReplay.ts';
import { normaliseSelection } from '../src/selection.ts';
import { storeSource } from '../src/storeSource.ts';
import { linesOf, scenario, storeWith } from './fixtures.ts';

const thresholds = resolveDetectionConfig({});
const parked = scenario('02-parked-laden-roadside-25min');
const inLot = scenario('01-parked-laden-in-lot');
const segment = scenario('08b-pass-through-segment-empty');

async function replay(events: readonly DgtEvent[], selection: Record<string, unknown>, extra: { asOf?: string; verify?: boolean } = {}) {
  const store = await storeWith(events);
  const { report } = await runReplay({ selection: normaliseSelection(selection), thresholds, ...extra }, storeSource(store));
  return { report, store };
}

describe('runReplay', () => {
  it('finds the same detections as the engine run over the same events', async () => {
    const { report } = await replay(parked, { vehicles: ['V1'] });
    const engine = new DetectionEngine(thresholds);
    const expected = parked.flatMap((e) => engine.apply(e).detections);
    expect(report.detections).toEqual(expected);
    expect(report.violations).toMatchObject([{ kind: 'illegal-parking', vehicleId: 'V1', waybillNo: 'WB1', endedAt: '2026-03-02T08:26:00+08:00' }]);
    expect(report.violations[0]?.evidence).toEqual(['V1-p0', 'WB1-loaded', 'V1-p10', 'V1-l26']);
  });

  it('includes the consignment history from before the window, so the vehicle is laden at its start', async () => {
    const { report } = await replay(parked, { vehicles: ['V1'], from: '2026-03-02T08:00:00+08:00' });
    expect(report.counts.consignmentEvents).toBe(3);
    expect(report.violations).toHaveLength(1);
  });

  it('selects a carrier\'s vehicles and a waybill\'s vehicle and lifetime from the consignment history', async () => {
    const both = [...parked, ...segment];
    expect((await replay(both, { carrier: 'C1' })).report.selection.resolved.vehicles).toEqual(['V1']);
    const byWaybill = (await replay(both, { waybill: 'WB1' })).report.selection.resolved;
    expect(byWaybill.vehicles).toEqual(['V1']);
    expect(byWaybill.window.from).toBe('2026-03-02T03:00:00+08:00');
  });

  it('selects by zone the vehicles that had a fix inside it', async () => {
    const { report } = await replay([...parked, ...segment], { zone: 'seg-g104' });
    expect(report.selection.resolved.vehicles).toEqual(['V2']);
    expect(report.violations).toEqual([]);
    expect(report.advisories.map((a) => [a.kind, a.zoneId, a.laden])).toEqual([['segment-passage', 'seg-g104', false]]);
  });

  it('states that an unknown vehicle matched nothing and reports no detections', async () => {
    const { report } = await replay(parked, { vehicles: ['NOPE'] });
    expect(report.matchedNothing).toBe(true);
    expect(report.message).toContain('matched nothing');
    expect(report.selection.vehiclesWithoutFixes).toEqual(['NOPE']);
    expect(report.detections).toEqual([]);
  });

  it('applies a zone withdrawn retroactively to the fixes after its time, and --verify shows the difference', async () => {
    const store = await storeWith(inLot);
    const engine = new DetectionEngine(thresholds);
    for (const e of inLot) for (const d of engine.apply(e).detections) await store.append(detectionsStream(d.data.vehicleId), [d]);
    const lotId = inLot.find((e) => e.type === 'ZoneDesignated' && e.data.kind === 'parking-lot');
    const withdraw: DgtEvent = { eventId: 'late-withdrawal', type: 'ZoneWithdrawn', occurredAt: '2026-03-02T00:00:00+08:00', data: { zoneId: (lotId as DgtEvent & { type: 'ZoneDesignated' }).data.zoneId } };
    await store.append(streamFor(withdraw), [withdraw]);
    const { report } = await runReplay({ selection: normaliseSelection({ vehicles: ['V1'] }), thresholds, verify: true }, storeSource(store));
    expect(report.verify?.live).toBe(0);
    expect(report.verify?.differences.map((d) => [d.kind, d.type])).toContainEqual(['missing', 'IllegalParkingStarted']);
  });

  it('reports the state as of an instant as the engine holds it after the events up to then', async () => {
    const at = '2026-03-02T08:15:00+08:00';
    const { report } = await replay(parked, { vehicles: ['V1'] }, { asOf: at });
    expect(report.asOf?.vehicles).toEqual([
      {
        vehicleId: 'V1',
        lastFix: { eventId: 'V1-p15', occurredAt: '2026-03-02T08:15:00+08:00', lon: 121.52, lat: 28.7, speedKmh: 0 },
        laden: true,
        waybillNo: 'WB1',
        carrierId: 'C1',
        stoppedSince: '2026-03-02T08:00:00+08:00',
        openViolations: [{ id: 'V1-p10/IllegalParkingStarted', kind: 'illegal-parking', startedAt: '2026-03-02T08:10:00+08:00', since: '2026-03-02T08:00:00+08:00', zoneId: null }],
        openAdvisories: [],
      },
    ]);
  });

  it('gives the same digest and report.json bytes from an export as from the store', async () => {
    const store = await storeWith([...parked, ...segment]);
    const selection = normaliseSelection({ vehicles: ['V1'], from: '2026-03-02T08:00:00+08:00' });
    const direct = await runReplay({ selection, thresholds }, storeSource(store));
    const lines: string[] = [];
    await exportSelection(selection, storeSource(store), async (l) => void lines.push(l));
    const fromExport = await runReplay({ selection: normaliseSelection({}), thresholds }, ndjsonSource(linesOf(lines.join('\n') + '\n')));
    expect(fromExport.report.digest).toEqual(direct.report.digest);
    expect(direct.report.digest.firstPosition).not.toBeNull();
    expect(renderReportJson(fromExport.report)).toBe(renderReportJson(direct.report));
  });

  it('refuses an export whose events were edited', async () => {
    const store = await storeWith(parked);
    const lines: string[] = [];
    await exportSelection(normaliseSelection({}), storeSource(store), async (l) => void lines.push(l));
    const edited = lines.map((l) => l.replace('"speedKmh":0,', '"speedKmh":1,'));
    await expect(runReplay({ selection: normaliseSelection({}), thresholds }, ndjsonSource(linesOf(edited.join('\n'))))).rejects.toMatchObject({ code: 'EXPORT_INVALID' });
  });

  it('reads plain event NDJSON as a store would record it, without store positions', async () => {
    const text = parked.map((e) => JSON.stringify(e)).join('\n');
    const { report } = await runReplay({ selection: normaliseSelection({ vehicles: ['V1'] }), thresholds }, ndjsonSource(linesOf(text)));
    expect(report.digest.firstPosition).toBeNull();
    expect(report.violations).toHaveLength(1);
  });
});

describe('normaliseSelection', () => {
  it('rejects a time without offset as BAD_TIME and sorts vehicles', () => {
    expect(() => normaliseSelection({ from: '2026-03-02T08:00:00' })).toThrow(expect.objectContaining({ code: 'BAD_TIME' }));
    expect(normaliseSelection({ vehicles: ['b', 'a', 'b'] }).vehicles).toEqual(['a', 'b']);
  });
});
