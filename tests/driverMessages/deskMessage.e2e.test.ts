/**
 * A message from the desk to a driver, end to end on one in-process bus: the API's POST puts the
 * request on the consignments topic, the JT/T 808 gateway holding the vehicle's terminal sends
 * it as 0x8300 over real TCP, the simulated terminal reads it and answers 0x0001, the gateway
 * publishes the outcome, the recorder records all of it in the vehicle's `driver-messages-`
 * stream, and the API's GET lists the message as delivered. Also: a vehicle whose terminal is not
 * connected ends `undeliverable` (`not-connected`) once the gateway's timeout has passed.
 */
import { createInProcessBus, topicNames, topicSpecs } from '@dgt/bus';
import { hashApiKey, generateApiKey } from '@dgt/http';
import { openMemoryEventStore } from '@dgt/eventstore';
import { createMemoryReadModelStore, defaultComplianceRules } from '@dgt/readmodels';
import { buildApiApp } from '@dgt/api';
import type { Jt808GatewayConfig } from '@dgt/jt808-gateway';
import { createJt808Gateway, createTerminalRecords, gatewayConfig, openTerminalStateStore, SimulatedTerminal, simulatedIdentity, simulatedTerminalEntry } from '@dgt/jt808-gateway';
import { createRecorder } from '@dgt/recorder';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const NOW = Date.parse('2026-03-05T10:00:00Z');
const bureauKey = generateApiKey();
const PHONE = '013900000003';
const VEHICLE = 'V3';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

async function startWorld(gatewayOverrides: Partial<Jt808GatewayConfig> = {}) {
  const bus = createInProcessBus();
  const names = topicNames();
  await bus.ensureTopics(topicSpecs(names));
  closers.push(() => bus.close());
  const store = openMemoryEventStore();
  closers.push(() => store.close());
  const readModels = createMemoryReadModelStore();
  closers.push(() => readModels.close());
  await readModels.commit({
    checkpoint: '1',
    vehicles: [
      { vehicleId: VEHICLE, plateNo: '浙J·D0003', carrierId: 'C1', lastFix: null, laden: true, waybillNo: null, goods: [], zones: [], stoppedSince: null, openViolations: [] },
      { vehicleId: 'V9', plateNo: '浙J·D0009', carrierId: 'C1', lastFix: null, laden: false, waybillNo: null, goods: [], zones: [], stoppedSince: null, openViolations: [] },
    ],
    violations: [],
    consignments: [],
    carriers: [],
    zones: [],
    withdrawnZoneIds: [],
    engineState: new Map(),
  });
  const recorder = createRecorder({ bus, store, topics: names, groupId: 'e2e-recorder', clockTickMs: 0, retryBackoffMs: 50 });
  await recorder.start();
  closers.push(() => recorder.stop());
  const clock = { now: NOW };
  const api = await buildApiApp({
    config: {
      port: 0,
      host: '127.0.0.1',
      apiKeys: [{ id: 'duty-officer-wang', role: 'bureau', sha256: hashApiKey(bureauKey) }],
      eventStore: { kind: 'memory' },
      readModels: { kind: 'memory' },
      bus: { brokers: [], clientId: 'e2e', topics: {} },
      auditReportsKept: 1,
      audits: { running: 1, queued: 1 },
      rateLimitPerMinute: 100_000,
      alerts: { groupId: 'e2e-alerts', ringSize: 10, clientQueueMax: 10, heartbeatMs: 15_000 },
      fleetCacheFreshMs: 0,
      complianceRules: defaultComplianceRules,
      dashboardTileUrl: null,
      logLevel: 'silent',
    },
    store,
    readModels,
    bus,
    defaultMetrics: false,
    now: () => new Date(clock.now),
  });
  closers.push(() => api.close());
  const dir = mkdtempSync(join(tmpdir(), 'dgt-e2e-dm-'));
  closers.push(async () => rmSync(dir, { recursive: true, force: true }));
  const state = openTerminalStateStore({ path: join(dir, 'jt808.sqlite'), create: true });
  closers.push(async () => state.close());
  const gateway = createJt808Gateway({
    config: gatewayConfig({ host: '127.0.0.1', port: 0, positionsTopic: names.positions, consignmentsTopic: names.consignments, gatewayId: 'gw-e2e', ...gatewayOverrides }),
    bus,
    terminals: createTerminalRecords([{ ...simulatedTerminalEntry(PHONE, '浙J·D0003'), vehicleId: VEHICLE }]),
    state,
    clock: () => clock.now,
    testOnlyAllowNonDurableBus: true,
  });
  const { port } = await gateway.listen();
  closers.push(() => gateway.close());
  const terminal = async () => {
    const t = await SimulatedTerminal.connect({ host: '127.0.0.1', port, phone: PHONE, flavour: '2019', identity: simulatedIdentity(PHONE, '浙J·D0003'), replyTimeoutMs: 5_000 });
    closers.push(() => t.close());
    await t.login();
    return t;
  };
  const send = (vehicleId: string, payload: unknown) =>
    api.inject({ method: 'POST', url: `/v1/vehicles/${vehicleId}/messages`, headers: { 'x-api-key': bureauKey, 'content-type': 'application/json' }, payload: JSON.stringify(payload) });
  const list = async (vehicleId: string) =>
    (await api.inject({ method: 'GET', url: `/v1/vehicles/${vehicleId}/messages`, headers: { 'x-api-key': bureauKey } })).json<{ items: { messageId: string; status: string; undeliverableReason: string | null; text: string; by: string }[] }>().items;
  return { gateway, clock, terminal, send, list };
}

async function until<T>(what: () => Promise<T>, done: (v: T) => boolean, timeoutMs = 5_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await what();
    if (done(v)) return v;
    if (Date.now() > end) throw new Error(`not reached within ${timeoutMs} ms: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('a message from the desk to a driver', () => {
  it('reaches the connected terminal as 0x8300 with its GBK text and TTS flag, and its 0x0001 reply lists it as delivered', async () => {
    const w = await startWorld();
    const t = await w.terminal();
    const res = await w.send(VEHICLE, { text: '请立即驶离当前位置，前往椒江危险货物专用停车场', tts: true });
    expect(res.statusCode).toBe(202);
    const { messageId } = res.json<{ messageId: string }>();
    const items = await until(() => w.list(VEHICLE), (xs) => xs[0]?.status === 'delivered');
    expect(items).toEqual([expect.objectContaining({ messageId, status: 'delivered', text: '请立即驶离当前位置，前往椒江危险货物专用停车场', by: 'duty-officer-wang' })]);
    expect(t.texts).toHaveLength(1);
    expect(t.texts[0]!.message).toMatchObject({ text: '请立即驶离当前位置，前往椒江危险货物专用停车场', display: true, tts: true, emergency: false, textType: 1 });
  });

  it('is undeliverable (not connected) for a vehicle whose terminal does not connect within the gateway’s timeout', async () => {
    const w = await startWorld({ messageConnectTimeoutMs: 60_000 });
    const res = await w.send('V9', { text: '请驶入专用停车场' });
    expect(res.statusCode).toBe(202);
    await until(() => w.list('V9'), (xs) => xs[0]?.status === 'requested');
    w.clock.now += 60_001;
    await w.gateway.checkDriverMessages();
    const items = await until(() => w.list('V9'), (xs) => xs[0]?.status === 'undeliverable');
    expect(items[0]).toMatchObject({ status: 'undeliverable', undeliverableReason: 'not-connected' });
  });
});
