import { type Actor, defaultCasesConfig } from '@dgt/cases';
import { type EventStore, openMemoryEventStore } from '@dgt/eventstore';
import { AppError } from '@dgt/http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CaseIndex } from '../src/cases/caseIndex.ts';
import { CaseRepository } from '../src/cases/caseRepository.ts';
import { LedgerRepository } from '../src/cases/ledgerRepository.ts';

const bureau: Actor = { principal: 'bureau-1', role: 'bureau' };
const now = '2026-03-05T10:00:00.000Z';
const open = { type: 'open' as const, caseId: 'C-1', carrierId: 'C1', vehicleId: 'V1', kind: 'illegal-parking', violationIds: ['X1'], window: { from: '2026-03-05T08:00:00Z', to: '2026-03-05T09:00:00Z' }, actor: bureau, now };
const assign = (officer: string) => ({ type: 'assign' as const, unit: 'U', officer, actor: bureau, now });

/** A store where another writer appends `competing` to the case just before each of our appends (up to `times`). */
function racedStore(inner: EventStore, times: number): EventStore {
  let raced = 0;
  return {
    readStream: (stream, options) => inner.readStream(stream, options),
    readAll: (options) => inner.readAll(options),
    headPosition: () => inner.headPosition(),
    subscribeAll: (options) => inner.subscribeAll(options),
    appendMany: (batches) => inner.appendMany(batches),
    close: () => inner.close(),
    append: async (stream, events, options) => {
      if (stream === 'case-C-1' && raced < times && typeof options?.expectedRevision === 'number') {
        raced++;
        // The other writer decided on the same revision: same derived id, other content.
        const revision = options.expectedRevision + 1;
        await inner.append(stream, [{ eventId: `case-C-1/${revision}`, type: 'CaseAssigned', occurredAt: now, data: { caseId: 'C-1', unit: 'Other', officer: `rival ${raced}`, by: bureau } }]);
      }
      return inner.append(stream, events, options);
    },
  };
}

let inner: EventStore;
beforeEach(() => {
  inner = openMemoryEventStore();
});
afterEach(async () => inner.close());

describe('CaseRepository', () => {
  it('appends a decision with ids derived from the revisions they take', async () => {
    const cases = new CaseRepository(inner, new LedgerRepository(inner), { config: defaultCasesConfig });
    expect(await cases.decide('C-1', open)).toMatchObject({ ok: true, appended: ['case-C-1/0'] });
    expect(await cases.decide('C-1', assign('Wang'))).toMatchObject({ ok: true, appended: ['case-C-1/1'] });
    const loaded = await cases.load('C-1');
    expect(loaded.revision).toBe(1);
    expect(loaded.state?.status).toBe('assigned');
  });

  it('re-reads and decides again once when another writer got to the revision first', async () => {
    await new CaseRepository(inner, new LedgerRepository(inner), { config: defaultCasesConfig }).decide('C-1', open);
    const cases = new CaseRepository(racedStore(inner, 1), new LedgerRepository(inner), { config: defaultCasesConfig });
    const outcome = await cases.decide('C-1', assign('Wang'));
    expect(outcome).toMatchObject({ ok: true, appended: ['case-C-1/2'] });
    const officers = (await cases.load('C-1')).events.map((e) => (e.event.data as { officer?: string }).officer);
    expect(officers).toEqual([undefined, 'rival 1', 'Wang']);
  });

  it('answers 409 CONFLICT when the case changes again under the second decision', async () => {
    await new CaseRepository(inner, new LedgerRepository(inner), { config: defaultCasesConfig }).decide('C-1', open);
    const cases = new CaseRepository(racedStore(inner, 2), new LedgerRepository(inner), { config: defaultCasesConfig });
    const failure = await cases.decide('C-1', assign('Wang')).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(AppError);
    expect(failure).toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/^concurrent-change: /) });
    expect((await cases.load('C-1')).events).toHaveLength(3);
  });

  it('refuses a second open of the same id (case-exists) and records nothing', async () => {
    const cases = new CaseRepository(inner, new LedgerRepository(inner), { config: defaultCasesConfig });
    await cases.decide('C-1', open);
    expect(await cases.decide('C-1', open)).toMatchObject({ ok: false, refusal: { code: 'case-exists' } });
    expect((await cases.load('C-1')).events).toHaveLength(1);
  });
});

describe('CaseIndex', () => {
  it('follows new case events live and tells a waiting command once its revision is in', async () => {
    const index = new CaseIndex(inner, (e) => {
      throw e;
    });
    await index.ready;
    const cases = new CaseRepository(inner, new LedgerRepository(inner), { config: defaultCasesConfig });
    await cases.decide('C-1', open);
    await cases.decide('C-1', assign('Wang'));
    await index.seen('C-1', 1);
    expect(await index.get('C-1')).toMatchObject({ revision: 1, status: 'assigned' });
    expect((await index.list({ scopeCarrierId: 'C2', limit: 10 })).items).toEqual([]);
    await index.close();
  });
});
