import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

export interface ServiceProcess {
  readonly name: string;
  readonly pid: number;
  /** Everything the process wrote so far (stdout and stderr), for failure messages. */
  output(): string;
  /** Resolves with the exit code (or the signal's name) once the process is gone. */
  readonly exited: Promise<number | string>;
  /** Sends the signal and waits for the exit. */
  kill(signal: NodeJS.Signals): Promise<number | string>;
}

const running = new Set<ServiceProcess>();

/**
 * Starts `node --import tsx <script>` from the repo root with `env` on top of this process's
 * environment, and resolves once `ready` says so (or rejects with the process's output).
 */
export async function startService(options: {
  name: string;
  script: string;
  env: Record<string, string>;
  ready: (proc: ServiceProcess) => Promise<boolean> | boolean;
  timeoutMs?: number;
}): Promise<ServiceProcess> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', options.script], {
    cwd: repoRoot,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const append = (chunk: Buffer): void => {
    output += chunk.toString('utf8');
    // Keep the tail only: the bench and long scenarios log a lot.
    if (output.length > 400_000) output = output.slice(-200_000);
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown'));
  });
  const proc: ServiceProcess = {
    name: options.name,
    pid: child.pid ?? -1,
    output: () => output,
    exited,
    kill: async (signal) => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
  running.add(proc);
  void exited.then(() => running.delete(proc));

  const giveUpAt = Date.now() + (options.timeoutMs ?? 60_000);
  let gone = false;
  void exited.then(() => (gone = true));
  for (;;) {
    if (gone) throw new Error(`${options.name} exited before it was ready:\n${output}`);
    if (await Promise.resolve(options.ready(proc)).catch(() => false)) return proc;
    if (Date.now() > giveUpAt) {
      await proc.kill('SIGKILL');
      throw new Error(`${options.name} was not ready within ${options.timeoutMs ?? 60_000} ms:\n${output}`);
    }
    await sleep(100);
  }
}

/** SIGKILLs every service process still running (for afterEach/afterAll). */
export async function killAllServices(): Promise<void> {
  await Promise.all([...running].map((p) => p.kill('SIGKILL')));
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** True once GET `url` answers 200 with the key. */
export async function answers200(url: string, apiKey: string): Promise<boolean> {
  const response = await fetch(url, { headers: { 'x-api-key': apiKey }, signal: AbortSignal.timeout(2000) });
  await response.body?.cancel();
  return response.status === 200;
}
