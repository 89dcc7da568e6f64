/**
 * One platform (2019, encrypted) delivers 1,000 vehicles through the real gateway on loopback,
 * a fix per vehicle per second, into the durable embedded bus (SQLite), the recorder and a SQLite
 * event store. Half-way its main link drops; it reconnects, logs in again and back-fills (0x1203)
 * what was not acknowledged and what it held during the outage. A fix is acknowledged when a
 * heartbeat sent after it is answered (the gateway answers only once the link's earlier data is
 * on the bus). Every acknowledged fix must be in the store exactly once; fixes of vehicles of a
 * carrier the platform may not speak for never; a random-bytes client is dropped without harm.
 * JT809_INT_SECONDS (default 20 s of delivery) and JT809_INT_VEHICLES shorten it locally.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSqliteBus, topicNames, topicSpecs } from '@dgt/bus';
import type { EventStore } from '@dgt/eventstore';
import { openSqliteEventStore } from '@dgt/eventstore';
import type { Jt809FixInput } from '@dgt/jt809';
import { createRecorder } from '@dgt/recorder';
import { Registry } from 'prom-client';
import { afterAll, describe, expect, it } from 'vitest';
import { SimulatedPlatform, createJt809Gateway, createPlatformAccounts, createVehicleRegister, gatewayConfig, positionEventId, simulatedFixInput } from '../src/index.ts';
import { keys, platformEntry } from './support.ts';

const VEHICLES = Number(process.env.JT809_INT_VEHICLES ?? 1000);
const SECONDS = Number(process.env.JT809_INT_SECONDS ?? 20);
const FOREIGN = 50;
const T0 = Date.parse('2025-03-01T00:00:00Z');

async function countByEventId(store: EventStore): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for await (const r of store.readAll({ filter: { types: ['VehiclePositionReported'] } })) counts.set(r.event.eventId, (counts.get(r.event.eventId) ?? 0) + 1);
  return counts;
}

const dir = mkdtempSync(join(tmpdir(), 'jt809-int-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe(`a platform delivering ${VEHICLES} vehicles for ${SECONDS} s`, () => {
  it('gets every acknowledged fix into the store exactly once, across a link loss and its back-fill', { timeout: (SECONDS + 90) * 1000 }, async () => {
    const names = topicNames();
    const bus = createSqliteBus({ path: join(dir, 'bus.sqlite') });
    await bus.ensureTopics(topicSpecs(names));
    const store = openSqliteEventStore({ path: join(dir, 'events.sqlite') });
    const recorder = createRecorder({ bus, store, topics: names, groupId: 'jt809-int-recorder', clockTickMs: 0 });
    await recorder.start();

    const plates = Array.from({ length: VEHICLES + FOREIGN }, (_, i) => `浙J·T${String(i).padStart(4, '0')}`);
    const vehicleId = (i: number) => `V${String(i).padStart(4, '0')}`;
    const register = createVehicleRegister(plates.map((plateNo, i) => ({ vehicleId: vehicleId(i), plateNo, carrierId: i < VEHICLES ? 'C-A' : 'C-B' })));
    const registry = new Registry();
    const started = performance.now();
    // Fixes are dated from T0, one second of fix time per tick; the receipt clock runs alongside.
    const clock = () => T0 + 5_000 + (performance.now() - started);
    const gateway = createJt809Gateway({
      config: gatewayConfig({ host: '127.0.0.1', port: 0, positionsTopic: names.positions, platformEventsTopic: names.consignments, framesPerSecond: 20_000, frameBurst: 50_000 }),
      bus,
      accounts: createPlatformAccounts([platformEntry({ edition: '2019', encryption: keys })]),
      register,
      registry,
      clock,
    });
    const { port } = await gateway.listen();
    const options = { host: '127.0.0.1', port, edition: '2019' as const, accessCode: 33010001, userId: 7001, password: 'pass1234', keys, clock };

    let platform = new SimulatedPlatform(options);
    await platform.connect();
    expect(await platform.login()).toBe(0);

    const acked = new Set<string>();
    const sent = new Set<string>();
    /** Fixes sent (or held) since the last answered heartbeat, per vehicle: what a back-fill must repeat. */
    let unacked = new Map<number, { id: string; fix: Jt809FixInput }[]>();
    const acknowledge = (batch: Map<number, { id: string; fix: Jt809FixInput }[]>) => {
      for (const list of batch.values()) for (const f of list) acked.add(f.id);
    };
    const outageAt = Math.floor(SECONDS / 2);
    let garbageDone: Promise<void> | undefined;
    const tickStart = performance.now();

    for (let t = 0; t < SECONDS; t++) {
      const inOutage = t === outageAt || t === outageAt + 1;
      for (let i = 0; i < VEHICLES + FOREIGN; i++) {
        const timeMs = T0 + t * 1000;
        const fix = simulatedFixInput('2019', i, t, timeMs);
        if (i < VEHICLES) {
          const id = positionEventId(vehicleId(i), timeMs);
          sent.add(id);
          const list = unacked.get(i) ?? [];
          list.push({ id, fix });
          unacked.set(i, list);
        }
        if (!inOutage) platform.sendFix(plates[i]!, 2, fix);
      }
      if (t === outageAt) {
        // The link drops right after a second of fixes went out, before any heartbeat.
        platform.dropMainLink();
        await platform.closed;
      } else if (t === outageAt + 1) {
        platform = new SimulatedPlatform(options);
        await platform.connect();
        expect(await platform.login()).toBe(0);
        // Back-fill what was never acknowledged, five fixes per 0x1203 as the standard allows.
        for (const [i, list] of unacked) for (let k = 0; k < list.length; k += 5) platform.sendBackfill(plates[i]!, 2, list.slice(k, k + 5).map((f) => f.fix));
        const batch = unacked;
        unacked = new Map();
        await platform.heartbeat();
        acknowledge(batch);
      } else {
        const batch = unacked;
        unacked = new Map();
        await platform.heartbeat();
        acknowledge(batch);
      }
      if (t === 2) {
        garbageDone = (async () => {
          const garbage = connect({ host: '127.0.0.1', port });
          garbage.on('error', () => undefined);
          await new Promise((r) => garbage.once('connect', r));
          let seed = 809;
          garbage.write(new Uint8Array(64 * 1024).map(() => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 24) & 0xff));
          await new Promise((r) => garbage.once('close', r));
        })();
      }
      // One tick of fix time per second of wall time, as a live platform.
      const next = tickStart + (t + 1) * 1000;
      const wait = next - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
    await platform.logout();
    await garbageDone;

    expect(acked.size).toBe(sent.size);
    expect(sent.size).toBe(VEHICLES * SECONDS);
    const refusedForeign = (await registry.getSingleMetric('dgt_jt809_refused_total')!.get()).values.find((v) => v.labels.reason === 'other-carrier')?.value;
    expect(refusedForeign).toBe(FOREIGN * (SECONDS - 2));
    const closedGarbage = (await registry.getSingleMetric('dgt_jt809_connections_closed_total')!.get()).values.find((v) => v.labels.reason === 'garbage')?.value;
    expect(closedGarbage).toBe(1);

    const deadline = performance.now() + 60_000;
    let counts = await countByEventId(store);
    while (counts.size < acked.size && performance.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
      counts = await countByEventId(store);
    }
    expect([...acked].filter((id) => !counts.has(id))).toEqual([]);
    expect([...counts.values()].filter((n) => n !== 1)).toEqual([]);
    // Nothing but what was sent: no fix of the other carrier's vehicles.
    expect([...counts.keys()].filter((id) => !sent.has(id))).toEqual([]);

    await gateway.close();
    await platform.close();
    await recorder.stop();
    await bus.close();
    await store.close();
  });
});
