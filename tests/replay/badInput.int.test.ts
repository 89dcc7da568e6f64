import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runDgt } from '../src/runDgt.ts';
import { fleetEvents, liveStore, tempDir } from './support/seedStore.ts';

let store: { dir: string; path: string };
beforeAll(async () => {
  store = await liveStore(fleetEvents());
});

describe('dgt replay on bad input', () => {
  it('exits 0 with an empty report stating that an unknown vehicle matched nothing', async () => {
    const out = join(store.dir, 'empty');
    const r = await runDgt(['replay', '--store', store.path, '--vehicle', 'NO-SUCH-TRUCK', '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('matched nothing');
    expect(JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'))).toMatchObject({ matchedNothing: true, detections: [], selection: { vehiclesWithoutFixes: ['NO-SUCH-TRUCK'] } });
  });

  it('exits 2 naming the option of a time without offset', async () => {
    const r = await runDgt(['replay', '--store', store.path, '--from', '2026-03-02 08:00']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('from: ISO-8601 with an offset');
  });

  it('exits 2 with the reason when the store is unreadable or absent', async () => {
    const junk = join(tempDir('dgt-junk-'), 'junk.sqlite');
    writeFileSync(junk, 'this is not a database at all, just text that is long enough to be a header');
    const bad = await runDgt(['replay', '--store', junk]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('cannot open the event store');
    const missing = await runDgt(['export', '--store', join(store.dir, 'nope.sqlite')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no event store at');
  });

  it('explains the selection and exit codes in --help', async () => {
    const r = await runDgt(['replay', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('--as-of <time>');
    expect(r.stdout).toContain('3 --verify found differences');
  });
});
