import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/*
 * The real `npm start` process, as its script runs it after the dashboard build:
 * `node --max-semi-space-size=64 --import tsx services/stack/src/main.ts …`, killed and restarted
 * by the crash tests on one data directory and one pair of ports (so the loader's URL survives).
 */

const stackMain = fileURLToPath(new URL('../../../services/stack/src/main.ts', import.meta.url));

export interface StackProcess {
  readonly child: ChildProcess;
  readonly output: () => string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function startStackProcess(args: readonly string[], env: Readonly<Record<string, string>>): StackProcess {
  // INIT_CWD is what npm sets; cleared so the data dir is only what the test passes.
  const child = spawn(process.execPath, ['--max-semi-space-size=64', '--import', 'tsx', stackMain, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, INIT_CWD: '', ...env },
  });
  let text = '';
  child.stdout?.on('data', (d: Buffer) => (text += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (text += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return { child, output: () => text, exited };
}

/** Resolves once the banner is printed (seeds loaded, every component up). */
export async function untilBanner(stack: StackProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!/Ingest API +POST http:\/\/\S+\/v1\/events/.test(stack.output())) {
    if (stack.child.exitCode !== null) throw new Error(`npm start exited (${stack.child.exitCode}) before its banner:\n${stack.output()}`);
    if (Date.now() > deadline) throw new Error(`no banner from npm start within ${timeoutMs / 1000} s:\n${stack.output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The demo API key of a role, from `<dataDir>/demo-keys.json`. */
export function demoKey(dataDir: string, role: string): string {
  const file = JSON.parse(readFileSync(join(dataDir, 'demo-keys.json'), 'utf8')) as { keys: { role: string; key: string }[] };
  const key = file.keys.find((k) => k.role === role)?.key;
  if (key === undefined) throw new Error(`no demo key for role ${role} in ${dataDir}`);
  return key;
}

/** A free port whose successor is free too: `--port p` puts ingest on p + 1. */
export async function freePortPair(): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const port = await listenOnce(0);
    if (port < 65_535 && (await listenOnce(port + 1).then(() => true, () => false))) return port;
  }
  throw new Error('no free pair of ports');
}

function listenOnce(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : port));
    });
  });
}
