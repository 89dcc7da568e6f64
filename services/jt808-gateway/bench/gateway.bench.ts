/**
 * JT/T 808 gateway throughput.
 * (1) the codec alone: decodeFrame on 0x0200 frames (reference; target ≥ 500,000/s on one core),
 *     and the gateway's per-report work without I/O (decode + event + canonical JSON message);
 * (2) end to end on loopback: 1,000 simulated terminals (in a child process) → TCP → gateway →
 *     in-process bus, counted by a bus consumer; only reports acked after the bus accepted them
 *     count (target ≥ 50,000 reports/s). Knobs: BENCH_SECONDS (default 25), BENCH_TERMINALS
 *     (1000), BENCH_WINDOW (unacked reports per terminal, 8), BENCH_CHILD_ARGS (extra node flags
 *     for the fleet process, e.g. "--cpu-prof").
 */
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInProcessBus, topicNames, topicSpecs } from '@dgt/bus';
import { decodeFrame, encodeLocationReport } from '@dgt/jt808';
import type { FleetOptions, FleetResult } from '../src/index.ts';
import {
  createJt808Gateway,
  createTerminalRecords,
  gatewayConfig,
  openTerminalStateStore,
  positionEventFromReport,
  positionMessage,
  simulatedFix,
  simulatedTerminalEntry,
} from '../src/index.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 25);
const TERMINALS = Number(process.env.BENCH_TERMINALS ?? 1000);
const WINDOW = Number(process.env.BENCH_WINDOW ?? 8);
// Fixes start three days back, 1 s apart per terminal: even a fast run stays in the past, so the
// gateway's time window (5 min ahead, 7 days back) publishes every one of them.
const T0 = Math.floor((Date.now() - 3 * 86_400_000) / 1000) * 1000;
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

// ---- (1) codec alone -------------------------------------------------------------------------
const N = 10_000;
const frames = Array.from({ length: N }, (_, i) =>
  encodeLocationReport({ flavour: i % 2 === 0 ? '2019' : '2013', phone: String(13_900_000_000 + (i % TERMINALS)), serial: i & 0xffff }, simulatedFix(i % TERMINALS, i, T0 + i * 1000)),
);

function rate(name: string, rounds: number, fn: () => number): number {
  fn();
  const start = process.hrtime.bigint();
  let sink = 0;
  for (let r = 0; r < rounds; r++) sink += fn();
  const s = Number(process.hrtime.bigint() - start) / 1e9;
  const perSecond = (N * rounds) / s;
  console.log(`${name.padEnd(44)} ${fmt(perSecond).padStart(10)} /s   (sink ${sink})`);
  return perSecond;
}

console.log(`jt808 gateway bench: node ${process.version}, ${TERMINALS} terminals, window ${WINDOW}, ${SECONDS} s`);
const codec = rate('codec: decodeFrame (0x0200 → report)', 30, () => {
  let ok = 0;
  for (const f of frames) {
    const r = decodeFrame(f);
    if (r.ok && r.value.kind === 'message' && r.value.message.type === 'location') ok++;
  }
  return ok;
});
const origin = { phone: '13900000000', vehicleId: '浙J·B0000', flavour: '2013' as const, serial: 0 };
const window = { maxFutureSkewMs: 300_000, backfillWindowMs: 7 * 86_400_000 };
const perReport = rate('gateway work: decode + event + bus message', 10, () => {
  let bytes = 0;
  const receivedMs = Date.now();
  const ingestedAt = new Date(receivedMs).toISOString();
  for (const f of frames) {
    const r = decodeFrame(f);
    if (!r.ok || r.value.kind !== 'message' || r.value.message.type !== 'location') continue;
    const o = positionEventFromReport(r.value.message, origin, { publishUnfixed: false, receivedMs, window });
    if (o.kind === 'event') bytes += (positionMessage(o.event, ingestedAt).value as Buffer).length;
  }
  return bytes > 0 ? 1 : 0;
});

