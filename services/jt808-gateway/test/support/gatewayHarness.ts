import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { topicNames } from '@dgt/bus';
import type { ProtocolFlavour } from '@dgt/jt808';
import { Registry } from 'prom-client';
import type { Jt808Gateway, Jt808GatewayConfig, Logger, SimulatedTerminalOptions, TerminalEntry, TerminalStateStore } from '../../src/index.ts';
import {
  SimulatedTerminal,
  createJt808Gateway,
  createTerminalRecords,
  gatewayConfig,
  normalizePhone,
  openTerminalStateStore,
  simulatedIdentity,
  simulatedTerminalEntry,
} from '../../src/index.ts';
import type { ControlledBus } from './controlledBus.ts';
import { createControlledBus } from './controlledBus.ts';

export const knownTerminals: TerminalEntry[] = [
  simulatedTerminalEntry('013912344329', '浙J·12345'),
  simulatedTerminalEntry('013900000001', '浙J·D0001'),
  simulatedTerminalEntry('013900000002', '浙J·D0002'),
  // Published under a registry id rather than its plate.
  { ...simulatedTerminalEntry('013900000003', '浙J·D0003'), vehicleId: 'V0003' },
];

/** Fix times in these tests are around T0; the gateway's receipt clock starts 2 minutes after it. */
export const T0 = Date.parse('2025-03-01T00:00:00Z');

export interface LogLine {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly message: string;
  readonly fields: Record<string, unknown> | undefined;
}

export interface Harness {
  readonly gateway: Jt808Gateway;
  readonly bus: ControlledBus;
  readonly registry: Registry;
  readonly port: number;
  readonly state: TerminalStateStore;
  readonly statePath: string;
  readonly logs: LogLine[];
  /** The receipt clock the gateway reads (epoch ms); tests move it. */
  now: number;
  /** Connected, nothing sent yet; states its record's identity unless told otherwise. */
  terminal(phone: string, flavour?: ProtocolFlavour, options?: Partial<SimulatedTerminalOptions>): Promise<SimulatedTerminal>;
  /** Connected, registered and authenticated; its registration event already published. */
  loggedIn(phone: string, flavour?: ProtocolFlavour): Promise<SimulatedTerminal>;
  metric(name: string, labels?: Record<string, string>): Promise<number>;
  /** Messages the bus accepted on a topic. */
  sentTo(topic: 'positions' | 'consignments'): { key: string; headers: Record<string, unknown> | undefined; value: Record<string, unknown> }[];
  close(): Promise<void>;
}

export interface HarnessOptions {
  /** An existing state file (default: a fresh one in a temporary directory). */
  readonly statePath?: string;
  readonly terminals?: readonly TerminalEntry[];
}

export async function startHarness(overrides: Partial<Jt808GatewayConfig> = {}, options: HarnessOptions = {}): Promise<Harness> {
  const bus = await createControlledBus();
  const registry = new Registry();
  const dir = options.statePath === undefined ? mkdtempSync(join(tmpdir(), 'jt808-gw-')) : undefined;
  const statePath = options.statePath ?? join(dir!, 'state', 'jt808-state.sqlite');
  const state = openTerminalStateStore({ path: statePath, create: true });
  const names = topicNames();
  const config = gatewayConfig({ host: '127.0.0.1', port: 0, positionsTopic: names.positions, consignmentsTopic: names.consignments, refuseCloseDelayMs: 20, stateCheckMs: 50, ...overrides });
  const logs: LogLine[] = [];
  const at = (level: LogLine['level']) => (message: string, fields?: Record<string, unknown>) => void logs.push({ level, message, fields });
  const logger: Logger = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
  const clock = { now: T0 + 120_000 };
  const entries = options.terminals ?? knownTerminals;
  const gateway = createJt808Gateway({
    config,
    bus,
    terminals: createTerminalRecords(entries),
    state,
    clock: () => clock.now,
    registry,
    logger,
    // The controlled bus wraps the in-process (memory) bus: fine for protocol tests.
    testOnlyAllowNonDurableBus: true,
  });
  const { port } = await gateway.listen();
  const open: SimulatedTerminal[] = [];
  const plateOf = (phone: string) => entries.find((t) => normalizePhone(t.phone) === normalizePhone(phone))?.plate;
  const terminal = async (phone: string, flavour: ProtocolFlavour = '2013', more: Partial<SimulatedTerminalOptions> = {}) => {
    const t = await SimulatedTerminal.connect({ host: '127.0.0.1', port, phone, flavour, replyTimeoutMs: 5_000, identity: simulatedIdentity(phone, plateOf(phone)), ...more });
    open.push(t);
    return t;
  };
  return {
    gateway,
    bus,
    registry,
    port,
    state,
    statePath,
    logs,
    get now() {
      return clock.now;
    },
    set now(ms: number) {
      clock.now = ms;
    },
    terminal,
    loggedIn: async (phone, flavour) => {
      const t = await terminal(phone, flavour);
      await t.login();
      // Its TerminalRegistered is on the bus before the test goes on (sends and holds stay the test's).
      await gateway.drainOutbox();
      return t;
    },
    metric: async (name, labels = {}) => {
      const m = (await registry.getMetricsAsJSON()).find((x) => x.name === name);
      if (m === undefined) throw new Error(`no metric ${name}`);
      const values = (m as unknown as { values: { value: number; labels: Record<string, string | number>; metricName?: string }[] }).values;
      return values
        .filter((v) => (v.metricName === undefined || v.metricName === name || v.metricName === `${name}_count`) && Object.entries(labels).every(([k, val]) => String(v.labels[k]) === val))
        .reduce((n, v) => n + v.value, 0);
    },
    sentTo: (topic) =>
      bus.sent
        .filter((s) => s.topic === names[topic])
        .map((s) => ({ key: s.message.key, headers: s.message.headers, value: JSON.parse(s.message.value.toString()) as Record<string, unknown> })),
    close: async () => {
      await Promise.all(open.map((t) => t.close()));
      bus.release();
      await gateway.close();
      await bus.close();
      state.close();
      if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Polls until `check` holds (socket effects are asynchronous). */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 3_000): Promise<void> {
  const until = performance.now() + timeoutMs;
  while (!(await check())) {
    if (performance.now() > until) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
