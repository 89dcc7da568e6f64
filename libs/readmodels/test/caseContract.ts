import { afterEach, describe, expect, it } from 'vitest';
import type { CaseListQuery, CaseReadModel } from '../src/cases/casePort.ts';
import type { CaseRow } from '../src/cases/caseRow.ts';
import { ReadModelError } from '../src/errors.ts';
import type { ReadModelStore, Scope } from '../src/port.ts';
import { batch, caseRowFixture, violationRow } from './fixtures.ts';

type Store = ReadModelStore & CaseReadModel;

export interface CaseContractOptions {
  /** Closes the store and opens the same data again (durable adapters). */
  readonly reopen?: (store: Store) => Promise<Store>;
}

const ALL: Scope = { carrierId: null };

async function refusal(p: Promise<unknown>): Promise<ReadModelError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ReadModelError);
  return err as ReadModelError;
}

/** Every page of a listing, following the cursors, with the page count. */
async function allPages(s: Store, query: Omit<CaseListQuery, 'cursor'>): Promise<{ ids: string[]; pages: number }> {
  const ids: string[] = [];
  let cursor: string | undefined;
  for (let pages = 1; pages < 1000; pages++) {
    const page = await s.cases({ ...query, ...(cursor === undefined ? {} : { cursor }) });
    ids.push(...page.items.map((c) => c.caseId));
    if (page.nextCursor === null) return { ids, pages };
    cursor = page.nextCursor;
  }
  throw new Error('paging does not end');
}

