import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

/* `npm start` as a user runs it: the real entry point in its own process, stopped with Ctrl-C (SIGINT). */

const main = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const dirs: string[] = [];
const children: ChildProcess[] = [];

afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

interface Started {
  readonly child: ChildProcess;
  readonly output: () => string;
  readonly exited: Promise<number | null>;
}

function startDemo(args: string[]): Started {
  const child = spawn(process.execPath, ['--import', 'tsx', main, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, INIT_CWD: '' } });
  children.push(child);
  let text = '';
  child.stdout?.on('data', (d: Buffer) => (text += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (text += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => text, exited };
}

async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs: number, output: () => string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; output so far:\n${output()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('npm start (services/stack/src/main.ts)', () => {
  it('prints the dashboard and the demo keys, fills the fleet from the seeds and the simulator, and stops cleanly on Ctrl-C', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'dgt-npm-start-'));
    dirs.push(dataDir);
    const demo = startDemo(['--data', dataDir, '--port', '0', '--vehicles', '12', '--speed', '600', '--log-level', 'info']);
    const dashboardUrl = await until('the banner', () => /Dashboard +(http:\/\/\S+)/.exec(demo.output())?.[1], 60_000, demo.output);
    const keys = JSON.parse(readFileSync(join(dataDir, 'demo-keys.json'), 'utf8')) as { keys: { role: string; key: string }[] };
    const bureau = keys.keys.find((k) => k.role === 'bureau')?.key ?? '';
    for (const k of keys.keys) expect(demo.output()).toContain(`${k.role.padEnd(14)} ${k.key}`);
    // The JT/T 808 gateway: where terminals connect, and the records (phones) a real one needs.
    expect(demo.output()).toMatch(/JT\/T 808 +tcp 127\.0\.0\.1:\d+ \(BeiDou terminals/);
    expect(demo.output()).toContain(`terminals: 2400 records, phones and plates in ${join(dataDir, 'terminals.json')}`);
    expect(demo.output()).toContain('simulated terminals: 1 of the 12 simulated vehicles, the rest over HTTP');

    // A second npm start on the same data directory is refused while this one runs.
    const second = startDemo(['--data', dataDir, '--port', '0', '--ingest-port', '0', '--no-sim']);
    expect(await second.exited).toBe(1);
    expect(second.output()).toContain(`dgt: data directory ${dataDir} is in use by process ${demo.child.pid}`);

    expect((await fetch(dashboardUrl)).status).toBe(200);
    const zones = (await (await fetch(`${dashboardUrl}/v1/zones`, { headers: { 'x-api-key': bureau } })).json()) as { items: unknown[] };
    expect(zones.items.length).toBeGreaterThanOrEqual(15);
    // Simulated vehicles are V0001…V0012; they report from their lots and start driving (V0001 as a JT/T 808 terminal).
    const moving = await until(
      'simulated vehicles with fixes',
      async () => {
        const fleet = (await (await fetch(`${dashboardUrl}/v1/fleet?limit=100`, { headers: { 'x-api-key': bureau } })).json()) as { items: { vehicleId: string; lastFix: unknown }[] };
        const withFix = fleet.items.filter((v) => v.lastFix !== null && /^V00(0\d|1[0-2])$/.test(v.vehicleId));
        return withFix.length === 12 ? withFix : undefined;
      },
      60_000,
      demo.output,
    );
    expect(moving).toHaveLength(12);

    demo.child.kill('SIGINT');
    expect(await demo.exited).toBe(0);
    expect(demo.output()).toContain('stopping cleanly');
    expect(demo.output()).toMatch(/stopped; the next start continues/);
    expect(demo.output()).toMatch(/jt808 simulated terminals stopped.*"registrations":1,"authentications":1/);
    expect(existsSync(join(dataDir, 'dgt.lock'))).toBe(false);
    const state = JSON.parse(readFileSync(join(dataDir, 'simulation.json'), 'utf8')) as { seed: string; resumeAtMs: number };
    expect(state.resumeAtMs).toBeGreaterThan(0);
  }, 150_000);

  it('says which port is taken and how to choose another', async () => {
    const { createServer } = await import('node:net');
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as { port: number }).port;
    const dataDir = mkdtempSync(join(tmpdir(), 'dgt-npm-start-port-'));
    dirs.push(dataDir);
    try {
      const demo = startDemo(['--data', dataDir, '--port', String(port), '--ingest-port', '0', '--no-sim']);
      expect(await demo.exited).toBe(1);
      expect(demo.output()).toContain(`port ${port} on 127.0.0.1 (API and dashboard) is already in use`);
      expect(demo.output()).toContain('--port <n>');
      // The failed start does not leave its data directory locked.
      expect(existsSync(join(dataDir, 'dgt.lock'))).toBe(false);
    } finally {
      blocker.close();
    }
  }, 90_000);
});
