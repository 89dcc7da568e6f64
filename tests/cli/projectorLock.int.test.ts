import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { repoRoot, runDgt } from '../src/runDgt.ts';

const dirs: string[] = [];
const holders: ChildProcess[] = [];
afterEach(() => {
  for (const h of holders.splice(0)) h.kill('SIGKILL');
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/**
 * A live process holding the data directory exactly as `npm start` does (the stack calls the same
 * lockDataDir), resolved once it holds it. Starting the whole stack would add a minute, not coverage.
 */
async function holdDataDir(dataDir: string): Promise<ChildProcess> {
  const script = `import { lockDataDir } from '@dgt/stack'; lockDataDir(${JSON.stringify(dataDir)}); console.log('locked'); setInterval(() => {}, 60000);`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] });
  holders.push(child);
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('locked')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`the lock holder exited with ${code}`)));
  });
  return child;
}

function projectorEnv(dataDir: string): NodeJS.ProcessEnv {
  return { DGT_EVENTSTORE: 'sqlite', DGT_EVENTSTORE_PATH: join(dataDir, 'events.sqlite'), DGT_READMODELS: 'sqlite', DGT_READMODELS_PATH: join(dataDir, 'readmodels.sqlite'), KAFKA_BROKERS: '', LOG_LEVEL: 'error', PROJECTOR_METRICS_PORT: '0' };
}

describe('dgt projector and the data-directory lock', () => {
  it('exits 1 naming the process that holds the directory, before opening any store; runs once that process is gone', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'dgt-projector-lock-'));
    dirs.push(dataDir);
    const holder = await holdDataDir(dataDir);

    const refused = await runDgt(['projector', '--once'], { env: projectorEnv(dataDir) });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`dgt projector: data directory ${dataDir} is in use by process ${holder.pid}`);
    expect(refused.stderr).toContain('stop it first or point DGT_READMODELS_PATH into another directory');
    expect(existsSync(join(dataDir, 'readmodels.sqlite'))).toBe(false);
    expect(existsSync(join(dataDir, 'events.sqlite'))).toBe(false);

    holder.kill('SIGKILL');
    await new Promise((resolve) => holder.once('exit', resolve));
    const ran = await runDgt(['projector', '--once'], { env: projectorEnv(dataDir) });
    expect(ran.stderr).not.toContain('in use by');
    expect(ran.code).toBe(0);
    expect(existsSync(join(dataDir, 'readmodels.sqlite'))).toBe(true);
    // Released on exit: the next `npm start` finds the directory free.
    expect(existsSync(join(dataDir, 'dgt.lock'))).toBe(false);
  });
});
