import { randomUUID } from 'node:crypto';
import { canonicalJson } from '@dgt/events';
import { afterEach, describe, expect, it } from 'vitest';
import { steppingClock, type Clock } from '../src/clock.ts';
import { EventStoreError, WrongExpectedRevisionError } from '../src/errors.ts';
import type { EventEnvelope, EventStore, Position, ReadAllOptions, RecordedEvent, SubscribeAllOptions } from '../src/port.ts';
import { readForVehicle, readForWaybill, readTimeWindow } from '../src/replayReads.ts';
import { consignmentStream, detectionsStream, vehicleStream, zonesStream } from '../src/streams.ts';

export interface ContractCapabilities {
  /**
   * `store`: an eventId is unique across the whole store (memory, SQLite).
   * `stream`: deduplication is per stream, the server's (EventStoreDB).
   */
  eventIdScope: 'store' | 'stream';
  /** The factory hands out a store that other tests (and runs) also write to. */
  shared: boolean;
  /** `appendMany` commits all streams or none (memory, SQLite); EventStoreDB goes stream by stream. */
  atomicMultiStream?: boolean;
  /**
   * Appends list known ids offered with different canonical JSON in `conflicts`, and
   * `recordedJson` looks events up by id (memory, SQLite; EventStoreDB has no store-wide id index).
   */
  conflictsAndLookup?: boolean;
}

export type StoreFactory = (clock: Clock) => Promise<EventStore> | EventStore;

const CLOCK_START = '2026-03-01T00:00:00.000Z';

export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of iterable) out.push(x);
  return out;
}

/** Takes the next `n` items from an open iterator, failing instead of hanging. */
async function take<T>(it: AsyncIterator<T>, n: number, timeoutMs = 10_000): Promise<T[]> {
  const out: T[] = [];
  const deadline = Date.now() + timeoutMs;
  while (out.length < n) {
    const left = deadline - Date.now();
    const r = await Promise.race([
      it.next(),
      new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), Math.max(left, 0)).unref()),
    ]);
    if (r === 'timeout') throw new Error(`timed out after ${out.length} of ${n} items`);
    if (r.done) throw new Error(`iteration ended after ${out.length} of ${n} items`);
    out.push(r.value);
  }
  return out;
}

/** Resolves to 'nothing' when `pending` has not settled within `ms`. */
async function nothingWithin<T>(pending: Promise<T>, ms: number): Promise<'nothing' | T> {
  return Promise.race([pending, new Promise<'nothing'>((resolve) => setTimeout(() => resolve('nothing'), ms).unref())]);
}

/**
 * The behaviour every adapter of the event store port must have. Each test opens a store
 * from `factory` and works in its own namespace (`ns`) so a shared server works too.
 */
