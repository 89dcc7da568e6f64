/**
 * The gateway acks a terminal once its report is on the bus, and the terminal then forgets it;
 * on a bus that loses what it holds on exit (the in-process memory bus) that ack would be a lie.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInProcessBus, topicNames } from '@dgt/bus';
import { afterAll, describe, expect, it } from 'vitest';
import { GatewayError, createJt808Gateway, createTerminalRecords, gatewayConfig, openTerminalStateStore } from '../src/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'jt808-durable-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const main = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const names = topicNames();
const config = gatewayConfig({ host: '127.0.0.1', port: 0, positionsTopic: names.positions, consignmentsTopic: names.consignments });

function runMain(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    // No KAFKA_BROKERS (or any other setting) from the environment running the tests.
    const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('KAFKA_') && !k.startsWith('JT808_')));
    execFile(process.execPath, ['--import', 'tsx', main], { env: { ...clean, JT808_HTTP_PORT: '0', ...env }, timeout: 30_000 }, (error, _stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : null, stderr });
    });
  });
}

describe('durable bus only', () => {
  it('createJt808Gateway refuses a bus that is not durable, with a typed error saying why', () => {
    const state = openTerminalStateStore({ path: join(dir, 'a.sqlite'), create: true });
    const bus = createInProcessBus();
    expect(bus.durable).toBe(false);
    let error: unknown;
    try {
      createJt808Gateway({ config, bus, terminals: createTerminalRecords([]), state });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(GatewayError);
    expect(error).toMatchObject({ code: 'NON_DURABLE_BUS', message: expect.stringMatching(/durable bus.*KAFKA_BROKERS/) });
    // A durable bus (here: the same bus declaring itself durable) is accepted.
    expect(() => createJt808Gateway({ config, bus: Object.assign(Object.create(bus) as typeof bus, { durable: true }), terminals: createTerminalRecords([]), state })).not.toThrow();
    state.close();
  });

  it('main.ts without KAFKA_BROKERS exits non-zero with a clear message, and creates no state', async () => {
    const statePath = join(dir, 'never.sqlite');
    const r = await runMain({ JT808_STATE_PATH: statePath });
    expect(r.code).toBe(78);
    expect(r.stderr).toMatch(/^jt808-gateway: KAFKA_BROKERS is not set: .*durable bus/m);
    expect(existsSync(statePath)).toBe(false);
  });

  it('main.ts refuses the retired HMAC secret and fixed codes, saying codes are now issued at registration', async () => {
    const secret = await runMain({ KAFKA_BROKERS: '127.0.0.1:1', JT808_STATE_PATH: join(dir, 's.sqlite'), JT808_AUTH_SECRET: 'an-old-secret-of-16+' });
    expect(secret.code).toBe(78);
    expect(secret.stderr).toMatch(/JT808_AUTH_SECRET is no longer used: auth codes are now issued at registration/);
    const fixed = await runMain({
      KAFKA_BROKERS: '127.0.0.1:1',
      JT808_STATE_PATH: join(dir, 's.sqlite'),
      JT808_TERMINALS: '[{"phone":"013912344329","plate":"浙J·12345","authCode":"code-4329"}]',
    });
    expect(fixed.code).toBe(78);
    expect(fixed.stderr).toMatch(/0\.authCode: fixed auth codes are no longer supported: auth codes are now issued at registration/);
  });

  it('main.ts without JT808_STATE_PATH exits non-zero naming it', async () => {
    const r = await runMain({ KAFKA_BROKERS: '127.0.0.1:1' });
    expect(r.code).toBe(78);
    expect(r.stderr).toMatch(/JT808_STATE_PATH is not set/);
  });
});
