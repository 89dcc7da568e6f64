import { createServer, type Server } from 'node:net';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateApiKey, hashApiKey } from '@dgt/http';
import { afterEach, describe, expect, it } from 'vitest';
import { DATA_DIR_LOCK_FILE, startStack, type Stack, type StackOptions } from '../src/index.ts';

const key = generateApiKey();
const dirs: string[] = [];
const running: Stack[] = [];

afterEach(async () => {
  for (const s of running.splice(0)) await s.stop();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function options(dataDir: string, over: Partial<StackOptions> = {}): StackOptions {
  return { dataDir, apiPort: 0, ingestPort: 0, apiKeys: [
      { id: 'bureau', role: 'bureau', sha256: hashApiKey(key) },
      { id: 'gateway', role: 'ingest', sha256: hashApiKey(generateApiKey()) },
    ], logLevel: 'silent', defaultMetrics: false, ...over };
}

async function start(dataDir: string): Promise<Stack> {
  const stack = await startStack(options(dataDir));
  running.push(stack);
  return stack;
}

describe('startStack locks its data directory', () => {
  it('refuses a second stack on the same directory while the first runs, and allows it after the first stopped', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'dgt-stack-lock-'));
    dirs.push(dataDir);
    const first = await start(dataDir);
    expect(existsSync(join(dataDir, DATA_DIR_LOCK_FILE))).toBe(true);

    await expect(startStack(options(dataDir))).rejects.toMatchObject({ code: 'DATA_DIR_IN_USE', message: expect.stringContaining(`in use by process ${process.pid}`) as unknown });
    // The refused start left the running stack's lock and stack alone.
    expect(existsSync(join(dataDir, DATA_DIR_LOCK_FILE))).toBe(true);
    expect((await fetch(`${first.apiUrl}/healthz`, { headers: { 'x-api-key': key } })).status).toBe(200);

    running.splice(running.indexOf(first), 1);
    await first.stop();
    expect(existsSync(join(dataDir, DATA_DIR_LOCK_FILE))).toBe(false);
    await start(dataDir);
    expect(existsSync(join(dataDir, DATA_DIR_LOCK_FILE))).toBe(true);
  });

  it('unlocks the directory when the start fails after taking the lock', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'dgt-stack-lock-fail-'));
    dirs.push(dataDir);
    const blocker: Server = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as { port: number }).port;
    try {
      await expect(startStack(options(dataDir, { apiPort: port }))).rejects.toMatchObject({ code: 'PORT_IN_USE' });
      expect(existsSync(join(dataDir, DATA_DIR_LOCK_FILE))).toBe(false);
    } finally {
      blocker.close();
    }
  });
});