export function runEventStoreContract(name: string, factory: StoreFactory, caps: ContractCapabilities = { eventIdScope: 'store', shared: false, atomicMultiStream: true }): void {
  describe(`EventStore contract: ${name}`, () => {
    const open: EventStore[] = [];
    afterEach(async () => {
      await Promise.all(open.splice(0).map((s) => s.close()));
    });

    async function setup() {
      const clock = steppingClock(CLOCK_START, 1000);
      const store = await factory(clock);
      open.push(store);
      const ns = randomUUID().slice(0, 8);
      let since: Position | undefined;
      if (caps.shared) {
        since = (await store.append(`marker-${randomUUID()}`, [envelope(`marker-${ns}`, 'Marker', '2026-01-01T00:00:00Z')])).position ?? undefined;
      }
      let seq = 0;
      const t = {
        store,
        ns,
        since,
        /** Unique ids, so runs on a shared server never collide. */
        id: (label: string) => `${ns}-${label}-${++seq}`,
        vehicle: (v: string) => vehicleStream(`${ns}${v}`),
        /** Only this test's events, read from where the test started. */
        readAll: async (options: ReadAllOptions = {}) =>
          (await collect(store.readAll({ ...(since !== undefined && { fromPosition: since }), ...options }))).filter((e) => e.streamId.includes(ns)),
        subscribe: (options: SubscribeAllOptions = {}) => store.subscribeAll({ ...(since !== undefined && { fromCheckpoint: since }), ...options }),
        mine: (events: RecordedEvent[]) => events.filter((e) => e.streamId.includes(ns)),
      };
      return t;
    }

    function envelope(eventId: string, type: string, occurredAt: string, data: Record<string, unknown> = {}, extra: Partial<EventEnvelope> = {}): EventEnvelope {
      return { eventId, type, occurredAt, data, ...extra };
    }

    function fix(t: { id: (l: string) => string; ns: string }, vehicle: string, occurredAt = '2026-03-01T08:00:00+08:00', speedKmh = 30): EventEnvelope {
      return envelope(t.id('fix'), 'VehiclePositionReported', occurredAt, { vehicleId: `${t.ns}${vehicle}`, lon: 121.42, lat: 28.65, speedKmh });
    }

    const ids = (events: RecordedEvent[]) => events.map((e) => e.event.eventId);

    describe('append and read back', () => {
      it('returns byte-stable envelopes with stream, revision, position and recordedAt', async () => {
        const t = await setup();
        const stream = t.vehicle('V1');
        const events = [
          fix(t, 'V1'),
          // Keys deliberately out of canonical order, and a type the catalog does not know.
          { meta: { z: 1, a: { y: 2, b: 3 } }, data: { note: '复核', vehicleId: `${t.ns}V1` }, occurredAt: '2026-03-01T08:00:01+08:00', type: 'AuditNoteRecorded', eventId: t.id('audit'), schemaVersion: 2 },
        ];
        const result = await t.store.append(stream, events);
        expect(result).toMatchObject({ nextExpectedRevision: 1, written: 2, skipped: 0 });
        expect(typeof result.position).toBe('string');

        const read = await collect(t.store.readStream(stream));
        expect(read.map((e) => JSON.stringify(e.event))).toEqual(events.map((e) => canonicalJson(e)));
        expect(read.map((e) => canonicalJson(e.event))).toEqual(events.map((e) => canonicalJson(e)));
        expect(read.map((e) => [e.streamId, e.revision])).toEqual([
          [stream, 0],
          [stream, 1],
        ]);
        expect(read[1]?.position).toBe(result.position);
        expect(read[0]?.position).not.toBe(read[1]?.position);
      });

      it('stamps recordedAt from the injected clock, once per append', async () => {
        const t = await setup();
        const stream = t.vehicle('V1');
        const first = await t.store.append(stream, [fix(t, 'V1'), fix(t, 'V1')]);
        await t.store.append(stream, [fix(t, 'V1')]);
        const read = await collect(t.store.readStream(stream));
        const stamps = read.map((e) => e.recordedAt);
        expect(stamps[0]).toBe(stamps[1]);
        expect(Date.parse(stamps[2] as string) - Date.parse(stamps[0] as string)).toBe(1000);
        expect(stamps[0]).toMatch(/^2026-03-01T00:00:\d\d\.000Z$/);
        expect(first.written).toBe(2);
      });

      it('rejects a malformed envelope with INVALID_EVENT and writes nothing of the batch', async () => {
        const t = await setup();
        const stream = t.vehicle('V1');
        const bad = [fix(t, 'V1'), envelope(t.id('bad'), 'VehiclePositionReported', '2026-03-01 08:00:00', {})];
        const err = await t.store.append(stream, bad).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(EventStoreError);
        expect((err as EventStoreError).code).toBe('INVALID_EVENT');
        expect((err as Error).message).toContain('event #1');
        expect(await collect(t.store.readStream(stream))).toEqual([]);
        const noData = await t.store.append(stream, [{ eventId: t.id('x'), type: 'T', occurredAt: '2026-03-01T00:00:00Z' } as unknown as EventEnvelope]).catch((e: unknown) => e);
        expect((noData as EventStoreError).code).toBe('INVALID_EVENT');
      });
    });

    describe('optimistic concurrency', () => {
      it("'no-stream' succeeds on a new stream and conflicts once it has events", async () => {
        const t = await setup();
        const stream = t.vehicle('V1');
        expect(await t.store.append(stream, [fix(t, 'V1')], { expectedRevision: 'no-stream' })).toMatchObject({ written: 1, nextExpectedRevision: 0 });
        const err = await t.store.append(stream, [fix(t, 'V1')], { expectedRevision: 'no-stream' }).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(WrongExpectedRevisionError);
        expect(err).toMatchObject({ code: 'WRONG_EXPECTED_REVISION', streamId: stream, expected: 'no-stream', actual: 0 });
      });

      it('an exact revision succeeds when current and conflicts when stale', async () => {
        const t = await setup();
        const stream = t.vehicle('V1');
        const r1 = await t.store.append(stream, [fix(t, 'V1'), fix(t, 'V1')]);
        expect(r1.nextExpectedRevision).toBe(1);
        const r2 = await t.store.append(stream, [fix(t, 'V1')], { expectedRevision: r1.nextExpectedRevision });
        expect(r2.nextExpectedRevision).toBe(2);
        const err = await t.store.append(stream, [fix(t, 'V1')], { expectedRevision: 1 }).catch((e: unknown) => e);
        expect(err).toMatchObject({ code: 'WRONG_EXPECTED_REVISION', expected: 1, actual: 2 });
        const missing = await t.store.append(t.vehicle('V2'), [fix(t, 'V2')], { expectedRevision: 0 }).catch((e: unknown) => e);
        expect(missing).toMatchObject({ code: 'WRONG_EXPECTED_REVISION', expected: 0, actual: 'no-stream' });
      });

      it("'any' never conflicts and 'stream-exists' needs an existing stream", async () => {
        const t = await setup();
        const stream = t.vehicle('V1');
        await t.store.append(stream, [fix(t, 'V1')], { expectedRevision: 'any' });
        await t.store.append(stream, [fix(t, 'V1')], { expectedRevision: 'any' });
        await t.store.append(stream, [fix(t, 'V1')], { expectedRevision: 'stream-exists' });
        const err = await t.store.append(t.vehicle('V2'), [fix(t, 'V2')], { expectedRevision: 'stream-exists' }).catch((e: unknown) => e);
        expect(err).toMatchObject({ code: 'WRONG_EXPECTED_REVISION', actual: 'no-stream' });
        expect((await collect(t.store.readStream(stream))).map((e) => e.revision)).toEqual([0, 1, 2]);
      });

      it('an empty batch writes nothing but still checks the expected revision', async () => {
        const t = await setup();
        const stream = t.vehicle('V1');
        expect(await t.store.append(stream, [], { expectedRevision: 'no-stream' })).toMatchObject({ written: 0, skipped: 0, position: null, nextExpectedRevision: 'no-stream' });
        await t.store.append(stream, [fix(t, 'V1')]);
        expect(await t.store.append(stream, [], { expectedRevision: 0 })).toMatchObject({ written: 0, nextExpectedRevision: 0 });
        await expect(t.store.append(stream, [], { expectedRevision: 'no-stream' })).rejects.toMatchObject({ code: 'WRONG_EXPECTED_REVISION', actual: 0 });
      });

      it('a conflicting batch writes nothing, so its events can be appended later', async () => {
        const t = await setup();
        const stream = t.vehicle('V1');
        await t.store.append(stream, [fix(t, 'V1')]);
        const batch = [fix(t, 'V1'), fix(t, 'V1'), fix(t, 'V1')];
        await expect(t.store.append(stream, batch, { expectedRevision: 'no-stream' })).rejects.toBeInstanceOf(WrongExpectedRevisionError);
        expect(await collect(t.store.readStream(stream))).toHaveLength(1);
        expect(await t.store.append(stream, batch, { expectedRevision: 0 })).toMatchObject({ written: 3, skipped: 0, nextExpectedRevision: 3 });
      });
    });

    describe('appendMany', () => {
      it('appends to several streams in one call, with per-stream results in order', async () => {
        const t = await setup();
        const [a, b] = [fix(t, 'V1'), fix(t, 'V2')];
        const results = await t.store.appendMany([
          { streamId: t.vehicle('V1'), events: [a, fix(t, 'V1')] },
          { streamId: t.vehicle('V2'), events: [b], expectedRevision: 'no-stream' },
        ]);
        expect(results.map((r) => [r.written, r.nextExpectedRevision])).toEqual([[2, 1], [1, 0]]);
        expect(ids(await collect(t.store.readStream(t.vehicle('V2'))))).toEqual([b.eventId]);
        expect(ids(await t.readAll())).toHaveLength(3);
      });

      it('skips already recorded events in any of the streams (a redelivered batch)', async () => {
        const t = await setup();
        const batch = [{ streamId: t.vehicle('V1'), events: [fix(t, 'V1')] }, { streamId: t.vehicle('V2'), events: [fix(t, 'V2')] }];
        await t.store.appendMany(batch);
        const again = await t.store.appendMany(batch);
        expect(again.map((r) => [r.written, r.skipped])).toEqual([[0, 1], [0, 1]]);
        expect(await t.readAll()).toHaveLength(2);
      });

      it('writes hundreds of streams in one call with the revisions and last position of each, in call order', async () => {
        const t = await setup();
        // More streams than one id lookup takes, and streams longer than one insert statement.
        const streams = Array.from({ length: 230 }, (_, i) => ({ streamId: t.vehicle(`M${i}`), events: Array.from({ length: i % 37 === 0 ? 70 : (i % 3) + 1 }, () => fix(t, `M${i}`)) }));
        await t.store.append(streams[5]!.streamId, [fix(t, 'M5')]);
        const results = await t.store.appendMany(streams);
        const all = await t.readAll();
        const written = all.slice(1);
        expect(ids(written)).toEqual(streams.flatMap((b) => b.events.map((e) => e.eventId)));
        let at = 0;
        streams.forEach((b, i) => {
          at += b.events.length;
          const last = written[at - 1]!;
          const base = i === 5 ? 1 : 0;
          expect(results[i]).toEqual({ nextExpectedRevision: base + b.events.length - 1, position: last.position, written: b.events.length, skipped: 0 });
          expect([last.streamId, last.revision]).toEqual([b.streamId, base + b.events.length - 1]);
        });
      });

      it('mixes new and recorded events per stream in one call, as if the streams were appended in turn', async () => {
        const t = await setup();
        const [a1, a2, b1] = [fix(t, 'A'), fix(t, 'A'), fix(t, 'B')];
        const before = await t.store.appendMany([
          { streamId: t.vehicle('A'), events: [a1] },
          { streamId: t.vehicle('B'), events: [b1] },
        ]);
        const c1 = fix(t, 'C');
        const results = await t.store.appendMany([
          { streamId: t.vehicle('C'), events: [c1], expectedRevision: 'no-stream' },
          { streamId: t.vehicle('A'), events: [a1, a2], expectedRevision: 0 },
          { streamId: t.vehicle('B'), events: [b1], expectedRevision: 'no-stream' },
          { streamId: t.vehicle('D'), events: [], expectedRevision: 'no-stream' },
        ]);
        const all = await t.readAll();
        expect(ids(all)).toEqual([a1, b1, c1, a2].map((e) => e.eventId));
        expect(results).toEqual([
          { nextExpectedRevision: 0, position: all[2]!.position, written: 1, skipped: 0 },
          { nextExpectedRevision: 1, position: all[3]!.position, written: 1, skipped: 1 },
          // Known events only: acknowledged without the revision check, at their recorded position.
          { nextExpectedRevision: 0, position: before[1]!.position, written: 0, skipped: 1 },
          { nextExpectedRevision: 'no-stream', position: null, written: 0, skipped: 0 },
        ]);
      });

      it.skipIf(caps.eventIdScope !== 'store')('records an event id that two streams of one call carry once, in the first of them', async () => {
        const t = await setup();
        const e = fix(t, 'V1');
        const results = await t.store.appendMany([
          { streamId: t.vehicle('V1'), events: [e] },
          { streamId: t.vehicle('V2'), events: [e, fix(t, 'V2')] },
        ]);
        const all = await t.readAll();
        expect(all.map((r) => [r.event.eventId, r.streamId])).toEqual([
          [e.eventId, t.vehicle('V1')],
          [all[1]!.event.eventId, t.vehicle('V2')],
        ]);
        expect(results.map((r) => [r.written, r.skipped, r.nextExpectedRevision])).toEqual([
          [1, 0, 0],
          [1, 1, 0],
        ]);
      });

      it('refuses the same stream twice in one call', async () => {
        const t = await setup();
        const stream = t.vehicle('V1');
        await expect(t.store.appendMany([{ streamId: stream, events: [fix(t, 'V1')] }, { streamId: stream, events: [fix(t, 'V1')] }])).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
      });

      it.skipIf(!(caps.atomicMultiStream ?? true))('writes nothing in any stream when one stream conflicts', async () => {
        const t = await setup();
        await t.store.append(t.vehicle('V2'), [fix(t, 'V2')]);
        await expect(
          t.store.appendMany([
            { streamId: t.vehicle('V1'), events: [fix(t, 'V1')] },
            { streamId: t.vehicle('V2'), events: [fix(t, 'V2')], expectedRevision: 'no-stream' },
          ]),
        ).rejects.toBeInstanceOf(WrongExpectedRevisionError);
        expect(await collect(t.store.readStream(t.vehicle('V1')))).toEqual([]);
        expect(await t.readAll()).toHaveLength(1);
      });
    });

    describe('idempotency on eventId', () => {
      it('re-appending a recorded batch is a no-op that reports the events as skipped', async () => {
        const t = await setup();
        const stream = t.vehicle('V1');
        const batch = [fix(t, 'V1'), fix(t, 'V1'), fix(t, 'V1')];
        const first = await t.store.append(stream, batch, { expectedRevision: 'no-stream' });
        const again = await t.store.append(stream, batch);
        expect(again).toMatchObject({ written: 0, skipped: 3, nextExpectedRevision: 2, position: first.position });
        // A retry with the original, now stale, expected revision is acknowledged, not a conflict.
        const retry = await t.store.append(stream, batch, { expectedRevision: 'no-stream' });
        expect(retry).toMatchObject({ written: 0, skipped: 3 });
        expect(ids(await collect(t.store.readStream(stream)))).toEqual(batch.map((e) => e.eventId));
      });

      it('skips a duplicate inside one batch', async () => {
        const t = await setup();
        const stream = t.vehicle('V1');
        const e = fix(t, 'V1');
        expect(await t.store.append(stream, [e, e])).toMatchObject({ written: 1, skipped: 1, nextExpectedRevision: 0 });
        expect(await collect(t.store.readStream(stream))).toHaveLength(1);
      });

      if (caps.eventIdScope === 'store') {
        it('writes only the new events of a batch that mixes known and new ones, with contiguous revisions', async () => {
          const t = await setup();
          const stream = t.vehicle('V1');
          const [a, b, c] = [fix(t, 'V1'), fix(t, 'V1'), fix(t, 'V1')] as [EventEnvelope, EventEnvelope, EventEnvelope];
          await t.store.append(stream, [a]);
          expect(await t.store.append(stream, [a, b, c], { expectedRevision: 0 })).toMatchObject({ written: 2, skipped: 1, nextExpectedRevision: 2 });
          const read = await collect(t.store.readStream(stream));
          expect(read.map((e) => [e.event.eventId, e.revision])).toEqual([
            [a.eventId, 0],
            [b.eventId, 1],
            [c.eventId, 2],
          ]);
        });

        it('skips an eventId already recorded in another stream, as a duplicate delivery', async () => {
          const t = await setup();
          const e = fix(t, 'V1');
          const first = await t.store.append(t.vehicle('V1'), [e]);
          const other = await t.store.append(t.vehicle('V2'), [e]);
          expect(other).toMatchObject({ written: 0, skipped: 1, nextExpectedRevision: 'no-stream', position: first.position });
          expect(other.conflicts).toBeUndefined();
          expect(await collect(t.store.readStream(t.vehicle('V2')))).toEqual([]);
        });
      } else {
        it('deduplicates per stream: the same eventId in another stream is recorded there too', async () => {
          const t = await setup();
          const e = fix(t, 'V1');
          await t.store.append(t.vehicle('V1'), [e]);
          expect(await t.store.append(t.vehicle('V2'), [e])).toMatchObject({ written: 1 });
        });
      }
    });

    describe.skipIf(!(caps.conflictsAndLookup ?? true))('conflicting re-use of an eventId', () => {
      it('keeps the first event and reports a recorded id offered with other bytes as a conflict, a redelivery not', async () => {
        const t = await setup();
        const stream = t.vehicle('V1');
        const original = fix(t, 'V1', '2026-03-01T08:00:00+08:00', 30);
        const other = { ...original, data: { ...original.data, speedKmh: 99 } };
        const fresh = fix(t, 'V1');
        await t.store.append(stream, [original]);
        const again = await t.store.append(stream, [original, fresh]);
        expect(again).toMatchObject({ written: 1, skipped: 1 });
        expect(again.conflicts).toBeUndefined();
        // Keys in another order are the same canonical event: a redelivery, not a conflict.
        const reordered = { data: original.data, occurredAt: original.occurredAt, type: original.type, eventId: original.eventId };
        expect((await t.store.append(stream, [reordered])).conflicts).toBeUndefined();
        const clash = await t.store.append(stream, [other]);
        expect(clash).toMatchObject({ written: 0, skipped: 1, conflicts: [original.eventId] });
        const read = await collect(t.store.readStream(stream));
        expect(read.map((e) => canonicalJson(e.event))).toEqual([canonicalJson(original), canonicalJson(fresh)]);
      });

      it('reports conflicts per stream in appendMany, including one with an event taken earlier in the same call', async () => {
        const t = await setup();
        const recorded = fix(t, 'A');
        await t.store.append(t.vehicle('A'), [recorded]);
        const inCall = fix(t, 'B');
        const results = await t.store.appendMany([
          { streamId: t.vehicle('A'), events: [{ ...recorded, data: { ...recorded.data, lat: 28 } }, fix(t, 'A')] },
          { streamId: t.vehicle('B'), events: [inCall] },
          { streamId: t.vehicle('C'), events: [{ ...inCall, occurredAt: '2026-03-01T09:00:00+08:00' }, fix(t, 'C')] },
          { streamId: t.vehicle('D'), events: [recorded] },
        ]);
        expect(results.map((r) => [r.written, r.skipped, r.conflicts])).toEqual([
          [1, 1, [recorded.eventId]],
          [1, 0, undefined],
          [1, 1, [inCall.eventId]],
          [0, 1, undefined],
        ]);
      });

      it('reports a duplicate inside one batch that differs from its first occurrence', async () => {
        const t = await setup();
        const e = fix(t, 'V1');
        const result = await t.store.append(t.vehicle('V1'), [e, { ...e, type: 'VehiclePositionCorrected' }, e]);
        expect(result).toMatchObject({ written: 1, skipped: 2, conflicts: [e.eventId] });
      });

      it('looks recorded events up by id, as their canonical JSON; unknown ids are absent', async () => {
        const t = await setup();
        const [a, b] = [fix(t, 'V1'), fix(t, 'V2')];
        await t.store.append(t.vehicle('V1'), [a]);
        await t.store.append(t.vehicle('V2'), [b]);
        const many = Array.from({ length: 450 }, (_, i) => `${t.ns}-missing-${i}`);
        const found = await t.store.recordedJson!([a.eventId, ...many, b.eventId]);
        expect(found).toEqual(
          new Map([
            [a.eventId, canonicalJson(a)],
            [b.eventId, canonicalJson(b)],
          ]),
        );
        expect((await t.store.recordedJson!([])).size).toBe(0);
      });
    });

    describe('readStream', () => {
      it('reads from a revision, at most maxCount events', async () => {
        const t = await setup();
        const stream = t.vehicle('V1');
        const batch = Array.from({ length: 7 }, () => fix(t, 'V1'));
        await t.store.append(stream, batch);
        const read = await collect(t.store.readStream(stream, { fromRevision: 2, maxCount: 3 }));
        expect(read.map((e) => e.revision)).toEqual([2, 3, 4]);
        expect(ids(read)).toEqual(batch.slice(2, 5).map((e) => e.eventId));
        expect((await collect(t.store.readStream(stream, { fromRevision: 5 }))).map((e) => e.revision)).toEqual([5, 6]);
        expect(await collect(t.store.readStream(stream, { fromRevision: 7 }))).toEqual([]);
        expect(await collect(t.store.readStream(stream, { maxCount: 0 }))).toEqual([]);
      });

      it('yields nothing for a stream without events', async () => {
        const t = await setup();
        expect(await collect(t.store.readStream(t.vehicle('none')))).toEqual([]);
      });
    });

    describe('readAll', () => {
      async function interleaved(t: Awaited<ReturnType<typeof setup>>) {
        const order: EventEnvelope[] = [];
        const plan: [string, EventEnvelope][] = [
          [t.vehicle('V1'), fix(t, 'V1')],
          [consignmentStream(`${t.ns}W1`), envelope(t.id('decl'), 'ConsignmentDeclared', '2026-03-01T07:00:00+08:00', { waybillNo: `${t.ns}W1` })],
          [t.vehicle('V2'), fix(t, 'V2')],
          [t.vehicle('V1'), fix(t, 'V1')],
          [detectionsStream(`${t.ns}V1`), envelope(t.id('det'), 'IllegalParkingStarted', '2026-03-01T08:30:00+08:00', { vehicleId: `${t.ns}V1` })],
          [t.vehicle('V2'), fix(t, 'V2')],
        ];
        for (const [stream, e] of plan) {
          await t.store.append(stream, [e]);
          order.push(e);
        }
        return order;
      }

      it('returns events across streams in global commit order', async () => {
        const t = await setup();
        const order = await interleaved(t);
        const all = await t.readAll();
        expect(ids(all)).toEqual(order.map((e) => e.eventId));
        expect(new Set(all.map((e) => e.position)).size).toBe(all.length);
      });

      it('continues strictly after fromPosition and stops at maxCount', async () => {
        const t = await setup();
        const order = await interleaved(t);
        const all = await t.readAll();
        const after = await collect(t.store.readAll({ fromPosition: all[1]!.position }));
        expect(ids(t.mine(after))).toEqual(order.slice(2).map((e) => e.eventId));
        const two = await collect(t.store.readAll({ fromPosition: all[1]!.position, maxCount: 2 }));
        expect(ids(two)).toEqual(order.slice(2, 4).map((e) => e.eventId));
        expect(await collect(t.store.readAll({ fromPosition: all[all.length - 1]!.position, filter: { streamPrefixes: [t.vehicle('')] } }))).toEqual([]);
      });

      it('filters by event type, stream prefix and exact stream', async () => {
        const t = await setup();
        const order = await interleaved(t);
        const byType = await t.readAll({ filter: { types: ['ConsignmentDeclared', 'IllegalParkingStarted'] } });
        expect(byType.map((e) => e.event.type)).toEqual(['ConsignmentDeclared', 'IllegalParkingStarted']);
        const byPrefix = await t.readAll({ filter: { streamPrefixes: [t.vehicle('')] } });
        expect(ids(byPrefix)).toEqual([order[0], order[2], order[3], order[5]].map((e) => e!.eventId));
        const both = await t.readAll({ filter: { streamPrefixes: [t.vehicle(''), `detections-${t.ns}`], types: ['IllegalParkingStarted'] } });
        expect(ids(both)).toEqual([order[4]!.eventId]);
        const exact = await t.readAll({ filter: { streams: [t.vehicle('V2')] } });
        expect(ids(exact)).toEqual([order[2], order[5]].map((e) => e!.eventId));
        expect(await t.readAll({ filter: { types: [] } })).toEqual([]);
      });

      it('merges several exact streams in global order, honouring fromPosition, maxCount, types and the time window', async () => {
        const t = await setup();
        const order = await interleaved(t);
        const streams = [t.vehicle('V2'), t.vehicle('V1'), consignmentStream(`${t.ns}W1`), t.vehicle('V1')];
        const expected = [order[0], order[1], order[2], order[3], order[5]].map((e) => e!.eventId);
        const merged = await t.readAll({ filter: { streams } });
        expect(ids(merged)).toEqual(expected);
        const after = await collect(t.store.readAll({ fromPosition: merged[1]!.position, maxCount: 2, filter: { streams } }));
        expect(ids(after)).toEqual(expected.slice(2, 4));
        const fixes = await t.readAll({ filter: { streams, types: ['VehiclePositionReported'], occurredFrom: '2026-03-01T08:00:00+08:00', occurredTo: '2026-03-01T08:00:01+08:00' } });
        expect(ids(fixes)).toEqual([order[0], order[2], order[3], order[5]].map((e) => e!.eventId));
        expect(await t.readAll({ filter: { streams, streamPrefixes: [`consignment-${t.ns}`] } })).toHaveLength(1);
        expect(await t.readAll({ filter: { streams: [] } })).toEqual([]);
      });

      it('hands out the canonical JSON of each event when asked, and only then', async () => {
        const t = await setup();
        await interleaved(t);
        await t.store.append(t.vehicle('V3'), [
          { meta: { z: 1, a: { y: 2, b: 3 } }, data: { note: '复核 "quoted"', vehicleId: `${t.ns}V3`, lon: 121.5, lat: 28.1, speedKmh: 0 }, occurredAt: '2026-03-01T08:00:01+08:00', type: 'VehiclePositionReported', eventId: t.id('odd'), schemaVersion: 1 },
        ]);
        const plain = await t.readAll();
        expect(plain.every((e) => e.json === undefined)).toBe(true);
        for (const options of [{}, { filter: { streams: [t.vehicle('V1'), t.vehicle('V3')] } }, { filter: { streamPrefixes: [t.vehicle('')] } }] satisfies ReadAllOptions[]) {
          const withJson = await t.readAll({ ...options, includeJson: true });
          expect(withJson.length).toBeGreaterThan(0);
          for (const e of withJson) expect(e.json).toBe(canonicalJson(e.event));
        }
        expect((await t.readAll({ includeJson: true })).map((e) => e.event)).toEqual(plain.map((e) => e.event));
      });

      it('rejects a position that this store did not hand out', async () => {
        const t = await setup();
        const err = await collect(t.store.readAll({ fromPosition: 'not-a-position' as Position })).catch((e: unknown) => e);
        expect(err).toMatchObject({ code: 'INVALID_POSITION' });
        const upTo = await collect(t.store.readAll({ toPosition: 'not-a-position' as Position })).catch((e: unknown) => e);
        expect(upTo).toMatchObject({ code: 'INVALID_POSITION' });
      });

      // A shared server is never empty.
      if (!caps.shared) {
        it('has no head position while empty', async () => {
          const t = await setup();
          expect(await t.store.headPosition()).toBeNull();
          expect(await collect(t.store.readAll({ toPosition: (await t.store.append(t.vehicle('V1'), [fix(t, 'V1')])).position! }))).toHaveLength(1);
        });
      }

      it('gives its head position, and a read pinned to it (toPosition, inclusive) ignores everything appended later, through every kind of read', async () => {
        const t = await setup();
        const order = await interleaved(t);
        const head = await t.store.headPosition();
        expect(head).not.toBeNull();
        const all = await t.readAll();
        expect(head).toBe(all[all.length - 1]!.position);
        // Late arrivals after the pin: a fix of the same vehicle and instant, a new stream, a detection.
        await t.store.append(t.vehicle('V1'), [fix(t, 'V1')]);
        await t.store.append(t.vehicle('V9'), [fix(t, 'V9')]);
        await t.store.append(detectionsStream(`${t.ns}V2`), [envelope(t.id('late-det'), 'IllegalParkingStarted', '2026-03-01T08:30:00+08:00', { vehicleId: `${t.ns}V2` })]);
        expect(await t.store.headPosition()).not.toBe(head);
        const pinned = { toPosition: head! };
        expect(ids(await t.readAll(pinned))).toEqual(order.map((e) => e.eventId));
        expect(ids(await t.readAll())).toHaveLength(order.length + 3);
        expect(ids(await t.readAll({ ...pinned, filter: { streamPrefixes: [t.vehicle('')] } }))).toEqual([order[0], order[2], order[3], order[5]].map((e) => e!.eventId));
        const streams = [t.vehicle('V1'), t.vehicle('V2'), t.vehicle('V9')];
        expect(ids(await t.readAll({ ...pinned, filter: { streams } }))).toEqual([order[0], order[2], order[3], order[5]].map((e) => e!.eventId));
        expect(ids(await t.readAll({ ...pinned, filter: { streams, occurredFrom: '2026-03-01T08:00:00+08:00', occurredTo: '2026-03-01T08:00:01+08:00' }, includeJson: true }))).toEqual(
          [order[0], order[2], order[3], order[5]].map((e) => e!.eventId),
        );
        // A closed range: after one position, up to another (inclusive).
        expect(ids(await collect(t.store.readAll({ fromPosition: all[1]!.position, toPosition: all[3]!.position })))).toEqual(order.slice(2, 4).map((e) => e.eventId));
        expect(await collect(t.store.readAll({ fromPosition: all[3]!.position, toPosition: all[3]!.position }))).toEqual([]);
      });
    });

    describe('replay reads', () => {
      it('reads a time window by occurredAt instant (from inclusive, to exclusive) in global order', async () => {
        const t = await setup();
        const stream = t.vehicle('V1');
        // Appended out of occurredAt order; offsets differ but instants are compared.
        const late = fix(t, 'V1', '2026-03-01T02:00:00Z');
        const atFrom = fix(t, 'V1', '2026-03-01T09:00:00+08:00');
        const before = fix(t, 'V1', '2026-03-01T00:59:59.999Z');
        const atTo = fix(t, 'V1', '2026-03-01T10:00:00+08:00');
        const inside = fix(t, 'V1', '2026-03-01T01:30:00Z');
        await t.store.append(stream, [late, atFrom, before, atTo, inside]);
        const window = { from: '2026-03-01T01:00:00Z', to: '2026-03-01T02:00:00Z' };
        const read = t.mine(await collect(readTimeWindow(t.store, window, since(t))));
        expect(ids(read)).toEqual([atFrom.eventId, inside.eventId]);
        const open = t.mine(await collect(readTimeWindow(t.store, { from: '2026-03-01T02:00:00Z' }, since(t))));
        expect(ids(open)).toEqual([late.eventId, atTo.eventId]);
      });

      it("reads a vehicle's fixes and detections, and a waybill's consignment events", async () => {
        const t = await setup();
        const v1 = `${t.ns}V1`;
        const w1 = `${t.ns}W1`;
        const f1 = fix(t, 'V1', '2026-03-01T08:00:00+08:00');
        const det = envelope(t.id('det'), 'IllegalParkingStarted', '2026-03-01T08:40:00+08:00', { vehicleId: v1, waybillNo: w1 });
        const decl = envelope(t.id('decl'), 'ConsignmentDeclared', '2026-03-01T07:00:00+08:00', { waybillNo: w1 });
        const f2 = fix(t, 'V1', '2026-03-01T09:00:00+08:00');
        await t.store.append(vehicleStream(v1), [f1]);
        await t.store.append(detectionsStream(v1), [det]);
        await t.store.append(consignmentStream(w1), [decl]);
        await t.store.append(t.vehicle('V2'), [fix(t, 'V2')]);
        await t.store.append(zonesStream, [envelope(t.id('zone'), 'ZoneWithdrawn', '2026-03-01T08:00:00+08:00', { zoneId: `${t.ns}Z` })]);
        await t.store.append(vehicleStream(v1), [f2]);
        expect(ids(await collect(readForVehicle(t.store, v1, since(t))))).toEqual([f1.eventId, det.eventId, f2.eventId]);
        const windowed = await collect(readForVehicle(t.store, v1, { ...since(t), window: { from: '2026-03-01T08:30:00+08:00' } }));
        expect(ids(windowed)).toEqual([det.eventId, f2.eventId]);
        expect(ids(await collect(readForWaybill(t.store, w1, since(t))))).toEqual([decl.eventId]);
      });
    });

    describe('subscribeAll', () => {
      it('catches up on recorded events, then delivers new ones live, in global order', async () => {
        const t = await setup();
        const early = [fix(t, 'V1'), fix(t, 'V1')];
        await t.store.append(t.vehicle('V1'), early);
        await t.store.append(t.vehicle('V2'), [fix(t, 'V2')]);
        const sub = t.subscribe({ filter: { streamPrefixes: [t.vehicle('')] } });
        const it = sub[Symbol.asyncIterator]();
        const caught = await take(it, 3);
        expect(caught.map((e) => e.streamId)).toEqual([t.vehicle('V1'), t.vehicle('V1'), t.vehicle('V2')]);
        const pending = it.next();
        expect(await nothingWithin(pending, 300)).toBe('nothing');
        const live = [fix(t, 'V2'), fix(t, 'V1')];
        await t.store.append(t.vehicle('V2'), [live[0]!]);
        await t.store.append(t.vehicle('V1'), [live[1]!]);
        expect((await pending).value?.event.eventId).toBe(live[0]!.eventId);
        expect(ids(await take(it, 1))).toEqual([live[1]!.eventId]);
        await sub.close();
        expect((await it.next()).done).toBe(true);
      });

      it('resumes from a checkpoint without gaps or repeats', async () => {
        const t = await setup();
        const all = Array.from({ length: 6 }, () => fix(t, 'V1'));
        await t.store.append(t.vehicle('V1'), all.slice(0, 4));
        const filter = { streamPrefixes: [t.vehicle('')] };
        const first = t.subscribe({ filter });
        const firstIt = first[Symbol.asyncIterator]();
        const seen = await take(firstIt, 3);
        const checkpoint = seen[seen.length - 1]!.position;
        await first.close();

        await t.store.append(t.vehicle('V1'), all.slice(4));
        const second = t.store.subscribeAll({ fromCheckpoint: checkpoint, filter });
        const secondIt = second[Symbol.asyncIterator]();
        const resumed = await take(secondIt, 3);
        await second.close();
        expect(ids([...seen, ...resumed])).toEqual(all.map((e) => e.eventId));
      });

      it('applies its filter to catch-up and live events', async () => {
        const t = await setup();
        const det1 = envelope(t.id('det'), 'IllegalParkingStarted', '2026-03-01T08:30:00+08:00', { vehicleId: `${t.ns}V1` });
        const det2 = envelope(t.id('det'), 'IllegalParkingEnded', '2026-03-01T08:50:00+08:00', { vehicleId: `${t.ns}V1` });
        await t.store.append(t.vehicle('V1'), [fix(t, 'V1')]);
        await t.store.append(detectionsStream(`${t.ns}V1`), [det1]);
        const sub = t.subscribe({ filter: { types: ['IllegalParkingStarted', 'IllegalParkingEnded'], streamPrefixes: [`detections-${t.ns}`] } });
        const it = sub[Symbol.asyncIterator]();
        await t.store.append(t.vehicle('V1'), [fix(t, 'V1')]);
        await t.store.append(detectionsStream(`${t.ns}V1`), [det2]);
        expect(ids(await take(it, 2))).toEqual([det1.eventId, det2.eventId]);
        await sub.close();
      });
    });

    describe('close', () => {
      it('ends open subscriptions and refuses further use', async () => {
        const t = await setup();
        await t.store.append(t.vehicle('V1'), [fix(t, 'V1')]);
        const sub = t.subscribe();
        const it = sub[Symbol.asyncIterator]();
        const pending = it.next();
        await t.store.close();
        const settled = await pending;
        // It either delivered the recorded event before closing or ended.
        if (!settled.done) expect(settled.value.streamId).toBe(t.vehicle('V1'));
        expect((await it.next()).done).toBe(true);
        const err = await t.store.append(t.vehicle('V1'), [fix(t, 'V1')]).catch((e: unknown) => e);
        expect(err).toMatchObject({ code: 'STORE_CLOSED' });
        expect(await t.store.headPosition().catch((e: unknown) => e)).toMatchObject({ code: 'STORE_CLOSED' });
      });
    });

    function since(t: { since: Position | undefined }) {
      return t.since !== undefined ? { fromPosition: t.since } : {};
    }
  });
}
