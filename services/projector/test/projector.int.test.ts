import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runDetection } from '@dgt/detection';
import { canonicalJson, type DgtEvent } from '@dgt/events';
import { type EventStore, openSqliteEventStore } from '@dgt/eventstore';
import { openSqliteReadModelStore, type ReadModelStore } from '@dgt/readmodels';
import { afterAll, describe, expect, it } from 'vitest';
import { parsePlanningRows } from '@dgt/planning';
import { CollectingPublisher, projectorFor, record, recomputedPlanning, recordedDetections, recordedInputs, snapshot } from './fixtures.ts';
import { fleetEvents, type FleetSpec } from './syntheticFleet.ts';

const packageDir = new URL('..', import.meta.url).pathname;
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), 'dgt-projector-'));
  dirs.push(d);
  return d;
}

async function lastPosition(store: EventStore): Promise<string | null> {
  let last: string | null = null;
  for await (const r of store.readAll()) last = r.position;
  return last;
}

async function until(condition: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function waybillsOf(spec: FleetSpec): string[] {
  return Array.from({ length: spec.vehicles }, (_, v) => `WB-${String(v).padStart(5, '0')}`);
}

describe('projector on SQLite event store and SQLite read models', () => {
  it('catches up with what is recorded, then follows live appends (detections, violations, alerts)', async () => {
    const dir = tmp();
    const spec: FleetSpec = { vehicles: 30, fixesPerVehicle: 300 };
    const all = [...fleetEvents(spec)];
    const cut = Math.floor(all.length * 0.6);
    const store = openSqliteEventStore({ path: join(dir, 'events.sqlite') });
    const readModels = await openSqliteReadModelStore({ path: join(dir, 'readmodels.sqlite') });
    await record(store, all.slice(0, cut));
    const alerts = new CollectingPublisher();
    const projector = projectorFor(store, readModels, alerts, { flushIntervalMs: 50 });
    await projector.start();
    const head1 = await lastPosition(store);
    await until(async () => Number(await readModels.checkpoint()) >= Number(head1), 30_000);
    const violationsBefore = (await readModels.sizes()).violations;
    expect(violationsBefore).toBeGreaterThan(0);

    // Live: the rest arrives while the projector follows.
    await record(store, all.slice(cut), 500);
    const inputs = await recordedInputs(store);
    const lastInput = (await (async () => {
      let p: string | null = null;
      for await (const r of store.readAll()) if (!r.streamId.startsWith('detections-')) p = r.position;
      return p;
    })()) as string;
    await until(async () => Number(await readModels.checkpoint()) >= Number(lastInput), 30_000);
    await projector.stop();
    expect(projector.state()).toBe('stopped');

    const expected = runDetection(inputs).detections;
    const recorded = await recordedDetections(store);
    expect(recorded.map(canonicalJson).sort()).toEqual(expected.map(canonicalJson).sort());
    expect(alerts.published.map((a) => a.alertId).sort()).toEqual(expected.map((d) => d.eventId).sort());
    expect((await readModels.sizes()).violations).toBeGreaterThan(violationsBefore);

    // The same read models as one catch-up over everything.
    const fresh = await openSqliteReadModelStore({ path: join(dir, 'fresh.sqlite') });
    await projectorFor(store, fresh, new CollectingPublisher()).catchUp();
    expect(await snapshot(readModels, waybillsOf(spec))).toEqual(await snapshot(fresh, waybillsOf(spec)));
    await Promise.all([fresh.close(), readModels.close(), store.close()]);
  }, 120_000);

  it('killed with SIGKILL twice mid-backlog, restarted: every detection recorded exactly once, read models equal a clean run and a --rebuild', async () => {
    const dir = tmp();
    const spec: FleetSpec = { vehicles: 300, fixesPerVehicle: 670 };
    const eventsPath = join(dir, 'events.sqlite');
    const readModelsPath = join(dir, 'readmodels.sqlite');
    const store = openSqliteEventStore({ path: eventsPath });
    const total = await record(store, fleetEvents(spec));
    expect(total).toBeGreaterThanOrEqual(200_000);
    const inputs = await recordedInputs(store);
    const expected = runDetection(inputs).detections;
    const kinds = new Set(expected.map((d) => d.type));
    // Fatigue too (#16): the generated fleet drives for hours, so driving periods cross the kills.
    expect([...kinds].sort()).toEqual(['AccidentSegmentEntered', 'AccidentSegmentExited', 'FatigueDrivingStarted', 'IllegalParkingEnded', 'IllegalParkingStarted']);

    const env = {
      ...process.env,
      DGT_EVENTSTORE: 'sqlite',
      DGT_EVENTSTORE_PATH: eventsPath,
      DGT_READMODELS: 'sqlite',
      DGT_READMODELS_PATH: readModelsPath,
      KAFKA_BROKERS: '',
      PROJECTOR_METRICS_PORT: '0',
      PROJECTOR_MAX_BATCH_EVENTS: '3000',
      LOG_LEVEL: 'warn',
    };
    const run = (args: string[]): { child: ChildProcess; progress: () => number; exit: Promise<number | null> } => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], { cwd: packageDir, env, stdio: ['ignore', 'ignore', 'pipe'] });
      let projected = 0;
      let stderr = '';
      child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
        stderr += chunk;
        for (const m of chunk.matchAll(/projected (\d+) events/g)) projected = Number(m[1]);
      });
      const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      void exit.then((code) => {
        if (code !== 0 && code !== null) process.stderr.write(stderr);
      });
      return { child, progress: () => projected, exit };
    };

    // Kill while projecting: once early, once further on (the second run resumes from the first's checkpoint).
    for (const killAt of [40_000, 50_000]) {
      const p = run(['--once']);
      await until(async () => p.progress() >= killAt, 120_000);
      p.child.kill('SIGKILL');
      expect(await p.exit).toBe(null);
    }
    const finish = run(['--once']);
    expect(await finish.exit).toBe(0);

    const recorded = await recordedDetections(store);
    const ids = recorded.map((d) => d.eventId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(recorded.map(canonicalJson).sort()).toEqual(expected.map(canonicalJson).sort());
    // Per vehicle, detections are in the order the engine emitted them.
    const perVehicle = (list: readonly DgtEvent[]) => {
      const m = new Map<string, string[]>();
      for (const d of list) {
        const v = (d.data as { vehicleId: string }).vehicleId;
        m.set(v, [...(m.get(v) ?? []), d.eventId]);
      }
      return m;
    };
    expect(perVehicle(recorded)).toEqual(perVehicle(expected));

    const afterKills: ReadModelStore = await openSqliteReadModelStore({ path: readModelsPath });
    const incremental = await snapshot(afterKills, waybillsOf(spec));
    await afterKills.close();
    expect(incremental.violations.length).toBeGreaterThan(100);
    // Planning (issue 19): the aggregates after two kills equal a from-scratch fold over the same events, and are not empty.
    expect(incremental.planning).toEqual(recomputedPlanning(inputs));
    const planning = parsePlanningRows(incremental.planning);
    expect(planning.lots.reduce((n, l) => n + l.visits, 0)).toBeGreaterThan(100);
    expect(planning.cells.filter((c) => c.kind === 'long').length).toBeGreaterThan(0);
    expect(planning.segments.reduce((n, s) => n + s.ladenPassages, 0)).toBeGreaterThan(100);

    const clean = await openSqliteReadModelStore({ path: join(dir, 'clean.sqlite') });
    await projectorFor(store, clean, new CollectingPublisher()).catchUp();
    expect(incremental).toEqual(await snapshot(clean, waybillsOf(spec)));
    await clean.close();

    const rebuild = run(['--rebuild', '--once']);
    expect(await rebuild.exit).toBe(0);
    const rebuilt = await openSqliteReadModelStore({ path: readModelsPath });
    expect(await snapshot(rebuilt, waybillsOf(spec))).toEqual(incremental);
    expect((await recordedDetections(store)).length).toBe(ids.length);
    await Promise.all([rebuilt.close(), store.close()]);
  }, 600_000);
});