/** The behaviour every CaseReadModel adapter must have. `open` hands out a fresh, empty store. */
export function caseReadModelContract(name: string, open: () => Promise<Store>, options: CaseContractOptions = {}): void {
  describe(`CaseReadModel contract: ${name}`, () => {
    const opened: Store[] = [];
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((s) => s.close()));
    });
    async function fresh(): Promise<Store> {
      const s = await open();
      opened.push(s);
      return s;
    }
    const ids = async (s: Store, query: Partial<CaseListQuery> = {}) => (await s.cases({ scope: ALL, limit: 100, ...query })).items.map((c) => c.caseId);

    it('starts with no cases and no case checkpoint', async () => {
      const s = await fresh();
      expect(await s.caseCheckpoint()).toBeNull();
      expect(await s.cases({ scope: ALL, limit: 10 })).toEqual({ items: [], nextCursor: null });
      expect(await s.caseRow('C-1', ALL)).toBeUndefined();
    });

    it('stores whole rows with the checkpoint of the last event folded', async () => {
      const s = await fresh();
      const row = caseRowFixture('C-1', {
        status: 'disposed',
        assignment: { unit: 'Linhai brigade', officer: 'officer-7', at: '2026-03-01T09:00:00+08:00' },
        evidence: { reportDigest: 'sha256:ab12', frozenAt: '2026-03-01T10:00:00+08:00' },
        checks: 2,
        notice: { responseDeadline: '2026-03-08T10:00:00+08:00', at: '2026-03-01T11:00:00+08:00' },
        response: { response: 'acknowledge', at: '2026-03-02T09:00:00+08:00' },
        disposition: { disposition: 'penalised', at: '2026-03-03T09:00:00+08:00' },
        disposals: 1,
        pointsEntry: { entryId: 'C-1:1', points: 3 },
        revision: 6,
        updatedAt: '2026-03-03T09:00:00+08:00',
      });
      await s.commitCases({ checkpoint: '42', cases: [row] });
      expect(await s.caseCheckpoint()).toBe('42');
      expect(await s.caseRow('C-1', ALL)).toEqual(row);
      expect((await s.cases({ scope: ALL, limit: 10 })).items).toEqual([row]);
    });

    it('replaces a case on upsert by caseId: the list shows its latest state only', async () => {
      const s = await fresh();
      await s.commitCases({ checkpoint: '1', cases: [caseRowFixture('C-1'), caseRowFixture('C-2')] });
      const assigned = caseRowFixture('C-1', { status: 'assigned', assignment: { unit: 'U1', officer: 'O1', at: '2026-03-01T09:00:00+08:00' }, revision: 1, updatedAt: '2026-03-01T09:00:00+08:00' });
      await s.commitCases({ checkpoint: '2', cases: [assigned] });
      expect(await s.caseCheckpoint()).toBe('2');
      expect(await s.caseRow('C-1', ALL)).toEqual(assigned);
      expect(await ids(s)).toEqual(['C-2', 'C-1']);
      expect(await ids(s, { status: 'opened' })).toEqual(['C-2']);
      expect(await ids(s, { status: 'assigned' })).toEqual(['C-1']);
    });

    it('an empty commit only advances the checkpoint', async () => {
      const s = await fresh();
      await s.commitCases({ checkpoint: '1', cases: [caseRowFixture('C-1')] });
      await s.commitCases({ checkpoint: '9', cases: [] });
      expect(await s.caseCheckpoint()).toBe('9');
      expect(await ids(s)).toEqual(['C-1']);
    });

    it('filters by status, kind, carrier, vehicle and openedAt window (from inclusive, to exclusive, compared as instants)', async () => {
      const s = await fresh();
      await s.commitCases({
        checkpoint: '1',
        cases: [
          caseRowFixture('C-1', { openedAt: '2026-03-01T08:00:00+08:00', carrierId: 'C-A', vehicleId: 'V-1' }),
          caseRowFixture('C-2', { openedAt: '2026-03-01T09:00:00+08:00', carrierId: 'C-B', vehicleId: 'V-2', kind: 'restricted-entry', status: 'assigned' }),
          // 02:00Z = 10:00 Beijing: newest, though its text sorts first.
          caseRowFixture('C-3', { openedAt: '2026-03-01T02:00:00Z', carrierId: 'C-A', vehicleId: 'V-3', status: 'disposed' }),
        ],
      });
      expect(await ids(s)).toEqual(['C-3', 'C-2', 'C-1']);
      expect(await ids(s, { status: 'assigned' })).toEqual(['C-2']);
      expect(await ids(s, { kind: 'illegal-parking' })).toEqual(['C-3', 'C-1']);
      expect(await ids(s, { carrierId: 'C-A' })).toEqual(['C-3', 'C-1']);
      expect(await ids(s, { vehicleId: 'V-2' })).toEqual(['C-2']);
      expect(await ids(s, { from: '2026-03-01T01:00:00Z' })).toEqual(['C-3', 'C-2']);
      expect(await ids(s, { to: '2026-03-01T10:00:00+08:00' })).toEqual(['C-2', 'C-1']);
      expect(await ids(s, { from: '2026-03-01T09:00:00+08:00', to: '2026-03-01T02:00:00Z' })).toEqual(['C-2']);
      expect(await ids(s, { carrierId: 'C-A', status: 'opened', kind: 'illegal-parking', vehicleId: 'V-1' })).toEqual(['C-1']);
      expect(await ids(s, { kind: 'overspeed' })).toEqual([]);
    });

    it('filters by the county its violation took place in; a row without a county (an older case) matches no county', async () => {
      const s = await fresh();
      const jiaojiang = { code: '331002', name: '椒江区', nameEn: 'Jiaojiang' };
      const { county: _none, place: _nowhere, ...older } = caseRowFixture('C-0', { openedAt: '2026-03-01T07:00:00+08:00' });
      await s.commitCases({
        checkpoint: '1',
        cases: [
          older,
          caseRowFixture('C-1', { place: { lon: 121.421, lat: 28.656 }, county: jiaojiang }),
          caseRowFixture('C-2', { openedAt: '2026-03-01T09:00:00+08:00', place: { lon: 121.53, lat: 28.4 }, county: { code: '331081', name: '温岭市', nameEn: 'Wenling' } }),
          caseRowFixture('C-3', { openedAt: '2026-03-01T10:00:00+08:00', place: { lon: 121.5, lat: 28.5 }, county: null }),
        ],
      });
      expect(await ids(s, { county: '331002' })).toEqual(['C-1']);
      expect(await ids(s, { county: '331081', kind: 'illegal-parking' })).toEqual(['C-2']);
      expect(await ids(s, { county: '331083' })).toEqual([]);
      expect(await ids(s)).toEqual(['C-3', 'C-2', 'C-1', 'C-0']);
      expect((await s.caseRow('C-1', ALL))?.county).toEqual(jiaojiang);
      expect((await s.caseRow('C-0', ALL))?.county).toBeUndefined();
    });

    it("scopes to the carrier: a carrier key lists and reads only its own cases, and a filter naming another carrier matches nothing", async () => {
      const s = await fresh();
      await s.commitCases({
        checkpoint: '1',
        cases: [caseRowFixture('C-1', { carrierId: 'C-A' }), caseRowFixture('C-2', { carrierId: 'C-B', openedAt: '2026-03-01T09:00:00+08:00' }), caseRowFixture('C-3', { carrierId: 'C-A', openedAt: '2026-03-01T10:00:00+08:00' })],
      });
      const A: Scope = { carrierId: 'C-A' };
      const B: Scope = { carrierId: 'C-B' };
      expect(await ids(s, { scope: A })).toEqual(['C-3', 'C-1']);
      expect(await ids(s, { scope: B })).toEqual(['C-2']);
      expect(await ids(s, { scope: A, carrierId: 'C-A' })).toEqual(['C-3', 'C-1']);
      expect(await ids(s, { scope: A, carrierId: 'C-B' })).toEqual([]);
      expect(await ids(s, { scope: { carrierId: 'C-Z' } })).toEqual([]);
      expect(await s.caseRow('C-2', A)).toBeUndefined();
      expect((await s.caseRow('C-2', B))?.carrierId).toBe('C-B');
      expect((await s.caseRow('C-2', ALL))?.caseId).toBe('C-2');
    });

    it('lists newest opened first, cases opened at the same instant by caseId descending', async () => {
      const s = await fresh();
      const same = '2026-03-01T08:00:00+08:00';
      await s.commitCases({
        checkpoint: '1',
        cases: [caseRowFixture('C-b', { openedAt: same }), caseRowFixture('C-a', { openedAt: '2026-03-01T00:00:00Z' }), caseRowFixture('C-c', { openedAt: same }), caseRowFixture('C-old', { openedAt: '2026-02-01T08:00:00+08:00' })],
      });
      expect(await ids(s)).toEqual(['C-c', 'C-b', 'C-a', 'C-old']);
    });

    it('pages through every case once, with no repeats or gaps, across ties of openedAt and with a filter', async () => {
      const s = await fresh();
      // 23 cases over 7 instants (ties of up to 4), two carriers.
      const rows: CaseRow[] = Array.from({ length: 23 }, (_, i) =>
        caseRowFixture(`C-${String(i).padStart(2, '0')}`, { openedAt: `2026-03-0${1 + (i % 7)}T08:00:00+08:00`, carrierId: i % 3 === 0 ? 'C-B' : 'C-A' }),
      );
      await s.commitCases({ checkpoint: '1', cases: rows });
      const whole = await ids(s);
      expect(whole).toHaveLength(23);
      for (const limit of [1, 4, 7, 23]) {
        const paged = await allPages(s, { scope: ALL, limit });
        expect(paged.ids).toEqual(whole);
        expect(paged.pages).toBe(Math.max(1, Math.ceil(23 / limit)));
      }
      const ofA = await allPages(s, { scope: { carrierId: 'C-A' }, limit: 3 });
      expect(ofA.ids).toEqual(whole.filter((id) => Number(id.slice(2)) % 3 !== 0));
      const last = await s.cases({ scope: ALL, limit: 23 });
      expect(last.nextCursor).toBeNull();
    });

    it('keeps paging steady while cases are committed between pages: a case updated or opened later is not repeated', async () => {
      const s = await fresh();
      const rows = Array.from({ length: 6 }, (_, i) => caseRowFixture(`C-${i}`, { openedAt: `2026-03-0${i + 1}T08:00:00+08:00` }));
      await s.commitCases({ checkpoint: '1', cases: rows });
      const first = await s.cases({ scope: ALL, limit: 3 });
      expect(first.items.map((c) => c.caseId)).toEqual(['C-5', 'C-4', 'C-3']);
      await s.commitCases({ checkpoint: '2', cases: [{ ...rows[5]!, status: 'assigned', revision: 1 }, caseRowFixture('C-new', { openedAt: '2026-03-09T08:00:00+08:00' })] });
      const second = await s.cases({ scope: ALL, limit: 3, cursor: first.nextCursor! });
      expect(second.items.map((c) => c.caseId)).toEqual(['C-2', 'C-1', 'C-0']);
      expect(second.nextCursor).toBeNull();
    });

    it('refuses a cursor it did not give out, a cursor of another listing, a bad limit and an unreadable time bound', async () => {
      const s = await fresh();
      await s.commit(batch('1', { violations: [violationRow('X-1'), violationRow('X-2')] }));
      await s.commitCases({ checkpoint: '1', cases: [caseRowFixture('C-1'), caseRowFixture('C-2')] });
      expect((await refusal(s.cases({ scope: ALL, limit: 10, cursor: 'not-a-cursor' }))).code).toBe('INVALID_CURSOR');
      const violationCursor = (await s.violations({ scope: ALL, limit: 1 })).nextCursor!;
      expect((await refusal(s.cases({ scope: ALL, limit: 10, cursor: violationCursor }))).code).toBe('INVALID_CURSOR');
      const caseCursor = (await s.cases({ scope: ALL, limit: 1 })).nextCursor!;
      expect((await refusal(s.violations({ scope: ALL, limit: 10, cursor: caseCursor }))).code).toBe('INVALID_CURSOR');
      expect((await refusal(s.cases({ scope: ALL, limit: 0 }))).code).toBe('INVALID_ARGUMENT');
      const badFrom = await refusal(s.cases({ scope: ALL, limit: 10, from: 'yesterday' }));
      expect(badFrom.code).toBe('INVALID_ARGUMENT');
      expect(badFrom.message).toMatch(/^from must be an ISO-8601 timestamp/);
    });

    it('refuses a commit with a bad row whole, naming the case and the field', async () => {
      const s = await fresh();
      await s.commitCases({ checkpoint: '1', cases: [caseRowFixture('C-0')] });
      const bad = { ...caseRowFixture('C-2'), status: 'closed' } as unknown as CaseRow;
      const err = await refusal(s.commitCases({ checkpoint: '2', cases: [caseRowFixture('C-1'), bad] }));
      expect(err.code).toBe('INVALID_ARGUMENT');
      expect(err.message).toMatch(/^case C-2: status: /);
      const unreadable = await refusal(s.commitCases({ checkpoint: '2', cases: [caseRowFixture('C-3', { openedAt: 'soon' })] }));
      expect(unreadable.message).toMatch(/^case C-3: openedAt: /);
      const noId = await refusal(s.commitCases({ checkpoint: '2', cases: [{ ...caseRowFixture('x'), caseId: undefined } as unknown as CaseRow] }));
      expect(noId.message).toMatch(/^cases\[0\]: caseId: /);
      expect((await refusal(s.commitCases({ checkpoint: '', cases: [] }))).message).toMatch(/checkpoint/);
      expect(await s.caseCheckpoint()).toBe('1');
      expect(await ids(s)).toEqual(['C-0']);
    });

    it("does not keep the caller's objects: changing a committed row afterwards changes nothing stored", async () => {
      const s = await fresh();
      const row = caseRowFixture('C-1');
      await s.commitCases({ checkpoint: '1', cases: [row] });
      (row.violationIds as string[]).push('X-later');
      (row as { status: string }).status = 'disposed';
      expect(await s.caseRow('C-1', ALL)).toEqual(caseRowFixture('C-1'));
    });

    it("keeps its checkpoint apart from the projector's: each commit moves only its own", async () => {
      const s = await fresh();
      await s.commit(batch('100'));
      await s.commitCases({ checkpoint: '7', cases: [caseRowFixture('C-1')] });
      expect(await s.checkpoint()).toBe('100');
      expect(await s.caseCheckpoint()).toBe('7');
      await s.commit(batch('101'));
      expect(await s.caseCheckpoint()).toBe('7');
      expect(await ids(s)).toEqual(['C-1']);
    });

    it('changes the generation on a case commit (so cached responses are refreshed)', async () => {
      const s = await fresh();
      const before = await s.generation();
      await s.commitCases({ checkpoint: '1', cases: [caseRowFixture('C-1')] });
      expect(await s.generation()).not.toBe(before);
    });

    it('reset drops every case and the case checkpoint', async () => {
      const s = await fresh();
      await s.commitCases({ checkpoint: '5', cases: [caseRowFixture('C-1'), caseRowFixture('C-2')] });
      await s.reset();
      expect(await s.caseCheckpoint()).toBeNull();
      expect(await s.cases({ scope: ALL, limit: 10 })).toEqual({ items: [], nextCursor: null });
      expect(await s.caseRow('C-1', ALL)).toBeUndefined();
      await s.commitCases({ checkpoint: '1', cases: [caseRowFixture('C-3')] });
      expect(await ids(s)).toEqual(['C-3']);
    });

    const reopen = options.reopen;
    if (reopen !== undefined) {
      it('keeps cases and the case checkpoint across reopening', async () => {
        const s = await open();
        const rows = [caseRowFixture('C-1'), caseRowFixture('C-2', { carrierId: 'C-B', openedAt: '2026-03-02T08:00:00+08:00' })];
        await s.commitCases({ checkpoint: '12', cases: rows });
        const again = await reopen(s);
        opened.push(again);
        expect(await again.caseCheckpoint()).toBe('12');
        expect((await again.cases({ scope: ALL, limit: 10 })).items).toEqual([rows[1], rows[0]]);
        expect(await again.caseRow('C-2', { carrierId: 'C-A' })).toBeUndefined();
      });
    }
  });
}
