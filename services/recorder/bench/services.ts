import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

export interface Child {
  readonly name: string;
  readonly pid: number;
  readonly process: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

/**
 * The node flags a service's `start` script runs it with (`node --max-semi-space-size=64 --import
 * tsx src/main.ts` → `['--max-semi-space-size=64']`), so the bench runs it as `npm start` and the
 * Dockerfile do.
 */
export function startScriptFlags(service: string): string[] {
  const pkg = JSON.parse(readFileSync(join(repoRoot, 'services', service, 'package.json'), 'utf8')) as { scripts?: { start?: string } };
  const words = (pkg.scripts?.start ?? '').trim().split(/\s+/);
  if (words[0] !== 'node') return [];
  const end = words.indexOf('--import');
  return words.slice(1, end === -1 ? undefined : end);
}

/** `node [flags] --import tsx <script>` from the repo root; resolves once `ready()` is true. */
export async function startChild(
  name: string,
  script: string,
  env: Record<string, string>,
  ready: (output: () => string) => Promise<boolean>,
  nodeFlags: readonly string[] = [],
): Promise<Child> {
  // BENCH_CPU_PROF=<dir>: each service writes its CPU profile there as it stops (services/ingest/bench/cpuProfileSummary.ts reads it).
  // One folder per service: its threads (tsx's loader thread, workers) write profiles of their own.
  const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${join(process.env.BENCH_CPU_PROF, name.replace(/\W+/g, '-'))}`] : [];
  const child = spawn(process.execPath, [...profile, ...nodeFlags, '--import', 'tsx', script], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (d: Buffer) => {
    output = (output + d.toString('utf8')).slice(-100_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let gone = false;
  void exited.then(() => (gone = true));
  const handle: Child = {
    name,
    pid: child.pid ?? -1,
    process: child,
    output: () => output,
    stop: async () => {
      if (!gone) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
  const giveUpAt = Date.now() + 60_000;
  while (!(await ready(handle.output).catch(() => false))) {
    if (gone || Date.now() > giveUpAt) {
      await handle.stop();
      throw new Error(`${name} did not become ready:\n${output}`);
    }
    await sleep(200);
  }
  return handle;
}

export async function answers200(url: string, apiKey: string): Promise<boolean> {
  const response = await fetch(url, { headers: { 'x-api-key': apiKey }, signal: AbortSignal.timeout(2000) });
  await response.body?.cancel();
  return response.status === 200;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
