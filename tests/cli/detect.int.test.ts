import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runDgt } from '../src/runDgt.ts';

const dir = mkdtempSync(join(tmpdir(), 'dgt-detect-'));
const lot = {
  eventId: 'z1',
  type: 'ZoneDesignated',
  occurredAt: '2026-03-01T00:00:00+08:00',
  data: { zoneId: 'lot-1', kind: 'parking-lot', name: 'Lot', datum: 'WGS84', polygon: [[121.478, 28.688], [121.482, 28.688], [121.482, 28.692]] },
};
const position = (id: string, minute: number, speedKmh: unknown = 0) => ({
  eventId: id,
  type: 'VehiclePositionReported',
  occurredAt: `2026-03-01T08:${String(minute).padStart(2, '0')}:00+08:00`,
  data: { vehicleId: 'V1', lon: 121.52, lat: 28.7, speedKmh },
});
const ladenV1 = () => [
  {
    eventId: 'd', type: 'ConsignmentDeclared', occurredAt: '2026-03-01T07:00:00+08:00',
    data: { waybillNo: 'W', consignorId: 'C', goods: [{ unNumber: '1230', name: 'methanol', hazardClass: '3', quantityKg: 1 }],
      origin: { name: 'o', lon: 121.0, lat: 28.0 }, destination: { name: 'd', lon: 121.9, lat: 28.9 } },
  },
  { eventId: 'a', type: 'CarriageAssigned', occurredAt: '2026-03-01T07:01:00+08:00', data: { waybillNo: 'W', carrierId: 'K', vehicleId: 'V1', driverId: 'dr', escortId: 'es' } },
  { eventId: 'l', type: 'LoadingCompleted', occurredAt: '2026-03-01T07:02:00+08:00', data: { waybillNo: 'W', vehicleId: 'V1' } },
];
const ndjson = (...events: unknown[]) => events.map((e) => JSON.stringify(e)).join('\n') + '\n';

function file(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

describe('dgt detect', () => {
  it('stops with exit code 2 naming the line number and field of an invalid event', async () => {
    const path = file('bad.ndjson', ndjson(lot, position('p1', 0), position('p2', 1, -3), position('p3', 2)));
    const r = await runDgt(['detect', path]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('line 3');
    expect(r.stderr).toContain('data.speedKmh');
  });

  it('names the line of a line that is not JSON at all', async () => {
    const path = file('garbage.ndjson', ndjson(lot) + '{"eventId": oops\n');
    const r = await runDgt(['detect', path]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/line 2: not valid JSON/);
  });

  it('rejects an unknown event type instead of dropping it', async () => {
    const path = file('unknown.ndjson', ndjson({ ...position('p1', 0), type: 'VehicleTeleported' }));
    const r = await runDgt(['detect', path]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('line 1: type: unknown event type "VehicleTeleported"');
  });

  it('with --skip-invalid reports bad lines on stderr and keeps processing the good ones', async () => {
    const events = [lot, position('p1', 0), position('p2', 1, 'fast'), position('p3', 2)];
    const path = file('mixed.ndjson', ndjson(...events));
    const r = await runDgt(['detect', '--skip-invalid', path]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('skipped line 3: data.speedKmh');
    expect(r.stderr).toMatch(/3 events \(2 positions\).*1 invalid lines skipped/);
  });

  it('reads events from stdin when the file is "-" and prints detections as NDJSON', async () => {
    const stops = Array.from({ length: 12 }, (_, m) => position(`p${m}`, m));
    const r = await runDgt(['detect', '-'], { input: ndjson(lot, ...ladenV1(), ...stops) });
    expect(r.code).toBe(0);
    const out = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; occurredAt: string });
    expect(out.map((e) => [e.type, e.occurredAt])).toEqual([['IllegalParkingStarted', '2026-03-01T08:10:00+08:00']]);
  });

  it('applies thresholds from --config', async () => {
    const path = file('short.ndjson', ndjson(...ladenV1(), ...Array.from({ length: 6 }, (_, m) => position(`p${m}`, m))));
    const config = file('config.json', JSON.stringify({ illegalParkingAfterS: 300 }));
    const r = await runDgt(['detect', '--config', config, path]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('"p5/IllegalParkingStarted"');
  });

  it('applies the rule thresholds from --config too (overspeedKmh, overspeedMinS, crossMaxGapS, crossMaxSpeedKmh)', async () => {
    const path = file('fast.ndjson', ndjson(position('f0', 0, 70), position('f1', 1, 70)));
    const defaults = await runDgt(['detect', path]);
    expect(defaults.stdout).toBe('');
    const config = file('overspeed.json', JSON.stringify({ overspeedKmh: 60, overspeedMinS: 60, crossMaxGapS: 90, crossMaxSpeedKmh: 120 }));
    const r = await runDgt(['detect', '--config', config, path]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('"f1/OverspeedStarted"');
    const bad = await runDgt(['detect', '--config', file('bad-cross.json', JSON.stringify({ crossMaxGapS: 0 })), path]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('crossMaxGapS');
  });

  it('refuses an invalid --config with exit code 2 and the offending field', async () => {
    const config = file('bad-config.json', JSON.stringify({ stopRadiusM: -1 }));
    const r = await runDgt(['detect', '--config', config, file('empty.ndjson', '')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('stopRadiusM');
  });

  it('exits 2 with a readable message for a missing file and for unknown options', async () => {
    const missing = await runDgt(['detect', join(dir, 'nope.ndjson')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no such file');
    const unknown = await runDgt(['detect', '--frobnicate', 'x']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('--frobnicate');
  });

  it('prints help for dgt --help and dgt detect --help', async () => {
    const top = await runDgt(['--help']);
    expect(top.code).toBe(0);
    expect(top.stdout).toContain('detect');
    const sub = await runDgt(['detect', '--help']);
    expect(sub.code).toBe(0);
    expect(sub.stdout).toContain('--skip-invalid');
  });
});

describe('dgt keys', () => {
  it('makes a key whose configuration entry holds only its SHA-256, which `keys hash` reproduces', async () => {
    const made = await runDgt(['keys', 'new', '--role', 'carrier:C-17']);
    expect(made.code).toBe(0);
    const key = /key \(shown once[^:]*\): (\S+)/.exec(made.stdout)?.[1] ?? '';
    const entry = JSON.parse(/entry for DGT_API_KEYS: (.*)/.exec(made.stdout)?.[1] ?? '{}') as { role: string; sha256: string };
    expect(entry.role).toBe('carrier:C-17');
    expect(made.stdout.match(new RegExp(key, 'g'))).toHaveLength(1);
    const hashed = await runDgt(['keys', 'hash', key]);
    expect(hashed.stdout.trim()).toBe(entry.sha256);
  });

  it('refuses an unknown role with exit code 2', async () => {
    const r = await runDgt(['keys', 'new', '--role', 'admin']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--role');
  });
});
