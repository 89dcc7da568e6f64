/**
 * ≥ 1,000 simulated terminals report through the real gateway on loopback for a minute
 * (JT808_INT_SECONDS shortens it for local iteration), via the in-process bus and the recorder
 * into a SQLite event store: every acknowledged report is stored exactly once, and a client
 * sending random bytes is disconnected without disturbing the others.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInProcessBus, topicNames, topicSpecs } from '@dgt/bus';
import type { EventStore } from '@dgt/eventstore';
import { openSqliteEventStore } from '@dgt/eventstore';
import { GeneralAckResult } from '@dgt/jt808';
import { createRecorder } from '@dgt/recorder';
import { Registry } from 'prom-client';
import { afterAll, describe, expect, it } from 'vitest';
import {
  createJt808Gateway,
  createTerminalRecords,
  gatewayConfig,
  normalizePhone,
  openTerminalStateStore,
  positionEventId,
  runTerminalFleet,
  simulatedTerminalEntry,
} from '../src/index.ts';

const TERMINALS = Number(process.env.JT808_INT_TERMINALS ?? 1000);
const SECONDS = Number(process.env.JT808_INT_SECONDS ?? 60);
const INTERVAL_MS = 3_000;
// The gateway's receipt clock runs from here; fixes (1 s apart per terminal) stay within its window.
const T0 = Date.parse('2025-03-01T00:00:00Z');
const CLOCK_START = T0 + 60_000;

async function countByEventId(store: EventStore): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for await (const r of store.readAll({ filter: { types: ['VehiclePositionReported'] } })) counts.set(r.event.eventId, (counts.get(r.event.eventId) ?? 0) + 1);
  return counts;
}

const dir = mkdtempSync(join(tmpdir(), 'jt808-int-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// 1,000 terminals hold 2,000 sockets in this process (both ends on loopback).
function openFileLimit(): number {
  const out = execFileSync('sh', ['-c', 'ulimit -n'], { encoding: 'utf8' }).trim();
  return out === 'unlimited' ? Number.POSITIVE_INFINITY : Number(out);
}

describe(`gateway with ${TERMINALS} concurrent terminals for ${SECONDS} s`, () => {
  it('stores every acknowledged report exactly once and drops a random-bytes client without affecting the others', { timeout: (SECONDS + 120) * 1000 }, async () => {
    const limit = openFileLimit();
    if (limit < 2 * TERMINALS + 256) throw new Error(`open-file limit ${limit} is too low for ${TERMINALS} loopback connections: raise it (ulimit -n ${2 * TERMINALS + 1024})`);
    const names = topicNames();
    const bus = createInProcessBus();
    await bus.ensureTopics(topicSpecs(names));
    const store = openSqliteEventStore({ path: join(dir, 'events.sqlite') });
    const recorder = createRecorder({ bus, store, topics: names, groupId: 'jt808-int-recorder' });
    await recorder.start();
    const phones = Array.from({ length: TERMINALS }, (_, i) => String(13_800_000_000 + i).padStart(12, '0'));
    const plates = phones.map((_, i) => `浙J·T${String(i).padStart(4, '0')}`);
    const registry = new Registry();
    const state = openTerminalStateStore({ path: join(dir, 'jt808-state.sqlite'), create: true });
    const started = performance.now();
    const gateway = createJt808Gateway({
      config: gatewayConfig({ host: '127.0.0.1', port: 0, positionsTopic: names.positions, consignmentsTopic: names.consignments }),
      bus,
      registry,
      terminals: createTerminalRecords(phones.map((phone, i) => simulatedTerminalEntry(phone, plates[i]!))),
      state,
      clock: () => CLOCK_START + (performance.now() - started),
      // The in-process bus feeds the recorder in this process; durability is not under test here.
      testOnlyAllowNonDurableBus: true,
    });
    const { port } = await gateway.listen();

    const acked = new Set<string>();
    let duplicateAcks = 0;
    const fleet = runTerminalFleet({
      host: '127.0.0.1',
      port,
      terminals: phones.map((phone, i) => ({ phone: i % 2 === 0 ? phone.padStart(20, '0') : phone, flavour: i % 2 === 0 ? '2019' : '2013', plate: plates[i]! })),
      durationMs: SECONDS * 1000,
      reportIntervalMs: INTERVAL_MS,
      batchEvery: 10,
      firstFixMs: T0,
      onAck: (phone, fixTimes, result) => {
        if (result !== GeneralAckResult.success) return;
        for (const ms of fixTimes) {
          const id = positionEventId(normalizePhone(phone), ms);
          if (acked.has(id)) duplicateAcks++;
          acked.add(id);
        }
      },
    });

    // While the fleet reports: a client that sends random bytes.
    // Once every terminal is in (each registered first: a state-store write apiece) and reporting.
    const connectedBy = performance.now() + 60_000;
    while (gateway.connectionCount < TERMINALS && performance.now() < connectedBy) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, Math.min(5_000, (SECONDS * 1000) / 3)));
    const connectionsBefore = gateway.connectionCount;
    const garbage = connect({ host: '127.0.0.1', port });
    await new Promise((r) => garbage.once('connect', r));
    let seed = 808;
    const noise = new Uint8Array(256 * 1024).map(() => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 24) & 0xff);
    garbage.on('error', () => undefined);
    garbage.write(noise);
    await new Promise((r) => garbage.once('close', r));
    const closedGarbage = async () => (await registry.getSingleMetric('dgt_jt808_connections_closed_total')!.get()).values.find((v) => v.labels.reason === 'garbage')?.value;
    const until = performance.now() + 5_000;
    while ((await closedGarbage()) !== 1 && performance.now() < until) await new Promise((r) => setTimeout(r, 20));
    expect(await closedGarbage()).toBe(1);
    expect(gateway.connectionCount).toBe(connectionsBefore);

    const result = await fleet;
    expect(result.connected).toBe(TERMINALS);
    expect(result.connectFailures).toBe(0);
    expect(result.lostReplies).toBe(0);
    expect(result.failedAcks).toBe(0);
    expect(result.ackedFixes).toBe(result.sentFixes);
    expect(duplicateAcks).toBe(0);
    expect(acked.size).toBe(result.ackedFixes);
    // Each terminal reported about every 3 s for the whole run.
    expect(result.sentFrames).toBeGreaterThanOrEqual(Math.floor(TERMINALS * (SECONDS * 1000 / INTERVAL_MS) * 0.9));

    // The recorder catches up; then every acked id is there once and nothing else is.
    const deadline = performance.now() + 60_000;
    let counts = await countByEventId(store);
    while (counts.size < acked.size && performance.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
      counts = await countByEventId(store);
    }
    const missing = [...acked].filter((id) => !counts.has(id));
    expect(missing).toEqual([]);
    expect([...counts.values()].filter((n) => n !== 1)).toEqual([]);
    expect(counts.size).toBe(acked.size);

    // Every terminal registered once, and each registration is recorded too.
    const registered = async () => {
      let n = 0;
      for await (const _ of store.readAll({ filter: { types: ['TerminalRegistered'] } })) n++;
      return n;
    };
    while ((await registered()) < TERMINALS && performance.now() < deadline) await new Promise((r) => setTimeout(r, 250));
    expect(await registered()).toBe(TERMINALS);

    await gateway.close();
    await recorder.stop();
    await bus.close();
    await store.close();
    state.close();
  });
});
