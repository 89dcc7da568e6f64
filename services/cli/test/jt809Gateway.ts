import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { createSqliteBus, topicNames, topicSpecs, type SqliteBus } from '@dgt/bus';
import { createJt809Gateway, createPlatformAccounts, createVehicleRegister, gatewayConfig, passwordSha256, type Jt809Gateway, type PlatformAccountEntry } from '@dgt/jt809-gateway';
import { buildFleet } from '@dgt/simulator';
import { Registry } from 'prom-client';
import type { Io } from '../src/io.ts';
import { main } from '../src/main.ts';

export interface PositionSeen {
  readonly eventId: string;
  readonly data: { vehicleId: string };
  readonly meta: { backfilled?: boolean; edition: string };
}

export interface GatewayUnderTest {
  readonly port: number;
  readonly gateway: Jt809Gateway;
  readonly registry: Registry;
  /** Every position the gateway put on the bus, as a consumer of the bus reads them. */
  readonly positions: PositionSeen[];
  /** Waits until the consumer has read everything committed so far (no new one for 200 ms). */
  settle(): Promise<void>;
  metric(name: string, labels?: Record<string, string>): Promise<number>;
  close(): Promise<void>;
}

/** The platform account the tests log in as: carrier C001 of the seed fleet. */
export const platform = { accessCode: 33010001, userId: 7001, password: 'demo1234', keys: { m1: 10_000_000, ia1: 20_000_000, ic1: 30_000_000 } };

/** A real gateway on loopback over a durable SQLite bus in a temporary directory, the seed fleet as its register. */
export async function startGateway(overrides: Partial<PlatformAccountEntry> = {}): Promise<GatewayUnderTest> {
  const dir = mkdtempSync(join(tmpdir(), 'dgt-cli-jt809-'));
  const names = topicNames();
  const bus: SqliteBus = createSqliteBus({ path: join(dir, 'bus.sqlite') });
  await bus.ensureTopics(topicSpecs(names));
  const positions: PositionSeen[] = [];
  const consumer = bus.consumer({ groupId: 'cli-test' });
  await consumer.run({
    topics: [names.positions],
    eachBatch: async (b) => {
      for (const m of b.messages) positions.push(JSON.parse(m.value.toString()) as PositionSeen);
    },
  });
  const registry = new Registry();
  const account: PlatformAccountEntry = {
    platformId: 'cli-test', accessCode: platform.accessCode, userId: platform.userId, passwordSha256: passwordSha256(platform.password),
    allowedIps: ['127.0.0.1', '::1'], edition: '2019', encryption: platform.keys, carriers: ['C001'], downLink: 'off', ...overrides,
  };
  const gateway = createJt809Gateway({
    config: gatewayConfig({ host: '127.0.0.1', port: 0, positionsTopic: names.positions, platformEventsTopic: names.consignments, refuseCloseDelayMs: 50 }),
    bus,
    accounts: createPlatformAccounts([account]),
    register: createVehicleRegister(buildFleet().vehicles.map((v) => ({ vehicleId: v.vehicleId, plateNo: v.plateNo, carrierId: v.carrierId }))),
    registry,
  });
  const { port } = await gateway.listen();
  return {
    port,
    gateway,
    registry,
    positions,
    settle: async () => {
      let seen = -1;
      for (let i = 0; i < 50 && seen !== positions.length; i++) {
        seen = positions.length;
        await new Promise((r) => setTimeout(r, 200));
      }
    },
    metric: async (name, labels = {}) => {
      const values = (await registry.getSingleMetric(name)!.get()).values.filter((v) => Object.entries(labels).every(([k, x]) => v.labels[k] === x));
      return values.reduce((n, v) => n + v.value, 0);
    },
    close: async () => {
      await gateway.close();
      await consumer.stop();
      await bus.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Runs `dgt <args>` in this process, capturing its output. */
export async function dgt(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  const io: Io = { stdin: new PassThrough(), stdout, stderr };
  const code = await main(args, io);
  return { code, stdout: out, stderr: err };
}
