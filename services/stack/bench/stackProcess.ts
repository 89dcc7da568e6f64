import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/*
 * `npm start --no-sim` as a user runs it (after the dashboard build): the stack's entry point in its
 * own process, so the loader in this process does not share its event loop.
 */

const ownMain = fileURLToPath(new URL('../src/main.ts', import.meta.url));
/** BENCH_CPU_PROF=<dir>: each stack process writes its CPU profile there when it stops (read it with services/ingest/bench/cpuProfileSummary.ts). */
const cpuProfileDir = process.env.BENCH_CPU_PROF;
const cpuProfileArgs = cpuProfileDir === undefined || cpuProfileDir === '' ? [] : ['--cpu-prof', `--cpu-prof-dir=${cpuProfileDir}`];

export interface StackProcess {
  readonly child: ChildProcess;
  readonly ingestUrl: string;
  readonly apiUrl: string;
  readonly keyFor: (role: string) => string;
  readonly output: () => string;
  /** SIGINT (a clean stop, which waits for the recorder) and the exit code. */
  stop(): Promise<number | null>;
}

/** `stackMain`: another checkout's services/stack/src/main.ts, to compare with it in one run. */
export async function startStackProcess(dataDir: string, options: { env?: Readonly<Record<string, string>>; args?: readonly string[]; stackMain?: string } = {}): Promise<StackProcess> {
  const { env = {}, stackMain = ownMain } = options;
  const args = ['--max-semi-space-size=64', ...cpuProfileArgs, '--import', 'tsx', stackMain, '--no-sim', '--data', dataDir, '--port', '0', '--log-level', 'warn', ...(options.args ?? [])];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, INIT_CWD: '', ...env } });
  let text = '';
  child.stdout?.on('data', (d: Buffer) => (text += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (text += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const deadline = Date.now() + 120_000;
  for (;;) {
    const api = /Dashboard +(http:\/\/\S+)/.exec(text)?.[1];
    const ingest = /Ingest API +POST (http:\/\/\S+)\/v1\/events/.exec(text)?.[1];
    if (api !== undefined && ingest !== undefined) {
      const keys = JSON.parse(readFileSync(join(dataDir, 'demo-keys.json'), 'utf8')) as { keys: { role: string; key: string }[] };
      return {
        child,
        apiUrl: api,
        ingestUrl: ingest,
        output: () => text,
        keyFor: (role) => keys.keys.find((k) => k.role === role)?.key ?? '',
        stop: async () => {
          child.kill('SIGINT');
          return exited;
        },
      };
    }
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`npm start did not come up:\n${text}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
