import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { vehicleStream } from '@dgt/eventstore';
import { generateApiKey, hashApiKey } from '@dgt/http';
import { afterAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../src/index.ts';

const key = generateApiKey();
const dataDir = mkdtempSync(join(tmpdir(), 'dgt-stack-audit-'));
let stack: Stack | undefined;

afterAll(async () => {
  await stack?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the stack', () => {
  it('runs audits in a worker reading its own --data store (not the API environment default), and keeps its files owner-only', async () => {
    stack = await startStack({
      dataDir,
      apiPort: 0,
      ingestPort: 0,
      apiKeys: [
        { id: 'team', role: 'enforcement', sha256: hashApiKey(key) },
        { id: 'gateway', role: 'ingest', sha256: hashApiKey(generateApiKey()) },
      ],
      logLevel: 'silent',
      defaultMetrics: false,
      // No ClockTicked at the next whole minute of the wall clock: the audit counts every event.
      clockTickMs: 0,
    });
    const fix = { eventId: 'p-1', type: 'VehiclePositionReported', occurredAt: '2026-03-02T08:00:00+08:00', data: { vehicleId: 'V1', lon: 121.5, lat: 28.7, speedKmh: 0 } } as const;
    await stack.store.append(vehicleStream('V1'), [fix]);
    const res = await fetch(`${stack.apiUrl}/v1/audits`, { method: 'POST', headers: { 'x-api-key': key, 'content-type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { report: { digest: { events: number } } }).report.digest.events).toBe(1);
    const files = readdirSync(dataDir).filter((f) => f.endsWith('.sqlite') || f.endsWith('-wal') || f.endsWith('-shm'));
    expect(files).toEqual(expect.arrayContaining(['events.sqlite', 'readmodels.sqlite']));
    for (const f of files) expect([f, statSync(join(dataDir, f)).mode & 0o777]).toEqual([f, 0o600]);
  });
});
