import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/*
 * `npm start` as a user runs it, after its build step: the real entry point in its own process
 * (`node --import tsx services/stack/src/main.ts`), read through its banner and demo-keys file.
 * Same approach as services/stack/test/main.int.test.ts.
 */

const stackMain = fileURLToPath(new URL('../../services/stack/src/main.ts', import.meta.url));

export interface DemoProcess {
  readonly child: ChildProcess;
  /** Everything printed so far (stdout and stderr). */
  readonly output: () => string;
  readonly exited: Promise<number | null>;
}

export function startDemoProcess(args: readonly string[]): DemoProcess {
  // INIT_CWD is what npm sets; cleared so the data dir is only what the test passes.
  const child = spawn(process.execPath, ['--import', 'tsx', stackMain, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, INIT_CWD: '' } });
  let text = '';
  child.stdout?.on('data', (d: Buffer) => (text += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (text += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => text, exited };
}

/** The demo API key of a role, from `<dataDir>/demo-keys.json` (written before the banner). */
export function demoKeyFor(dataDir: string, role: string): string {
  const file = JSON.parse(readFileSync(join(dataDir, 'demo-keys.json'), 'utf8')) as { keys: { role: string; key: string }[] };
  const key = file.keys.find((k) => k.role === role)?.key;
  if (key === undefined) throw new Error(`no demo key for role ${role} in ${dataDir}/demo-keys.json`);
  return key;
}

/** Polls `probe` until it returns a value; on timeout the error carries the demo's output. */
export async function untilDemo<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs: number, demo: DemoProcess): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (demo.child.exitCode !== null) throw new Error(`the demo exited (${demo.child.exitCode}) while waiting for ${what}; output:\n${demo.output()}`);
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; output so far:\n${demo.output()}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
