import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseNdjsonLine } from '@dgt/events';
import { openSqliteEventStore, streamFor } from '@dgt/eventstore';
import { normaliseSelection, thresholdsSchema } from '@dgt/replay';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditJob } from '../src/audits/auditJob.ts';
import { inlineAuditRunner, workerAuditRunner } from '../src/audits/auditRunner.ts';
import { writeLargeStore } from './support/largeStore.ts';

const dir = mkdtempSync(join(tmpdir(), 'dgt-audit-runner-'));
const path = join(dir, 'events.sqlite');
const job: AuditJob = { selection: normaliseSelection({ vehicles: ['V1'] }), thresholds: thresholdsSchema.parse({}), asOf: null, verify: true };

beforeAll(async () => {
  const store = openSqliteEventStore({ path });
  const lines = readFileSync(new URL('../../../tests/scenarios/02-parked-laden-roadside-25min/input.ndjson', import.meta.url), 'utf8').split('\n').filter((l) => l.trim() !== '');
  for (const line of lines) {
    const r = parseNdjsonLine(line);
    if (!r.ok) throw r.error;
    await store.append(streamFor(r.event), [r.event]);
  }
  await store.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('audits in a worker thread', () => {
  it('give the same bytes as on the calling thread, and what the audit trail records', async () => {
    const store = openSqliteEventStore({ path });
    try {
      const inline = await inlineAuditRunner(store).run(job);
      const worker = await workerAuditRunner({ kind: 'sqlite', path }).run(job);
      expect(Buffer.from(worker.reportJson).equals(Buffer.from(inline.reportJson))).toBe(true);
      expect(Buffer.from(worker.html).equals(Buffer.from(inline.html))).toBe(true);
      expect(worker.reportSha256).toBe(inline.reportSha256);
      expect(worker.verifyDifferences).toBe(inline.verifyDifferences);
      expect(worker.audited).toEqual(inline.audited);
      expect(JSON.parse(Buffer.from(worker.reportJson).toString()).counts.violations).toBe(1);
    } finally {
      await store.close();
    }
  });

  it('never create a store that is not there, and say which', async () => {
    const missing = join(dir, 'nope', 'events.sqlite');
    await expect(workerAuditRunner({ kind: 'sqlite', path: missing }).run(job)).rejects.toThrow(`the event store ${missing} does not exist`);
    expect(existsSync(missing)).toBe(false);
  });

  it('stop with the API: a running audit is answered 503, and no new one starts', async () => {
    const big = join(dir, 'big.sqlite');
    await writeLargeStore(big, 20, 2000);
    const runner = workerAuditRunner({ kind: 'sqlite', path: big });
    const running = runner.run({ ...job, selection: normaliseSelection({}) });
    await new Promise((resolve) => setTimeout(resolve, 200));
    await runner.close();
    await expect(running).rejects.toMatchObject({ code: 'UNAVAILABLE', status: 503 });
    await expect(runner.run(job)).rejects.toMatchObject({ code: 'UNAVAILABLE' });
  });
});
