import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { canonicalJson, type DgtEvent, epochMs } from '@dgt/events';
import { openSqliteEventStore, type Position, streamFor } from '@dgt/eventstore';
import { candidateAreas, demandCells, lotOccupancy, parsePlanningRows, type PlanningRows, segmentExposure, stopKinds } from '@dgt/planning';
import { Projection, trustedEvent } from '@dgt/projector';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { at, laden, parkedThenLeaves, pos, scenario } from '../../../libs/planning/test/scenario.ts';
import type { PlanningReport } from '../src/planning/planningReport.ts';

/*
 * `dgt report planning` as a real child process over SQLite event stores on disk, holding the
 * planning fold's scenario (libs/planning/test/scenario.ts): its known figures in the files, a
 * window's semantics, byte-identical runs, a self-contained page, the error exits — and the
 * report's tables against the projector's own projection of the same record.
 */

const root = fileURLToPath(new URL('../../..', import.meta.url));
const dgt = join(root, 'services/cli/bin/dgt.mjs');
const dir = mkdtempSync(join(tmpdir(), 'dgt-report-planning-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [dgt, ...args], { cwd: root, env: { ...process.env, NO_COLOR: '1' } }, (error, stdout, stderr) => {
      if (error && typeof error.code !== 'number') return reject(error);
      resolve({ code: typeof error?.code === 'number' ? error.code : 0, stdout, stderr });
    });
  });
}

/** An event store on disk holding `events` in this order (one commit each, as a recorder would). */
async function storeOf(name: string, events: readonly DgtEvent[]): Promise<string> {
  const path = join(dir, `${name}.sqlite`);
  const store = openSqliteEventStore({ path });
  for (const e of events) await store.append(streamFor(e), [e]);
  await store.close();
  return path;
}

/** What the projector's projection holds after the whole store: the planning rows the API reads. */
async function projected(path: string): Promise<PlanningRows> {
  const store = openSqliteEventStore({ path });
  const projection = Projection.fresh();
  for await (const r of store.readAll()) {
    const t = trustedEvent(r.event);
    if (t.ok) projection.apply(t.event);
  }
  await store.close();
  return parsePlanningRows(projection.planning.rows());
}

const FROM = '2026-03-02T06:00:00+08:00';
const TO = '2026-03-02T12:00:00+08:00';
const EXPECTED_FILES = [
  'candidates.csv', 'candidates.geojson',
  'demand-long-r7.csv', 'demand-long-r7.geojson', 'demand-long-r8.csv', 'demand-long-r8.geojson',
  'demand-short-r7.csv', 'demand-short-r7.geojson', 'demand-short-r8.csv', 'demand-short-r8.geojson',
  'index.html', 'lot-dwell.csv', 'lot-hours.csv', 'lots.csv', 'planning.json',
  'segment-days.csv', 'segment-hours.csv', 'segment-weeks.csv', 'segments.csv',
];

const read = (out: string, name: string) => readFileSync(join(out, name), 'utf8');
/** A CSV's lines, without the byte-order mark and the final CRLF. */
const lines = (out: string, name: string) => read(out, name).replace(/^\uFEFF/, '').replace(/\r\n$/, '').split('\r\n');
const json = (out: string) => JSON.parse(read(out, 'planning.json')) as PlanningReport;

