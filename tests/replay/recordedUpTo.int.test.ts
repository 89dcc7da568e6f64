import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openSqliteEventStore, vehicleStream } from '@dgt/eventstore';
import { beforeAll, describe, expect, it } from 'vitest';
import { runDgt } from '../src/runDgt.ts';
import { fleetEvents, liveStore } from './support/seedStore.ts';

/*
 * Issue #17 item 7 with late data: frozen evidence names the store position it read up to, and a
 * replay pinned there (`--recorded-up-to`) reproduces the report byte for byte after a terminal's
 * buffered fixes for the same vehicle and window are recorded.
 */

let store: { dir: string; path: string };
let head: string;
const selection = ['--vehicle', 'V1', '--from', '2026-03-02T07:55:00+08:00', '--to', '2026-03-02T09:00:00+08:00'];

beforeAll(async () => {
  store = await liveStore(fleetEvents());
  const s = openSqliteEventStore({ path: store.path });
  head = (await s.headPosition()) as string;
  await s.close();
});

const digestOf = (stdout: string) => /evidence digest: sha256 ([0-9a-f]{64}) \((\d+) events/.exec(stdout)?.slice(1);

describe('dgt replay --recorded-up-to', () => {
  it('reproduces the report byte for byte after a late fix of the same vehicle and window is recorded, which an unpinned replay reads', async () => {
    const before = await runDgt(['replay', '--store', store.path, ...selection, '--recorded-up-to', head, '--out', join(store.dir, 'before')]);
    expect(before.code, before.stderr).toBe(0);
    const report = readFileSync(join(store.dir, 'before', 'report.json'));
    expect(JSON.parse(report.toString('utf8')).selection.requested.recordedUpTo).toBe(head);
    const fed = digestOf(before.stdout);
    expect(Number(fed?.[1])).toBeGreaterThan(0);

    // The terminal's buffered fix, inside the window, recorded only now.
    const s = openSqliteEventStore({ path: store.path });
    await s.append(vehicleStream('V1'), [{ eventId: 'late-V1-tunnel', type: 'VehiclePositionReported', occurredAt: '2026-03-02T08:10:30+08:00', data: { vehicleId: 'V1', lon: 121.43, lat: 28.66, speedKmh: 12 } }]);
    await s.close();

    const after = await runDgt(['replay', '--store', store.path, ...selection, '--recorded-up-to', head, '--out', join(store.dir, 'after')]);
    expect(after.code, after.stderr).toBe(0);
    expect(readFileSync(join(store.dir, 'after', 'report.json')).equals(report)).toBe(true);
    expect(digestOf(after.stdout)).toEqual(fed);

    const unpinned = await runDgt(['replay', '--store', store.path, ...selection]);
    expect(unpinned.code, unpinned.stderr).toBe(0);
    expect(Number(digestOf(unpinned.stdout)?.[1])).toBe(Number(fed?.[1]) + 1);
  });

  it('exits 2 naming the option for a position the store never handed out, and for a file source', async () => {
    const bad = await runDgt(['replay', '--store', store.path, ...selection, '--recorded-up-to', 'last-tuesday']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('recordedUpTo');
    const ndjson = join(store.dir, 'one.ndjson');
    writeFileSync(ndjson, `${JSON.stringify({ eventId: 'f1', type: 'VehiclePositionReported', occurredAt: '2026-03-02T08:00:00+08:00', data: { vehicleId: 'V1', lon: 121.43, lat: 28.66, speedKmh: 0 } })}\n`);
    const file = await runDgt(['replay', '--input', ndjson, '--recorded-up-to', head]);
    expect(file.code).toBe(2);
    expect(file.stderr).toContain('recordedUpTo: a store position pins a read of a store');
  });

  it('documents the option in --help', async () => {
    const r = await runDgt(['replay', '--help']);
    expect(r.stdout).toContain('--recorded-up-to <position>');
  });
});
