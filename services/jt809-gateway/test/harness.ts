import type { Bus } from '@dgt/bus';
import { createInProcessBus, topicNames, topicSpecs } from '@dgt/bus';
import { Registry } from 'prom-client';
import type { Jt809Gateway, Jt809GatewayConfig, PlatformAccountEntry, SimulatedPlatformOptions, VehicleEntry, VehicleRegister } from '../src/index.ts';
import { SimulatedPlatform, createJt809Gateway, createPlatformAccounts, createVehicleRegister, gatewayConfig } from '../src/index.ts';
import { T0 } from './support.ts';

export interface Published {
  readonly topic: string;
  readonly key: string;
  readonly event: { eventId: string; type: string; occurredAt: string; data: Record<string, unknown>; meta?: Record<string, unknown> };
}

export interface Harness {
  readonly gateway: Jt809Gateway;
  readonly port: number;
  readonly bus: Bus;
  readonly published: Published[];
  readonly registry: Registry;
  platform(options: Partial<SimulatedPlatformOptions> & Pick<SimulatedPlatformOptions, 'accessCode' | 'userId' | 'password' | 'edition'>): SimulatedPlatform;
  metric(name: string, labels?: Record<string, string>): Promise<number>;
  /** Waits until the consumer has had the bus's accepted messages (delivery is asynchronous): no new one for 50 ms. */
  settle(): Promise<void>;
  /** Waits until `predicate` holds (polling), or fails after `timeoutMs`. */
  until(predicate: () => boolean | Promise<boolean>, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** A gateway on loopback over the in-process bus, with a consumer recording everything published. */
export async function startHarness(platforms: PlatformAccountEntry[], vehicles: VehicleEntry[], config: Partial<Jt809GatewayConfig> = {}, register?: VehicleRegister): Promise<Harness> {
  const names = topicNames();
  const bus = createInProcessBus();
  await bus.ensureTopics(topicSpecs(names));
  const published: Published[] = [];
  const consumer = bus.consumer({ groupId: 'harness' });
  await consumer.run({
    topics: [names.positions, names.consignments],
    eachBatch: async (b) => {
      for (const m of b.messages) published.push({ topic: b.topic, key: m.key, event: JSON.parse(m.value.toString()) as Published['event'] });
    },
  });
  const registry = new Registry();
  const started = performance.now();
  const gateway = createJt809Gateway({
    config: gatewayConfig({ host: '127.0.0.1', port: 0, positionsTopic: names.positions, platformEventsTopic: names.consignments, refuseCloseDelayMs: 50, ...config }),
    bus,
    accounts: createPlatformAccounts(platforms),
    register: register ?? createVehicleRegister(vehicles),
    registry,
    clock: () => T0 + 60_000 + (performance.now() - started),
    testOnlyAllowNonDurableBus: true,
  });
  const { port } = await gateway.listen();
  const sims: SimulatedPlatform[] = [];
  const until = async (predicate: () => boolean | Promise<boolean>, timeoutMs = 5_000) => {
    const deadline = performance.now() + timeoutMs;
    while (!(await predicate())) {
      if (performance.now() > deadline) throw new Error('condition not met in time');
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  return {
    gateway,
    port,
    bus,
    published,
    registry,
    platform: (o) => {
      const p = new SimulatedPlatform({ host: '127.0.0.1', port, clock: () => T0 + 60_000, ...o });
      sims.push(p);
      return p;
    },
    metric: async (name, labels = {}) => {
      const m = registry.getSingleMetric(name);
      if (m === undefined) throw new Error(`no metric ${name}`);
      const values = (await m.get()).values.filter((v) => Object.entries(labels).every(([k, x]) => v.labels[k] === x));
      return values.reduce((n, v) => n + v.value, 0);
    },
    until,
    settle: async () => {
      let seen = -1;
      for (let i = 0; i < 40 && seen !== published.length; i++) {
        seen = published.length;
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    close: async () => {
      for (const s of sims) await s.close();
      await gateway.close();
      await consumer.stop();
      await bus.close();
    },
  };
}
