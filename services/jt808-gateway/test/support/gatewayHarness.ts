import { topicNames } from '@dgt/bus';
import type { ProtocolFlavour } from '@dgt/jt808';
import { Registry } from 'prom-client';
import type { Jt808Gateway, Jt808GatewayConfig, TerminalEntry } from '../../src/index.ts';
import { SimulatedTerminal, createJt808Gateway, createTerminalRegistry, gatewayConfig } from '../../src/index.ts';
import type { ControlledBus } from './controlledBus.ts';
import { createControlledBus } from './controlledBus.ts';

export const knownTerminals: TerminalEntry[] = [
  { phone: '013912344329', plate: '浙J·12345', authCode: 'code-4329' },
  { phone: '013900000001', plate: '浙J·D0001' },
  { phone: '013900000002', plate: '浙J·D0002' },
  { phone: '013900000003', plate: '浙J·D0003' },
];
export const AUTH_SECRET = 'unit-test-secret-0123456789';

export interface Harness {
  readonly gateway: Jt808Gateway;
  readonly bus: ControlledBus;
  readonly registry: Registry;
  readonly port: number;
  terminal(phone: string, flavour?: ProtocolFlavour): Promise<SimulatedTerminal>;
  /** Connected, registered and authenticated. */
  loggedIn(phone: string, flavour?: ProtocolFlavour): Promise<SimulatedTerminal>;
  metric(name: string, labels?: Record<string, string>): Promise<number>;
  close(): Promise<void>;
}

export async function startHarness(overrides: Partial<Jt808GatewayConfig> = {}): Promise<Harness> {
  const bus = await createControlledBus();
  const registry = new Registry();
  const config = gatewayConfig({ host: '127.0.0.1', port: 0, positionsTopic: topicNames().positions, refuseCloseDelayMs: 20, ...overrides });
  const gateway = createJt808Gateway({ config, bus, terminals: createTerminalRegistry({ terminals: knownTerminals, authSecret: AUTH_SECRET }), registry });
  const { port } = await gateway.listen();
  const open: SimulatedTerminal[] = [];
  const terminal = async (phone: string, flavour: ProtocolFlavour = '2013') => {
    const t = await SimulatedTerminal.connect({ host: '127.0.0.1', port, phone, flavour, replyTimeoutMs: 5_000 });
    open.push(t);
    return t;
  };
  return {
    gateway,
    bus,
    registry,
    port,
    terminal,
    loggedIn: async (phone, flavour) => {
      const t = await terminal(phone, flavour);
      await t.login();
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
    close: async () => {
      await Promise.all(open.map((t) => t.close()));
      bus.release();
      await gateway.close();
      await bus.close();
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