// ---- (2) end to end --------------------------------------------------------------------------
const phones = Array.from({ length: TERMINALS }, (_, i) => String(13_900_000_000 + i));
const plates = phones.map((_, i) => `浙J·B${String(i).padStart(4, '0')}`);
const stateDir = mkdtempSync(join(tmpdir(), 'jt808-bench-'));
const state = openTerminalStateStore({ path: join(stateDir, 'state.sqlite'), create: true });
const bus = createInProcessBus();
const names = topicNames();
await bus.ensureTopics(topicSpecs(names));
let consumed = 0;
const consumer = bus.consumer({ groupId: 'bench-counter' });
await consumer.run({ topics: [names.positions], eachBatch: async (b) => void (consumed += b.messages.length) });
const gateway = createJt808Gateway({
  config: gatewayConfig({ host: '127.0.0.1', port: 0, positionsTopic: names.positions, consignmentsTopic: names.consignments, framesPerSecond: 100_000, frameBurst: 100_000 }),
  bus,
  terminals: createTerminalRecords(phones.map((phone, i) => simulatedTerminalEntry(phone, plates[i]!))),
  state,
  // The bench measures the gateway, not a bus's disk: the in-process memory bus.
  testOnlyAllowNonDurableBus: true,
});
const { port } = await gateway.listen(); // terminals get their auth codes by registering, as real ones do

const fleet: FleetOptions = {
  host: '127.0.0.1',
  port,
  terminals: phones.map((phone, i) => ({ phone, flavour: i % 2 === 0 ? '2019' : '2013', plate: plates[i]! })),
  durationMs: SECONDS * 1000,
  reportIntervalMs: 0,
  window: WINDOW,
  batchEvery: 0,
  firstFixMs: T0,
  connectConcurrency: 100,
};
const child = fork(fileURLToPath(new URL('./fleetProcess.ts', import.meta.url)), [JSON.stringify(fleet)], { execArgv: ['--import', 'tsx', ...(process.env.BENCH_CHILD_ARGS ?? '').split(' ').filter(Boolean)] });
const result = await new Promise<FleetResult>((resolve, reject) => {
  child.once('message', (m) => resolve(m as FleetResult));
  child.once('exit', (code) => reject(new Error(`fleet process exited with ${code}`)));
});
const cpu = process.cpuUsage();
await gateway.close();
await new Promise((r) => setTimeout(r, 200));
await bus.close();
state.close();
rmSync(stateDir, { recursive: true, force: true });

const e2e = result.ackedPerSecond;
console.log(`e2e: ${result.connected} connected (${result.connectFailures} failed), ${fmt(result.sentFixes)} sent, ${fmt(result.ackedFixes)} acked, ${result.failedAcks} failure acks, ${result.lostReplies} lost, ${fmt(consumed)} consumed from the bus`);
console.log(`${'e2e: acked reports through gateway → bus'.padEnd(44)} ${fmt(e2e).padStart(10)} /s   over ${result.sendingSeconds.toFixed(1)} s`);
console.log(`e2e ack latency: p50 ${result.latencyMs.p50.toFixed(2)} ms, p99 ${result.latencyMs.p99.toFixed(2)} ms, max ${result.latencyMs.max.toFixed(1)} ms (window ${WINDOW} per terminal)`);
console.log(`gateway process CPU: ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s`);
console.log(`ratio e2e / codec alone:                     ${(e2e / codec).toFixed(3)}×`);
console.log(`ratio e2e / in-process gateway work:         ${(e2e / perReport).toFixed(3)}×`);
console.log(`target codec ≥ 500,000/s: ${codec >= 500_000 ? 'met' : 'NOT met'}; target e2e ≥ 50,000/s: ${e2e >= 50_000 ? 'met' : 'NOT met'}; every acked report consumed: ${consumed >= result.ackedFixes ? 'yes' : 'NO'}`);
