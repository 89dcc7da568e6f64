import { setTimeout as sleep } from 'node:timers/promises';
import { topicNames, type Batch, type ReceivedMessage } from '@dgt/bus';
import { canonicalJson } from '@dgt/events';
import { clockStream, openMemoryEventStore, type EventStore } from '@dgt/eventstore';
import { afterEach, describe, expect, it } from 'vitest';
import { createRecorder, type Recorder } from '../src/index.ts';
import { ingestedAtHeader, tickInstant } from '../src/recorder.ts';
import { capturingBus, position } from './fixtures.ts';

/** Two fixes published at `ingestedAt`, dated as the fixtures date them or at `fixAt`. */
function batchPublishedAt(topic: string, ingestedAt: string, fixAt?: string): Batch {
  const messages: ReceivedMessage[] = [0, 1].map((seq) => ({
    topic,
    partition: 0,
    offset: String(seq),
    key: 'V1',
    value: Buffer.from(canonicalJson(fixAt === undefined ? position('V1', seq) : { ...position('V1', seq), occurredAt: fixAt })),
    headers: { [ingestedAtHeader]: Buffer.from(ingestedAt) },
    timestamp: 0,
  }));
  return { topic, partition: 0, messages, heartbeat: async () => {}, commit: async () => {}, isStale: () => false };
}

async function ticks(store: EventStore): Promise<{ eventId: string; occurredAt: string; at: string }[]> {
  const out: { eventId: string; occurredAt: string; at: string }[] = [];
  for await (const { event: e } of store.readStream(clockStream)) out.push({ eventId: e.eventId, occurredAt: e.occurredAt, at: (e.data as { at: string }).at });
  return out;
}

async function until(condition: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200 && !(await condition()); i++) await sleep(10);
}

const running: Recorder[] = [];
afterEach(async () => {
  for (const r of running.splice(0)) await r.stop();
});

describe('recorder clock ticks (time in the record)', () => {
  it('appends one ClockTicked per minute of its wall clock to the clock stream, dated at the whole minute, never the same minute twice', async () => {
    const { bus } = capturingBus();
    const store = openMemoryEventStore();
    let wall = Date.parse('2026-03-02T08:00:10.500Z');
    const recorder = createRecorder({ bus, store, topics: topicNames(), groupId: 'g', now: () => wall, clockTickMs: 15 });
    running.push(recorder);
    await recorder.start();
    await until(async () => (await ticks(store)).length >= 1);
    wall += 60_000;
    await until(async () => (await ticks(store)).length >= 2);
    wall += 5_000; // same minute: nothing new
    await sleep(100);
    expect(await ticks(store)).toEqual([
      { eventId: 'clock/2026-03-02T08:00:00.000Z', occurredAt: '2026-03-02T08:00:00.000Z', at: '2026-03-02T08:00:00.000Z' },
      { eventId: 'clock/2026-03-02T08:01:00.000Z', occurredAt: '2026-03-02T08:01:00.000Z', at: '2026-03-02T08:01:00.000Z' },
    ]);
  });

  it('while it records a backlog, ticks stand for the newest recorded message, not the wall clock, so vehicles still in the backlog do not look silent', async () => {
    const { bus, handler } = capturingBus();
    const store = openMemoryEventStore();
    const wall = Date.parse('2026-03-02T09:30:20Z');
    const recorder = createRecorder({ bus, store, topics: topicNames(), groupId: 'g', now: () => wall, clockTickMs: 15 });
    running.push(recorder);
    await recorder.start();
    // Published 25 minutes ago, fixes taken a few seconds before that: the recorder is catching up.
    await handler()(batchPublishedAt(topicNames().positions, '2026-03-02T09:05:40Z', '2026-03-02T09:05:31Z'));
    await until(async () => (await ticks(store)).length >= 1);
    expect((await ticks(store)).map((t) => t.at)).toEqual(['2026-03-02T09:05:00.000Z']);
  });

  it('while the feed carries fixes behind the wall clock (a simulated or back-filled day), ticks stand for the newest recorded fix', async () => {
    const { bus, handler } = capturingBus();
    const store = openMemoryEventStore();
    const wall = Date.parse('2026-03-02T12:00:20Z');
    const recorder = createRecorder({ bus, store, topics: topicNames(), groupId: 'g', now: () => wall, clockTickMs: 15 });
    running.push(recorder);
    await recorder.start();
    // Published just now (no backlog), but the fixes are from the morning.
    await handler()(batchPublishedAt(topicNames().positions, '2026-03-02T12:00:19Z'));
    await until(async () => (await ticks(store)).length >= 1);
    const fixAt = position('V1', 1).occurredAt;
    expect((await ticks(store)).map((t) => t.at)).toEqual([new Date(Math.floor(Date.parse(fixAt) / 60_000) * 60_000).toISOString()]);
  });

  it('stands for the wall clock when the feed is idle or has no fix since the last tick, and never for a fix ahead of the wall clock', () => {
    const now = Date.parse('2026-03-02T12:00:00Z');
    const minute = 60_000;
    // No batch for more than two intervals: the wall clock.
    expect(tickInstant(now, minute, now - 3 * minute, now - 3 * minute, now - 3_600_000)).toBe(now);
    // Flowing, no fix since the last tick, no backlog: the wall clock.
    expect(tickInstant(now, minute, now - 1_000, now - 1_000, -Infinity)).toBe(now);
    // A fix ahead of the wall clock (a terminal's clock runs fast) moves nothing past it.
    expect(tickInstant(now, minute, now - 1_000, now - 1_000, now + 600_000)).toBe(now);
    // Flowing with fixes an hour old: the fixes' time.
    expect(tickInstant(now, minute, now - 1_000, now - 1_000, now - 3_600_000)).toBe(now - 3_600_000);
    // A backlog: the newest publish time, or the fixes' if earlier.
    expect(tickInstant(now, minute, now - 1_000, now - 600_000, now - 60_000)).toBe(now - 600_000);
  });

  it('two recorders ticking the same minute leave one event', async () => {
    const store = openMemoryEventStore();
    const wall = Date.parse('2026-03-02T10:00:01Z');
    for (const groupId of ['a', 'b']) {
      const r = createRecorder({ bus: capturingBus().bus, store, topics: topicNames(), groupId, now: () => wall, clockTickMs: 15 });
      running.push(r);
      await r.start();
    }
    await sleep(120);
    expect((await ticks(store)).map((t) => t.eventId)).toEqual(['clock/2026-03-02T10:00:00.000Z']);
  });

  it('does not tick when ticking is turned off', async () => {
    const store = openMemoryEventStore();
    const r = createRecorder({ bus: capturingBus().bus, store, topics: topicNames(), groupId: 'g', clockTickMs: 0 });
    running.push(r);
    await r.start();
    await sleep(60);
    expect(await ticks(store)).toEqual([]);
  });
});
