import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DetectionEngine } from '@dgt/detection';
import { auditStream, epochMs } from '@dgt/events';
import { openSqliteEventStore } from '@dgt/eventstore';
import { beforeAll, describe, expect, it } from 'vitest';
import { runDgt } from '../src/runDgt.ts';
import { fleetEvents, liveStore } from './support/seedStore.ts';

const window = ['--from', '2026-03-02T07:00:00+08:00', '--to', '2026-03-02T09:00:00+08:00'];
let store: { dir: string; path: string };

beforeAll(async () => {
  store = await liveStore(fleetEvents());
});

const digestOf = (stdout: string) => /evidence digest: sha256 ([0-9a-f]{64}) \((\d+) events, store positions (\S+) \.\. (\S+)\)/.exec(stdout)?.slice(1);

describe('dgt replay golden runs', () => {
  it('gives a byte-identical report.json when the same selection is replayed twice', async () => {
    const a = await runDgt(['replay', '--store', store.path, ...window, '--out', join(store.dir, 'a'), '--operator', 'inspector-wang']);
    const b = await runDgt(['replay', '--store', store.path, ...window, '--out', join(store.dir, 'b')]);
    expect([a.code, b.code]).toEqual([0, 0]);
    const json = readFileSync(join(store.dir, 'a', 'report.json'));
    expect(readFileSync(join(store.dir, 'b', 'report.json')).equals(json)).toBe(true);
    const report = JSON.parse(json.toString()) as { counts: { violations: number; vehicles: number }; thresholds: Record<string, number>; violations: { kind: string }[]; advisories: { kind: string; laden: boolean }[] };
    // V1's illegal parking is the one violation; both passages (V1-8 laden, V2 empty) are advisories.
    expect(report.counts).toMatchObject({ violations: 1, advisories: 2, violationsByKind: { 'illegal-parking': 1, 'restricted-entry': 0, overspeed: 0 }, advisoriesByKind: { 'segment-passage': 2 }, vehicles: 3 });
    expect(report.violations.map((v) => v.kind)).toEqual(['illegal-parking']);
    expect(report.advisories.map((a) => [a.kind, a.laden])).toEqual([
      ['segment-passage', true],
      ['segment-passage', false],
    ]);
    expect(Object.keys(report.thresholds)).toEqual(expect.arrayContaining(['duplicateWindow', 'illegalParkingAfterS', 'segmentExitFixes', 'siteRadiusM', 'stopLeadInSpeedKmh', 'stopRadiusM', 'stopSpeedKmh']));
    expect(readFileSync(join(store.dir, 'a', 'report.html'), 'utf8')).toContain('<svg');
    // The operator heads the page of the run that named it; report.json (compared above) is the same for both.
    expect(readFileSync(join(store.dir, 'a', 'report.html'), 'utf8')).toMatch(/operator<\/td><td><span class="mono">inspector-wang</);
    expect(readFileSync(join(store.dir, 'b', 'report.html'), 'utf8')).not.toContain('inspector-wang');
    // Header, one row each, and the final CRLF.
    expect(readFileSync(join(store.dir, 'a', 'violations.csv'), 'utf8').split('\r\n')).toHaveLength(3);
    expect(readFileSync(join(store.dir, 'a', 'advisories.csv'), 'utf8').split('\r\n')).toHaveLength(4);
  });

  it('records every run in the audit stream with the operator, digest and counts', async () => {
    const r = await runDgt(['replay', '--store', store.path, '--vehicle', 'V2', '--operator', 'inspector-li', '--quiet']);
    expect(r.code).toBe(0);
    const s = openSqliteEventStore({ path: store.path });
    const audits = [];
    for await (const e of s.readStream(auditStream)) audits.push(e.event);
    await s.close();
    const mine = audits.find((e) => (e.data as { operator: { id: string } }).operator.id === 'inspector-li');
    expect(mine?.data).toMatchObject({ source: 'store', selection: { vehicles: ['V2'] }, digest: { sha256: digestOf(r.stdout)?.[0] }, counts: { violations: 0, advisories: 1, 'advisories.segment-passage': 1 } });
  });

  it('exports a selection that replays elsewhere to the same digest and the same report.json bytes', async () => {
    const sel = ['--vehicle', 'V1', '--vehicle', 'V1-8', ...window];
    const exported = join(store.dir, 'export.ndjson');
    const e = await runDgt(['export', '--store', store.path, ...sel, '--out', exported]);
    expect(e.code).toBe(0);
    const direct = await runDgt(['replay', '--store', store.path, ...sel, '--out', join(store.dir, 'direct')]);
    const offline = await runDgt(['replay', '--input', exported, '--out', join(store.dir, 'offline')]);
    expect([direct.code, offline.code]).toEqual([0, 0]);
    expect(digestOf(offline.stdout)).toEqual(digestOf(direct.stdout));
    expect(e.stderr).toContain(digestOf(direct.stdout)?.[0]);
    expect(readFileSync(join(store.dir, 'offline', 'report.json')).equals(readFileSync(join(store.dir, 'direct', 'report.json')))).toBe(true);
  });

  it('passes --verify after live processing', async () => {
    const r = await runDgt(['replay', '--store', store.path, '--verify']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('verify: OK, 6 of 6 live detections recomputed identically');
  });

  it('prints the recomputed detections as NDJSON with --format ndjson', async () => {
    const r = await runDgt(['replay', '--store', store.path, '--vehicle', 'V1', '--format', 'ndjson']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { eventId: string }).eventId)).toEqual(['V1-p10/IllegalParkingStarted', 'V1-l26/IllegalParkingEnded']);
    expect(r.stderr).toContain('evidence digest');
  });

  it('reports with --as-of the state the live engine held at that time', async () => {
    const at = '2026-03-02T08:03:00+08:00';
    const r = await runDgt(['replay', '--store', store.path, '--as-of', at, '--format', 'json']);
    expect(r.code).toBe(0);
    type Open = { kind: string; zoneId: string | null };
    const asOf = (JSON.parse(r.stdout) as { asOf: { vehicles: { vehicleId: string; laden: boolean; waybillNo: string | null; stoppedSince: string | null; lastFix: { eventId: string } | null; openViolations: Open[]; openAdvisories: Open[] }[] } }).asOf;
    const live = new DetectionEngine();
    for (const e of fleetEvents()) if (epochMs(e.occurredAt) <= epochMs(at)) live.apply(e);
    expect(asOf.vehicles.map((v) => v.vehicleId)).toEqual(['V1', 'V1-8', 'V2']);
    for (const v of asOf.vehicles) {
      const s = live.vehicle(v.vehicleId);
      expect(v.lastFix?.eventId).toBe(s?.lastFix?.eventId);
      expect([v.laden, v.waybillNo, v.stoppedSince]).toEqual([s?.ladenWaybillNo != null, s?.ladenWaybillNo ?? null, s?.stoppedSince ?? null]);
      expect(v.openAdvisories.flatMap((o) => o.zoneId ?? [])).toEqual(s?.inSegments);
      expect(v.openViolations.length > 0).toBe(s?.illegalParkingSince != null);
    }
    // V2, empty, in the segment at that instant: an open passage, no violation.
    const v2 = asOf.vehicles.find((v) => v.vehicleId === 'V2');
    expect(v2?.openViolations).toEqual([]);
    expect(v2?.openAdvisories).toMatchObject([{ kind: 'segment-passage', zoneId: 'seg-g104' }]);
  });
});
