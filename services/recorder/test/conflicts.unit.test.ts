import type { ReceivedMessage } from '@dgt/bus';
import { canonicalJson } from '@dgt/events';
import { afterEach, describe, expect, it } from 'vitest';
import { deadLetterHeaders } from '../src/index.ts';
import { allRecorded, asMessage, harness, metricValue, position, streamEventIds, waitUntil, type Harness } from './fixtures.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function deadLetters(target: Harness): Promise<ReceivedMessage[]> {
  const dead: ReceivedMessage[] = [];
  await target.bus.consumer({ groupId: 'dlq-reader' }).run({
    topics: [target.topics.deadletter],
    eachBatch: async (batch) => void dead.push(...batch.messages),
  });
  return dead;
}

const reasonOf = (m: ReceivedMessage) => m.headers[deadLetterHeaders.reason]?.toString('utf8');

describe('recorder: an eventId re-used with other content', () => {
  it('keeps the recorded event, dead-letters the other one with reason conflict and its original bytes, and counts it', async () => {
    h = await harness();
    const original = position('V1', 0);
    const other = { ...original, data: { ...original.data, speedKmh: 0 } };
    const producer = h.bus.producer();
    await producer.send(h.topics.positions, [asMessage(original, 'V1')]);
    await h.recorder().start();
    await waitUntil(async () => (await allRecorded(h!.store)).length === 1);

    await producer.send(h.topics.positions, [asMessage(other, 'V1'), asMessage(original, 'V1'), asMessage(position('V1', 1), 'V1')]);
    const dead = await deadLetters(h);
    await waitUntil(() => dead.length === 1);
    expect(reasonOf(dead[0]!)).toBe('conflict');
    expect(dead[0]!.value.toString('utf8')).toBe(canonicalJson(other));
    expect(dead[0]!.headers[deadLetterHeaders.detail]?.toString('utf8')).toContain(original.eventId);
    const recorded = await allRecorded(h.store);
    expect(recorded.map((e) => canonicalJson(e.event))).toEqual([canonicalJson(original), canonicalJson(position('V1', 1))]);
    expect(await metricValue(h.registry, 'dgt_recorder_conflicts_total')).toBe(1);
    expect(await metricValue(h.registry, 'dgt_recorder_deadlettered_total', { reason: 'conflict' })).toBe(1);
    // The same bytes again are a redelivery: skipped, not a conflict.
    expect(await metricValue(h.registry, 'dgt_recorder_duplicates_total')).toBe(1);
  });

  it('records the first of two different events under one id in one batch and dead-letters the second', async () => {
    h = await harness();
    const first = position('V2', 0);
    const second = { ...first, occurredAt: '2026-03-01T00:10:00.000Z' };
    await h.bus.producer().send(h.topics.positions, [asMessage(first, 'V2'), asMessage(second, 'V2')]);
    await h.recorder().start();
    const dead = await deadLetters(h);
    await waitUntil(() => dead.length === 1);
    expect(dead[0]!.value.toString('utf8')).toBe(canonicalJson(second));
    expect((await allRecorded(h.store)).map((e) => canonicalJson(e.event))).toEqual([canonicalJson(first)]);
  });

  it('refuses an id in the derived namespace (a detection id squatted on the bus) as an invalid event', async () => {
    h = await harness();
    const squatter = { ...position('V3', 0), eventId: 'pos-V3-1/AccidentSegmentEntered/seg-1' };
    const crlf = { ...position('V3', 2), eventId: 'pos-V3-2\r\nx' };
    await h.bus.producer().send(h.topics.positions, [asMessage(squatter, 'V3'), asMessage(crlf, 'V3'), asMessage(position('V3', 3), 'V3')]);
    await h.recorder().start();
    const dead = await deadLetters(h);
    await waitUntil(() => dead.length === 2);
    expect(dead.map(reasonOf)).toEqual(['invalid-event', 'invalid-event']);
    expect(dead[0]!.headers[deadLetterHeaders.detail]?.toString('utf8')).toContain('eventId');
    expect(await streamEventIds(h.store, 'vehicle-V3')).toEqual(['pos-V3-3']);
  });
});
