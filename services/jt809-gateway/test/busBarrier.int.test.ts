/**
 * JT/T 809 has no acknowledgement for vehicle data, so the gateway makes its heartbeat reply one:
 * answered only once everything the link sent before it is on the bus. And when the bus refuses,
 * the link is ended so the platform sees an outage and back-fills (0x1203).
 */
import type { Bus, BusProducer, OutgoingMessage } from '@dgt/bus';
import { topicNames } from '@dgt/bus';
import { describe, expect, it } from 'vitest';
import { GatewayError, SimulatedPlatform, createJt809Gateway, createPlatformAccounts, createVehicleRegister, gatewayConfig, simulatedFixInput } from '../src/index.ts';
import { T0, platformEntry } from './support.ts';

/** A durable-looking bus whose sends wait for the test to release (or fail) them. */
function gatedBus() {
  const sent: OutgoingMessage[] = [];
  let release: (() => void) | undefined;
  const gate = new Promise<void>((r) => (release = r));
  let fail = false;
  const producer: BusProducer = {
    send: async (_topic, messages) => {
      await gate;
      if (fail) throw new Error('broker unavailable');
      sent.push(...messages);
    },
    close: async () => undefined,
  };
  const bus: Bus = { durable: true, ensureTopics: async () => undefined, producer: () => producer, consumer: () => ({ run: async () => undefined, stop: async () => undefined }), close: async () => undefined };
  return {
    bus,
    sent,
    open: () => release?.(),
    failNext: () => {
      fail = true;
      release?.();
    },
  };
}

async function start(bus: Bus) {
  const names = topicNames();
  const gateway = createJt809Gateway({
    config: gatewayConfig({ host: '127.0.0.1', port: 0, positionsTopic: names.positions, platformEventsTopic: names.consignments }),
    bus,
    accounts: createPlatformAccounts([platformEntry()]),
    register: createVehicleRegister([{ vehicleId: 'V1', plateNo: '浙J·10001', carrierId: 'C-A' }]),
    clock: () => T0 + 1_000,
  });
  const { port } = await gateway.listen();
  const platform = new SimulatedPlatform({ host: '127.0.0.1', port, edition: '2019', accessCode: 33010001, userId: 7001, password: 'pass1234', clock: () => T0 });
  await platform.connect();
  expect(await platform.login()).toBe(0);
  return { gateway, platform };
}

describe('the heartbeat reply', () => {
  it('waits until the fixes sent before it are on the bus', async () => {
    const g = gatedBus();
    const { gateway, platform } = await start(g.bus);
    platform.sendFix('浙J·10001', 2, simulatedFixInput('2019', 1, 1, T0));
    let answered = false;
    const hb = platform.heartbeat().then(() => (answered = true));
    await new Promise((r) => setTimeout(r, 200));
    expect(answered).toBe(false);
    g.open();
    await hb;
    expect(g.sent).toHaveLength(1);
    await platform.close();
    await gateway.close();
  });

  it('is not given when the bus refuses: the link is closed so the platform back-fills', async () => {
    const g = gatedBus();
    const { gateway, platform } = await start(g.bus);
    platform.sendFix('浙J·10001', 2, simulatedFixInput('2019', 1, 1, T0));
    const hb = platform.heartbeat().then(
      () => 'answered',
      () => 'no answer',
    );
    g.failNext();
    await platform.closed;
    expect(g.sent).toEqual([]);
    expect(platform.received.filter((m) => m.type === 'heartbeat-response')).toEqual([]);
    expect((await gateway.registry.getSingleMetric('dgt_jt809_publish_failures_total')!.get()).values[0]!.value).toBe(1);
    void hb;
    await platform.close();
    await gateway.close();
  });
});

describe('a gateway on a bus that forgets', () => {
  it('refuses to start', () => {
    const names = topicNames();
    const bus = { ...gatedBus().bus, durable: false };
    expect(() =>
      createJt809Gateway({
        config: gatewayConfig({ positionsTopic: names.positions, platformEventsTopic: names.consignments }),
        bus,
        accounts: createPlatformAccounts([platformEntry()]),
        register: createVehicleRegister([]),
      }),
    ).toThrow(GatewayError);
  });
});
