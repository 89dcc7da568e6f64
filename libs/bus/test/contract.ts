import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { headerText, partitionForKey } from '../src/index.ts';
import type {
  Batch,
  Bus,
  BusConsumer,
  ConsumerOptions,
  OutgoingMessage,
  ReceivedMessage,
} from '../src/index.ts';

export interface BusFixture {
  readonly bus: Bus;
  /** A topic or group name no other test (or earlier run on a shared broker) has used. */
  unique(base: string): string;
  /** How long to wait for deliveries before failing a test. */
  readonly deliveryTimeoutMs: number;
  dispose(): Promise<void>;
}

const PARTITIONS = 3;

/** Everything both adapters must do identically; run by each adapter's spec. */
export function runBusContract(name: string, makeFixture: () => Promise<BusFixture>): void {
  describe(`bus contract: ${name}`, () => {
    let fx: BusFixture;
    let running: BusConsumer[] = [];

    beforeEach(async () => {
      fx = await makeFixture();
      running = [];
    });
    afterEach(async () => {
      await Promise.all(running.map((c) => c.stop()));
      await fx.dispose();
    });

    async function topic(partitions = PARTITIONS): Promise<string> {
      const t = fx.unique('contract');
      await fx.bus.ensureTopics([{ topic: t, partitions }]);
      return t;
    }

    function consume(
      topics: string[],
      options: ConsumerOptions,
      eachBatch: (b: Batch) => Promise<void>,
    ): Promise<BusConsumer> {
      const consumer = fx.bus.consumer(options);
      running.push(consumer);
      return consumer.run({ topics, eachBatch }).then(() => consumer);
    }

    /** Resolves when `done()` holds, checked after every batch; rejects after the delivery timeout. */
    function until(
      done: () => boolean,
      what: string,
    ): { check: () => void; reached: Promise<void> } {
      let resolve!: () => void;
      let reject!: (e: Error) => void;
      const reached = new Promise<void>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      // Awaited by the test; this only keeps an early-failing test from an unhandled rejection.
      reached.catch(() => {});
      const timer = setTimeout(
        () => reject(new Error(`timed out waiting for ${what}`)),
        fx.deliveryTimeoutMs,
      );
      return {
        check: () => {
          if (!done()) return;
          clearTimeout(timer);
          resolve();
        },
        reached,
      };
    }

    const numbered = (count: number, keys: number): OutgoingMessage[] =>
      Array.from({ length: count }, (_, i) => ({
        key: `k${i % keys}`,
        value: JSON.stringify({ key: `k${i % keys}`, seq: Math.floor(i / keys), i }),
      }));

    const bodyOf = (m: ReceivedMessage): { key: string; seq: number; i: number } =>
      JSON.parse(m.value.toString('utf8'));

    /** One key per partition, appended after everything else: once all arrive, every partition has been read past the rest. */
    function sentinels(partitions: number): OutgoingMessage[] {
      const out: OutgoingMessage[] = [];
      for (let n = 0; out.length < partitions; n++) {
        const key = `sentinel-${n}`;
        if (
          !out.some((m) => partitionForKey(m.key, partitions) === partitionForKey(key, partitions))
        )
          out.push({ key, value: 'sentinel' });
      }
      return out;
    }

    it('delivers messages to a new group as soon as send has resolved', async () => {
      const t = await topic();
      const producer = fx.bus.producer();
      await producer.send(t, numbered(30, 7));
      const seen: ReceivedMessage[] = [];
      const wait = until(() => seen.length >= 30, '30 messages');
      await consume([t], { groupId: fx.unique('g') }, async (b) => {
        seen.push(...b.messages);
        wait.check();
      });
      await wait.reached;
      expect(seen.map((m) => bodyOf(m).i).sort((a, b) => a - b)).toEqual(
        Array.from({ length: 30 }, (_, i) => i),
      );
      await producer.close();
    });

    it('keeps per-key order across many keys and many sends', async () => {
      const t = await topic();
      const producer = fx.bus.producer();
      const all = numbered(1000, 50);
      for (let i = 0; i < all.length; i += 100) await producer.send(t, all.slice(i, i + 100));
      const seqsByKey = new Map<string, number[]>();
      let count = 0;
      const wait = until(() => count >= all.length, `${all.length} messages`);
      await consume([t], { groupId: fx.unique('g') }, async (b) => {
        for (const m of b.messages) {
          const { key, seq } = bodyOf(m);
          seqsByKey.set(key, [...(seqsByKey.get(key) ?? []), seq]);
        }
        count += b.messages.length;
        wait.check();
      });
      await wait.reached;
      expect(seqsByKey.size).toBe(50);
      for (const seqs of seqsByKey.values())
        expect(seqs).toEqual(Array.from({ length: 20 }, (_, i) => i));
    });

    it("puts each key on the partition Kafka's murmur2 partitioner picks", async () => {
      const t = await topic();
      const producer = fx.bus.producer();
      await producer.send(t, numbered(60, 20));
      const placements: Array<[string, number]> = [];
      const wait = until(() => placements.length >= 60, '60 messages');
      await consume([t], { groupId: fx.unique('g') }, async (b) => {
        for (const m of b.messages) placements.push([m.key, b.partition]);
        wait.check();
      });
      await wait.reached;
      for (const [key, partition] of placements)
        expect(partition).toBe(partitionForKey(key, PARTITIONS));
      expect(new Set(placements.map(([, p]) => p)).size).toBe(PARTITIONS);
    });

    it('delivers every message to a group exactly once when each batch is committed, also across a restart', async () => {
      const t = await topic();
      const groupId = fx.unique('g');
      const producer = fx.bus.producer();
      await producer.send(t, numbered(200, 13));
      const deliveries = new Map<number, number>();
      const record = (b: Batch): void => {
        for (const m of b.messages)
          if (m.key.startsWith('k'))
            deliveries.set(bodyOf(m).i, (deliveries.get(bodyOf(m).i) ?? 0) + 1);
      };
      const first = until(() => deliveries.size >= 200, '200 messages');
      const c1 = await consume([t], { groupId }, async (b) => {
        record(b);
        first.check();
      });
      await first.reached;
      await c1.stop();

      const marks = sentinels(PARTITIONS);
      await producer.send(t, marks);
      let sentinelsSeen = 0;
      const second = until(() => sentinelsSeen >= marks.length, 'sentinels after restart');
      await consume([t], { groupId }, async (b) => {
        record(b);
        sentinelsSeen += b.messages.filter((m) => m.key.startsWith('sentinel-')).length;
        second.check();
      });
      await second.reached;
      expect(deliveries.size).toBe(200);
      expect([...deliveries.values()].every((n) => n === 1)).toBe(true);
    });

    it('redelivers a batch whose handler failed and was not committed, to the next consumer after a stop', async () => {
      const t = await topic();
      const groupId = fx.unique('g');
      const producer = fx.bus.producer();
      await producer.send(t, numbered(40, 9));

      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      let failedBatch: ReceivedMessage[] = [];
      const gotBatch = until(() => failedBatch.length > 0, 'the first batch');
      const errors: unknown[] = [];
      const c1 = await consume(
        [t],
        { groupId, retryBackoffMs: 60_000, onError: (e) => errors.push(e) },
        async (b) => {
          failedBatch = [...b.messages];
          gotBatch.check();
          await gate;
          throw new Error('simulated crash before the append succeeded');
        },
      );
      await gotBatch.reached;
      const stopped = c1.stop();
      release();
      await stopped;
      expect(errors).toHaveLength(1);

      const seen = new Set<number>();
      const all = until(() => seen.size >= 40, 'all 40 messages on the second consumer');
      await consume([t], { groupId }, async (b) => {
        for (const m of b.messages) seen.add(bodyOf(m).i);
        all.check();
      });
      await all.reached;
      for (const m of failedBatch) expect(seen.has(bodyOf(m).i)).toBe(true);
      expect(seen.size).toBe(40);
    });

    it('retries a failed batch on the same consumer after the backoff, and commits it once it succeeds', async () => {
      const t = await topic(1);
      const producer = fx.bus.producer();
      await producer.send(t, numbered(10, 1));
      const offsetsPerCall: string[][] = [];
      let failures = 0;
      const done = until(
        () => offsetsPerCall.flat().length >= 10 + (offsetsPerCall[0]?.length ?? 0),
        'the retry',
      );
      await consume(
        [t],
        { groupId: fx.unique('g'), retryBackoffMs: 100, onError: () => failures++ },
        async (b) => {
          offsetsPerCall.push(b.messages.map((m) => m.offset));
          done.check();
          if (offsetsPerCall.length === 1) throw new Error('transient store failure');
        },
      );
      await done.reached;
      expect(failures).toBe(1);
      // The failed call's messages come back, starting from the same offset.
      expect(offsetsPerCall[1]?.[0]).toBe(offsetsPerCall[0]?.[0]);
      expect(new Set(offsetsPerCall.flat()).size).toBe(10);
    });

    it('keeps a commit made inside a batch when the handler then fails', async () => {
      const t = await topic(1);
      const groupId = fx.unique('g');
      const producer = fx.bus.producer();
      await producer.send(t, numbered(10, 1));
      let firstCall: string[] = [];
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      const gotBatch = until(() => firstCall.length > 0, 'the first batch');
      const c1 = await consume(
        [t],
        { groupId, retryBackoffMs: 60_000, onError: () => {} },
        async (b) => {
          firstCall = b.messages.map((m) => m.offset);
          await b.commit(b.messages[0]!.offset);
          gotBatch.check();
          await gate;
          throw new Error('failed after the first message was stored');
        },
      );
      await gotBatch.reached;
      const stopped = c1.stop();
      release();
      await stopped;

      const redelivered: string[] = [];
      const all = until(() => redelivered.includes('9'), 'the last offset');
      await consume([t], { groupId }, async (b) => {
        redelivered.push(...b.messages.map((m) => m.offset));
        all.check();
      });
      await all.reached;
      expect(redelivered[0]).toBe(String(Number(firstCall[0]) + 1));
      expect(redelivered).not.toContain(firstCall[0]);
    });

    it('with partitionsConsumedConcurrently 2, works on two partitions at once, never on one partition twice, and keeps per-key order', async () => {
      const t = await topic();
      const producer = fx.bus.producer();
      // A backlog of more than a batch (500 by default) on every partition before anyone consumes.
      const all = numbered(3600, 30);
      for (let i = 0; i < all.length; i += 600) await producer.send(t, all.slice(i, i + 600));
      const inFlight = new Set<number>();
      let most = 0;
      let sameTwice = 0;
      const seqsByKey = new Map<string, number[]>();
      const seen = new Set<number>();
      const wait = until(() => seen.size >= all.length, `${all.length} messages`);
      const consumer = fx.bus.consumer({ groupId: fx.unique('g') });
      running.push(consumer);
      await consumer.run({
        topics: [t],
        partitionsConsumedConcurrently: 2,
        eachBatch: async (b) => {
          if (inFlight.has(b.partition)) sameTwice++;
          inFlight.add(b.partition);
          most = Math.max(most, inFlight.size);
          // Slow enough that the other lane's batch overlaps this one.
          await new Promise((resolve) => setTimeout(resolve, 30));
          for (const m of b.messages) {
            const { key, seq, i } = bodyOf(m);
            seqsByKey.set(key, [...(seqsByKey.get(key) ?? []), seq]);
            seen.add(i);
          }
          inFlight.delete(b.partition);
          wait.check();
        },
      });
      await wait.reached;
      expect(sameTwice).toBe(0);
      expect(most).toBe(2);
      expect(seqsByKey.size).toBe(30);
      for (const seqs of seqsByKey.values()) expect(seqs).toEqual(Array.from({ length: 120 }, (_, i) => i));
      await producer.close();
    });

    it('refuses partitionsConsumedConcurrently that is not a positive integer', async () => {
      const t = await topic();
      for (const bad of [0, -1, 1.5, Number.NaN]) {
        const consumer = fx.bus.consumer({ groupId: fx.unique('g') });
        running.push(consumer);
        await expect(consumer.run({ topics: [t], eachBatch: async () => {}, partitionsConsumedConcurrently: bad })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
      }
    });

    it('gives every message to each of two groups', async () => {
      const t = await topic();
      const producer = fx.bus.producer();
      await producer.send(t, numbered(90, 11));
      const a = new Set<number>();
      const b = new Set<number>();
      const both = until(() => a.size >= 90 && b.size >= 90, 'both groups');
      await consume([t], { groupId: fx.unique('ga') }, async (batch) => {
        for (const m of batch.messages) a.add(bodyOf(m).i);
        both.check();
      });
      await consume([t], { groupId: fx.unique('gb') }, async (batch) => {
        for (const m of batch.messages) b.add(bodyOf(m).i);
        both.check();
      });
      await both.reached;
      expect(a.size).toBe(90);
      expect(b.size).toBe(90);
    });

    it('round-trips binary values, text values and headers byte for byte', async () => {
      const t = await topic();
      const producer = fx.bus.producer();
      const binary = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
      const rawHeader = Buffer.from([0, 255, 10, 13, 128]);
      await producer.send(t, [
        { key: 'bin', value: binary, headers: { raw: rawHeader, type: 'VehiclePositionReported' } },
        { key: '浙J·12345', value: '危险货物 ✓', headers: { note: '押运员' } },
      ]);
      const got = new Map<string, ReceivedMessage>();
      const wait = until(() => got.size >= 2, 'two messages');
      await consume([t], { groupId: fx.unique('g') }, async (b) => {
        for (const m of b.messages) got.set(m.key, m);
        wait.check();
      });
      await wait.reached;
      const bin = got.get('bin');
      const text = got.get('浙J·12345');
      expect(bin?.value.equals(binary)).toBe(true);
      expect(bin?.headers.raw?.equals(rawHeader)).toBe(true);
      expect(bin && headerText(bin, 'type')).toBe('VehiclePositionReported');
      expect(text?.value.toString('utf8')).toBe('危险货物 ✓');
      expect(text && headerText(text, 'note')).toBe('押运员');
      expect(text && headerText(text, 'absent')).toBeUndefined();
      expect(Number.isFinite(text?.timestamp)).toBe(true);
    });

    it('leaves existing topics alone when ensureTopics runs again', async () => {
      const t = await topic();
      const producer = fx.bus.producer();
      await producer.send(t, [{ key: 'a', value: 'before' }]);
      await fx.bus.ensureTopics([{ topic: t, partitions: PARTITIONS }]);
      await producer.send(t, [{ key: 'a', value: 'after' }]);
      const values: string[] = [];
      const wait = until(() => values.length >= 2, 'two messages');
      await consume([t], { groupId: fx.unique('g') }, async (b) => {
        values.push(...b.messages.map((m) => m.value.toString()));
        wait.check();
      });
      await wait.reached;
      expect(values).toEqual(['before', 'after']);
    });
  });
}
