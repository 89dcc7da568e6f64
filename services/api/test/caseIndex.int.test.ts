import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Actor, defaultCasesConfig } from '@dgt/cases';
import { type EventStore, openMemoryEventStore, type ReadAllOptions } from '@dgt/eventstore';
import { openSqliteReadModelStore } from '@dgt/readmodels';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CaseIndex } from '../src/cases/caseIndex.ts';
import { CaseRepository } from '../src/cases/caseRepository.ts';
import { caseView, caseViewOf } from '../src/cases/caseViews.ts';
import { LedgerRepository } from '../src/cases/ledgerRepository.ts';

const dir = mkdtempSync(join(tmpdir(), 'dgt-api-case-index-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const bureau: Actor = { principal: 'bureau-1', role: 'bureau' };
const at = (h: number) => `2026-03-05T${String(h).padStart(2, '0')}:00:00.000Z`;
const openCmd = (caseId: string, h: number, carrierId = 'C1') => ({
  type: 'open' as const,
  caseId,
  carrierId,
  vehicleId: 'V1',
  kind: 'illegal-parking',
  violationIds: [`X-${caseId}`],
  window: { from: '2026-03-05T00:00:00Z', to: '2026-03-05T01:00:00Z' },
  actor: bureau,
  now: at(h),
});
const assign = (h: number) => ({ type: 'assign' as const, unit: 'U', officer: 'Wang', actor: bureau, now: at(h) });

/** The store, counting the events the index reads and remembering where it asked to start. */
function countingStore(inner: EventStore): { store: EventStore; read: () => number; startedAfter: () => string | undefined } {
  let read = 0;
  let startedAfter: string | undefined;
  const store: EventStore = {
    ...inner,
    readStream: (stream, options) => inner.readStream(stream, options),
    append: (stream, events, options) => inner.append(stream, events, options),
    appendMany: (batches) => inner.appendMany(batches),
    subscribeAll: (options) => inner.subscribeAll(options),
    close: () => inner.close(),
    readAll: (options?: ReadAllOptions) => {
      startedAfter = options?.fromPosition;
      const source = inner.readAll(options);
      return {
        async *[Symbol.asyncIterator]() {
          for await (const r of source) {
            read++;
            yield r;
          }
        },
      };
    },
  };
  return { store, read: () => read, startedAfter: () => startedAfter };
}

let events: EventStore;
beforeEach(() => {
  events = openMemoryEventStore();
});
afterEach(async () => events.close());

const fail = (e: unknown) => {
  throw e;
};

describe('CaseIndex over a durable case read model', () => {
  it('resumes after a restart from its checkpoint: only the events recorded since are read, and a case changed since folds onto its stored row', async () => {
    const path = join(dir, 'resume.sqlite');
    const cases = new CaseRepository(events, new LedgerRepository(events), { config: defaultCasesConfig });
    await cases.decide('C-1', openCmd('C-1', 1));
    await cases.decide('C-2', openCmd('C-2', 2, 'C2'));
    await cases.decide('C-2', assign(3));

    const first = await openSqliteReadModelStore({ path });
    const index1 = new CaseIndex(events, fail, { readModel: first });
    await index1.ready;
    expect((await index1.list({ scopeCarrierId: null, limit: 10 })).items.map((c) => [c.caseId, c.status])).toEqual([
      ['C-2', 'assigned'],
      ['C-1', 'opened'],
    ]);
    await index1.close();
    const checkpoint = await first.caseCheckpoint();
    expect(checkpoint).not.toBeNull();
    await first.close();

    // Recorded while the API was down: a step of an old case and a new case.
    await cases.decide('C-1', assign(4));
    await cases.decide('C-3', openCmd('C-3', 5));

    const second = await openSqliteReadModelStore({ path });
    const counting = countingStore(events);
    const index2 = new CaseIndex(counting.store, fail, { readModel: second });
    try {
      await index2.ready;
      expect(counting.startedAfter()).toBe(checkpoint);
      expect(counting.read()).toBe(2);
      const listed = (await index2.list({ scopeCarrierId: null, limit: 10 })).items;
      expect(listed.map((c) => [c.caseId, c.status, c.revision])).toEqual([
        ['C-3', 'opened', 0],
        ['C-2', 'assigned', 1],
        ['C-1', 'assigned', 1],
      ]);
      // The same view the case's own route answers, folded from its whole stream.
      const loaded = await cases.load('C-1');
      const last = loaded.events.at(-1)!;
      expect(listed[2]).toEqual(caseViewOf({ state: loaded.state!, revision: last.revision, updatedAt: last.event.occurredAt }, null));
      expect(caseView.parse(listed[2])).toEqual(listed[2]);

      // Live: a command waits until its revision is in the read model.
      await cases.decide('C-3', assign(6));
      await index2.seen('C-3', 1);
      expect((await second.caseRow('C-3', { carrierId: null }))?.status).toBe('assigned');
      expect(await second.caseCheckpoint()).not.toBe(checkpoint);
    } finally {
      await index2.close();
      await second.close();
    }
  });

  it('scopes the list to a carrier and refuses a cursor of another listing as INVALID_CURSOR', async () => {
    const cases = new CaseRepository(events, new LedgerRepository(events), { config: defaultCasesConfig });
    await cases.decide('C-1', openCmd('C-1', 1));
    await cases.decide('C-2', openCmd('C-2', 2, 'C2'));
    const index = new CaseIndex(events, fail);
    try {
      await index.ready;
      expect((await index.list({ scopeCarrierId: 'C2', limit: 10 })).items.map((c) => c.caseId)).toEqual(['C-2']);
      expect((await index.list({ scopeCarrierId: 'C2', carrierId: 'C1', limit: 10 })).items).toEqual([]);
      await expect(index.list({ scopeCarrierId: null, limit: 10, cursor: 'bm90LWEtY3Vyc29y' })).rejects.toMatchObject({ code: 'INVALID_CURSOR' });
    } finally {
      await index.close();
    }
  });
});
