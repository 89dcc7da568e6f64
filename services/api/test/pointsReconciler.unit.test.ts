import { openMemoryEventStore } from '@dgt/eventstore';
import { createMemoryReadModelStore } from '@dgt/readmodels';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApiApp } from '../src/app.ts';
import { keys, startTestApi, testConfig, type TestApi } from './apiTestKit.ts';
import { type Clock, penalisedCase, requests, testClock } from './support/caseFlow.ts';

/*
 * A disposal is two appends (the case's CaseDisposed, then the ledger's PointsRecorded). If the
 * process dies between them, the next start records the missing entry from the case event, once.
 */

let api: TestApi;
let clock: Clock;
const r = requests(() => api.app);
beforeEach(async () => {
  clock = testClock();
  api = await startTestApi({ app: { now: () => clock.now() } });
});
afterEach(async () => api.close());

async function ledgerEvents(store: TestApi['store'], carrierId: string) {
  const out: { eventId: string; type: string; data: Record<string, unknown> }[] = [];
  for await (const e of store.readStream(`points-${carrierId}`)) out.push(e.event as never);
  return out;
}

describe('points of a disposal whose ledger append was lost', () => {
  it('are recorded again from the case at the next start, once, with the same entry', async () => {
    await penalisedCase(r, clock);
    const recorded = await ledgerEvents(api.store, 'C1');
    expect(recorded.map((e) => e.type)).toEqual(['PointsRecorded']);

    // The same record as if the process had died after the case's append: a store with the case
    // streams and every other stream, but not the ledger's.
    const crashed = openMemoryEventStore();
    for await (const e of api.store.readAll()) if (!e.streamId.startsWith('points-')) await crashed.append(e.streamId, [e.event]);
    expect(await ledgerEvents(crashed, 'C1')).toEqual([]);

    const restarted = await buildApiApp({ config: testConfig(), store: crashed, readModels: createMemoryReadModelStore(), defaultMetrics: false, now: () => clock.now() });
    try {
      await expect.poll(async () => (await ledgerEvents(crashed, 'C1')).length, { timeout: 5_000 }).toBe(1);
      const [repaired] = await ledgerEvents(crashed, 'C1');
      // The same derived id as the live path's (`<CaseDisposed id>/points`), so a late second try is a no-op.
      expect(repaired!.eventId).toBe(recorded[0]!.eventId);
      expect(repaired!.eventId).toMatch(/^case-.+\/\d+\/points$/);
      expect(repaired!.data).toEqual(recorded[0]!.data);
      const ledger = (await restarted.inject({ method: 'GET', url: '/v1/carriers/C1/points', headers: { 'x-api-key': keys.bureau } })).json<{ outstanding: number }>();
      expect(ledger.outstanding).toBe(recorded[0]!.data['points']);
    } finally {
      await restarted.close();
    }
    // A second start finds the entry there and records nothing more.
    const again = await buildApiApp({ config: testConfig(), store: crashed, readModels: createMemoryReadModelStore(), defaultMetrics: false, now: () => clock.now() });
    await new Promise((resolve) => setTimeout(resolve, 200));
    await again.close();
    expect(await ledgerEvents(crashed, 'C1')).toHaveLength(1);
  });
});