async function report(store: string, name: string, from: string, to: string, ...more: string[]): Promise<string> {
  const out = join(dir, name);
  const r = await run(['report', 'planning', '--from', from, '--to', to, '--store', store, '--out', out, ...more]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return out;
}

let whole: string;
let first: string;

beforeAll(async () => {
  whole = await storeOf('whole', scenario());
  first = await report(whole, 'first', FROM, TO);
});

describe('dgt report planning', () => {
  it('writes every table, the JSON and the page, with the scenario’s figures', () => {
    expect(readdirSync(first).sort()).toEqual(EXPECTED_FILES);
    // V1 laden 08:00–09:30 and V2 empty 08:30–09:00 in lot-A (capacity 1), observed from the first fix (08:00) to 12:00: 4 h.
    expect(lines(first, 'lots.csv')).toEqual([
      'lotId,name,capacity,laden,empty,total,utilisation,peak,meanVehicles,hoursAtOrOverCapacity,visits,meanDwellMin,withdrawn',
      'lot-A,甲停车场,1,0,0,0,0,2,0.5,1.5,2,60,false',
    ]);
    const hours = lines(first, 'lot-hours.csv');
    expect(hours).toContain('lot-A,8,1.5,1,2,1');
    expect(hours).toContain('lot-A,9,0.5,0.5,1,1');
    expect(hours).toContain('lot-A,6,0,0,0,0');
    expect(lines(first, 'lot-dwell.csv').slice(1).map((l) => l.split(',').at(-1))).toEqual(['0', '1', '1', '0', '0', '0']);
    // V3: 21 min laden at the roadside (long); V4: 5 min laden (short); V5 empty, V6 at its origin, V1 in the lot: none.
    for (const res of [7, 8]) {
      const long = lines(first, `demand-long-r${res}.csv`);
      expect(long).toHaveLength(2);
      expect(long[1]?.split(',')).toMatchObject({ 1: String(res), 2: 'long', 5: '1', 6: '1', 7: '0.35', 8: '3:1', 9: 'lot-A' });
      const short = lines(first, `demand-short-r${res}.csv`);
      expect(short).toHaveLength(2);
      expect(short[1]?.split(',')).toMatchObject({ 2: 'short', 5: '1', 6: '1', 7: '0.08', 8: '2.1:1' });
    }
    // Six hours are 1/28 of a week: 0.35 vehicle-hours → 9.8 per week.
    const candidates = lines(first, 'candidates.csv');
    expect(candidates).toHaveLength(2);
    expect(candidates[1]?.split(',')).toMatchObject({ 0: '1', 4: '1', 5: '1', 6: '0.35', 7: '9.8', 8: '3:1', 9: 'lot-A' });
    // V8 laden (class 3, carrier C8) and V9 empty through seg-1 in its banned hours (08:00–09:00).
    const segments = lines(first, 'segments.csv');
    expect(segments).toHaveLength(2);
    expect(segments[1]).toMatch(/^seg-1,事故多发路段一,1,1,1,\d+,60,60,60,1,0,3:1,C8:1,false$/);
    expect(lines(first, 'segment-days.csv')[1]).toBe('seg-1,2026-03-02,1');
    expect(lines(first, 'segment-weeks.csv')[1]).toBe('seg-1,2026-03-02,1');
    expect(lines(first, 'segment-hours.csv')).toContain('seg-1,8,1');
    const geo = JSON.parse(read(first, 'demand-long-r8.geojson')) as { features: { geometry: { coordinates: number[][][] } }[] };
    expect(geo.features[0]?.geometry.coordinates[0]).toHaveLength(7);
    const model = json(first);
    expect(model.window).toMatchObject({ from: FROM, to: TO, days: 0.25 });
    expect(model.inputs).toMatchObject({ resolutions: [7, 8], candidateRes: 8, minDistanceM: 2000, recordedUpTo: null });
    expect(model.detection.illegalParkingAfterS).toBe(600);
    const events = scenario();
    expect(model.counts).toMatchObject({ read: events.length, fed: events.length, positions: events.filter((e) => e.type === 'VehiclePositionReported').length, atOrAfterTo: 0, late: 0 });
  });

  it('writes the same bytes into every file on a second run', async () => {
    const second = await report(whole, 'second', FROM, TO);
    expect(readdirSync(second).sort()).toEqual(readdirSync(first).sort());
    for (const name of readdirSync(first)) expect(readFileSync(join(second, name)).equals(readFileSync(join(first, name))), name).toBe(true);
  });

  it('writes a self-contained page: no script, no external request, the record escaped', async () => {
    const html = read(first, 'index.html');
    expect(html.startsWith('<!doctype html><html lang="zh-CN">')).toBe(true);
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\(|\ssrc=/i);
    expect(html).toContain('甲停车场');
    expect(html).toContain('事故多发路段一');
    // A lot chart, the map, the segment's two charts.
    expect(html.match(/<svg /g)?.length).toBe(4);
    expect(html).not.toMatch(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/); // no run time in any form
    const hostile = '<script>alert(1)</script>"\'&';
    const renamed = scenario().map((e) =>
      e.type === 'ZoneDesignated' ? ({ ...e, eventId: `${e.eventId}-h`, data: { ...e.data, name: `${e.data.name}${hostile}` } } as DgtEvent) : e,
    );
    const out = await report(await storeOf('hostile', renamed), 'hostile', FROM, TO);
    const page = read(out, 'index.html');
    expect(page).not.toContain('<script>');
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;');
    // The CSV neutralises nothing here (no leading formula character) but quotes the cell.
    expect(lines(out, 'lots.csv')[1]).toContain('"甲停车场<script>alert(1)</script>""\'&"');
  });

  it('writes the same bytes from an NDJSON file of the record as from the store', async () => {
    const file = join(dir, 'record.ndjson');
    writeFileSync(file, scenario().map((e) => canonicalJson(e) + '\n').join(''));
    const out = join(dir, 'from-file');
    const r = await run(['report', 'planning', '--from', FROM, '--to', TO, '--input', file, '--out', out, '--quiet']);
    expect([r.code, r.stdout, r.stderr]).toEqual([0, '', '']);
    for (const name of readdirSync(first)) expect(read(out, name), name).toBe(read(first, name));
  });

  it('reads only what the store held at --recorded-up-to', async () => {
    const store = openSqliteEventStore({ path: whole });
    let position: Position | null = null;
    let n = 0;
    for await (const r of store.readAll()) if (++n === 100) position = r.position;
    await store.close();
    const model = json(await report(whole, 'pinned', FROM, TO, '--recorded-up-to', String(position)));
    expect(model.counts.read).toBe(100);
    expect(model.inputs.recordedUpTo).toBe(String(position));
  });

  it('counts only what happens in the window: a window after the stops began has no demand', async () => {
    const out = await report(whole, 'window', at(30), at(60));
    for (const name of ['demand-long-r7.csv', 'demand-long-r8.csv', 'demand-short-r7.csv', 'demand-short-r8.csv', 'candidates.csv']) expect(lines(out, name), name).toHaveLength(1);
    expect(JSON.parse(read(out, 'demand-long-r8.geojson'))).toEqual({ type: 'FeatureCollection', features: [] });
    // 08:30–09:00: V1 and V2 both inside all the half hour (their entries were before it).
    expect(lines(out, 'lot-hours.csv')).toContain('lot-A,8,2,1,2,0.5');
    expect(lines(out, 'lots.csv')[1]).toBe('lot-A,甲停车场,1,1,1,2,2,2,2,0.5,0,,false');
    // V8 entered seg-1 at 08:10, before the window.
    expect(lines(out, 'segments.csv')[1]).toMatch(/^seg-1,事故多发路段一,0,0,0,0,,,,0,0,,,false$/);
    expect(read(out, 'index.html')).toContain('<p class="muted">None.</p>');
  });

  it('is not changed by anything that occurred at or after --to', async () => {
    const to = at(60);
    const cut = await report(await storeOf('cut', scenario().filter((e) => epochMs(e.occurredAt) < Date.parse(to))), 'cut', at(30), to);
    const full = join(dir, 'window');
    for (const name of readdirSync(full)) {
      if (name === 'planning.json' || name === 'index.html') continue;
      expect(read(cut, name), name).toBe(read(full, name));
    }
    const a = json(full);
    const b = json(cut);
    expect({ ...a, counts: null }).toEqual({ ...b, counts: null });
    expect(a.counts.atOrAfterTo).toBe(a.counts.fed - b.counts.fed);
  });

  it('judges every fix as the live engine did: a backlog recorded after a later fix is late, and counts nowhere', async () => {
    // V10 reports 09:10 first, then its backlog of 08:35–08:55 parked laden at the roadside: the
    // projector's engine ignores the backlog as late, so the report must not find a stop in it
    // (feeding only what occurred before --to would have shown a 20-minute long stop).
    const backlog = [
      ...laden('WB10', 'V10'),
      pos('V10-live', at(70), 'V10', 121.45, 28.75, 50),
      ...Array.from({ length: 21 }, (_, i) => pos(`V10-b${i}`, at(35 + i), 'V10', 121.48, 28.75, 0)),
    ];
    const path = await storeOf('late', [...scenario(), ...backlog]);
    const out = await report(path, 'late', at(30), at(60));
    expect(lines(out, 'demand-long-r8.csv')).toHaveLength(1);
    expect(json(out).counts).toMatchObject({ late: 21, atOrAfterTo: expect.any(Number) });
    expect((await projected(path)).cells.filter((c) => c.vehicles.includes('V10'))).toEqual([]);
  });

  it('gives the projection’s tables when the window covers the whole record', async () => {
    const rows = await projected(whole);
    const clockMs = rows.meta?.clockMs as number;
    expect(clockMs).toBe(Date.parse(at(90)));
    // --to just after the latest fix: everything recorded is in the window.
    const to = new Date(clockMs + 1).toISOString();
    const out = await report(whole, 'whole', FROM, to);
    const model = json(out);
    // Lots: the report integrates to --to, the projection to its clock, one millisecond earlier.
    // At the same instant they are the same to the byte; at the projection's clock the extra
    // millisecond of observation is below the tables' two decimals.
    expect(model.lots).toEqual(lotOccupancy(rows.lots, clockMs + 1));
    expect(model.lots).toEqual(lotOccupancy(rows.lots, clockMs));
    expect(model.segments).toEqual(segmentExposure(rows.segments));
    // Demand: every stop of the scenario has ended (each vehicle drives off), so the projection has counted them all.
    for (const t of model.demand) expect(t.cells, `${t.kind} r${t.res}`).toEqual(demandCells(rows.cells, rows.lots, t.kind, t.res));
    expect(model.candidates).toEqual(candidateAreas(rows.cells, rows.lots, { res: 8, weeks: model.window.weeks }));
    expect(model.counts.positions).toBe(rows.meta?.positions);
  });

  it('counts a stop still under way at the end, which the projection counts only when it ends', async () => {
    // V7 parks laden at 09:00 and has not moved by its last fix at 09:40, the record's latest.
    const path = await storeOf('parked', [...scenario(), ...laden('WB7', 'V7'), ...parkedThenLeaves('V7', 60, 100, { lon: 121.7, lat: 28.8 }).slice(0, -1)]);
    const rows = await projected(path);
    const clockMs = rows.meta?.clockMs as number;
    expect(clockMs).toBe(Date.parse(at(100)));
    const model = json(await report(path, 'parked', FROM, new Date(clockMs + 1).toISOString()));
    expect(model.lots).toEqual(lotOccupancy(rows.lots, clockMs + 1));
    expect(model.segments).toEqual(segmentExposure(rows.segments));
    for (const kind of stopKinds) {
      for (const res of [7, 8]) {
        const reported = model.demand.find((t) => t.kind === kind && t.res === res)?.cells ?? [];
        const live = demandCells(rows.cells, rows.lots, kind, res);
        if (kind === 'short') expect(reported).toEqual(live);
        else {
          // The projection: V3's stop only. The report: V3's, and V7's 40 minutes so far.
          expect(live).toHaveLength(1);
          expect(reported).toHaveLength(2);
          expect(reported).toContainEqual(live[0]);
          expect(reported.find((c) => c.cell !== live[0]?.cell)).toMatchObject({ stops: 1, vehicles: 1, vehicleHours: 0.67 });
        }
      }
    }
  });

  it('refuses bad options with exit 2 naming the option, and a missing store with exit 1', async () => {
    const base = ['report', 'planning', '--store', whole, '--out', join(dir, 'never')];
    const [noFrom, badTo, backwards, badRes, coarseRes, noOut, noStore, notDb, badPin, help, top] = await Promise.all([
      run([...base, '--to', TO]),
      run([...base, '--from', FROM, '--to', 'tomorrow']),
      run([...base, '--from', TO, '--to', FROM]),
      run([...base, '--from', FROM, '--to', TO, '--res', '7,x']),
      run([...base, '--from', FROM, '--to', TO, '--res', '5']),
      run(['report', 'planning', '--from', FROM, '--to', TO, '--store', whole]),
      run(['report', 'planning', '--from', FROM, '--to', TO, '--store', join(dir, 'nothing.sqlite'), '--out', join(dir, 'never')]),
      run(['report', 'planning', '--from', FROM, '--to', TO, '--store', join(root, 'package.json'), '--out', join(dir, 'never')]),
      run([...base, '--from', FROM, '--to', TO, '--recorded-up-to', 'yesterday']),
      run(['report', 'planning', '--help']),
      run(['--help']),
    ]);
    expect([noFrom.code, noFrom.stderr]).toEqual([2, expect.stringContaining('dgt report: --from is required')]);
    expect([badTo.code, badTo.stderr]).toEqual([2, expect.stringContaining('--to: ISO-8601 with an offset')]);
    expect([backwards.code, backwards.stderr]).toEqual([2, expect.stringContaining('--from must be before --to')]);
    expect([badRes.code, badRes.stderr]).toEqual([2, expect.stringContaining('--res: H3 resolutions from 6, 7, 8, 9')]);
    expect([coarseRes.code, coarseRes.stderr]).toEqual([2, expect.stringContaining('--res')]);
    expect([noOut.code, noOut.stderr]).toEqual([2, expect.stringContaining('--out <dir> is required')]);
    expect([noStore.code, noStore.stderr]).toEqual([1, expect.stringContaining(`no event store at ${join(dir, 'nothing.sqlite')}`)]);
    expect([notDb.code, notDb.stderr]).toEqual([1, expect.stringContaining('file is not a database')]);
    expect([badPin.code, badPin.stderr]).toEqual([2, expect.stringContaining('--recorded-up-to: not a position of this store')]);
    expect(readdirSync(dir)).not.toContain('never');
    expect(readdirSync(dir)).not.toContain('nothing.sqlite');
    expect([help.code, help.stdout]).toEqual([0, expect.stringContaining('Usage: dgt report planning --from <time> --to <time> --out <dir>')]);
    expect(top.stdout).toMatch(/\n {2}report +planning report over a window/);
  }, 120_000);
});
