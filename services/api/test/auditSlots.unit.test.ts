import { createMemoryReadModelStore } from '@dgt/readmodels';
import { openMemoryEventStore } from '@dgt/eventstore';
import { describe, expect, it } from 'vitest';
import type { AuditJob, AuditOutcome } from '../src/audits/auditJob.ts';
import type { AuditRunner } from '../src/audits/auditRunner.ts';
import { AuditSlots } from '../src/audits/auditSlots.ts';
import { buildApiApp } from '../src/app.ts';
import { keys, NOW, testConfig } from './apiTestKit.ts';

describe('AuditSlots', () => {
  it('starts up to maxRunning at once, queues up to maxQueued in order, and refuses beyond with 503 and Retry-After', async () => {
    const slots = new AuditSlots(1, 2);
    const first = await slots.acquire();
    const started: string[] = [];
    const second = slots.acquire().then((release) => (started.push('second'), release));
    const third = slots.acquire().then((release) => (started.push('third'), release));
    await expect(slots.acquire()).rejects.toMatchObject({ code: 'UNAVAILABLE', status: 503, options: { retryAfterSeconds: 10 } });
    expect([slots.running, slots.queued]).toEqual([1, 2]);
    first();
    first(); // a second release of the same turn frees nothing more
    (await second)();
    (await third)();
    expect(started).toEqual(['second', 'third']);
    expect([slots.running, slots.queued]).toEqual([0, 0]);
  });

  it('refuses waiting audits when the API closes', async () => {
    const slots = new AuditSlots(1, 1);
    await slots.acquire();
    const waiting = slots.acquire();
    slots.close();
    await expect(waiting).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    await expect(slots.acquire()).rejects.toMatchObject({ code: 'UNAVAILABLE' });
  });
});

/** A runner whose audits finish only when the test says so. */
function gatedRunner(): AuditRunner & { started: AuditJob[]; finishAll: () => void } {
  const gates: (() => void)[] = [];
  const started: AuditJob[] = [];
  const outcome: AuditOutcome = {
    reportJson: new TextEncoder().encode('{"format":"x","digest":{"sha256":"0","events":0,"firstPosition":null,"lastPosition":null},"matchedNothing":true,"message":"m","counts":{}}'),
    html: new TextEncoder().encode('<p>r</p>'),
    reportFile: new TextEncoder().encode('{}'),
    csv: new TextEncoder().encode(''),
    reportSha256: '0'.repeat(64),
    verifyDifferences: null,
    audited: { selection: { requested: { from: null, to: null, vehicles: [], carrier: null, waybill: null, zone: null, leadInHours: 24, leadOutHours: 24 }, resolved: { window: { from: null, to: null, fedFrom: null, fedTo: null }, vehicles: null, waybills: null }, vehiclesWithoutFixes: [] }, thresholds: {} as never, digest: { sha256: '0'.repeat(64), events: 0, firstPosition: null, lastPosition: null }, counts: { detectionsByType: {} } as never, asOf: null, verify: null },
  };
  return {
    started,
    run: (job) => new Promise((resolve) => {
      started.push(job);
      gates.push(() => resolve(outcome));
    }),
    close: async () => undefined,
    finishAll: () => gates.splice(0).forEach((open) => open()),
  };
}

describe('POST /v1/audits under load', () => {
  it('runs one at a time by configuration, queues the next, and answers 503 with Retry-After beyond the queue', async () => {
    const runner = gatedRunner();
    const store = openMemoryEventStore();
    const app = await buildApiApp({ config: testConfig({ audits: { running: 1, queued: 1 } }), store, readModels: createMemoryReadModelStore(), defaultMetrics: false, now: () => NOW, auditRunner: runner });
    try {
      const post = () => app.inject({ method: 'POST', url: '/v1/audits', headers: { 'x-api-key': keys.enforcement }, payload: {} });
      const a = post();
      const b = post();
      await new Promise((resolve) => setTimeout(resolve, 20));
      const refused = await post();
      expect(refused.statusCode).toBe(503);
      expect(refused.headers['retry-after']).toBe('10');
      expect(refused.json()).toMatchObject({ error: { code: 'UNAVAILABLE' } });
      expect(runner.started).toHaveLength(1);
      runner.finishAll();
      expect((await a).statusCode).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(runner.started).toHaveLength(2);
      runner.finishAll();
      const second = await b;
      expect(second.statusCode).toBe(200);
      expect(second.json<{ htmlUrl: string }>().htmlUrl).toMatch(/^\/v1\/audits\/[0-9a-f-]+\/report\.html$/);
    } finally {
      await app.close();
      await store.close();
    }
  });
});
