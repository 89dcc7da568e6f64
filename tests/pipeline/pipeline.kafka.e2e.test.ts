import { setTimeout as sleep } from 'node:timers/promises';
import { canonicalJson } from '@dgt/events';
import { afterEach, describe, expect, it } from 'vitest';
import { kafkaForTests, startBroker, stopBroker } from '../kafka/broker.ts';
import { consignmentsAndZones, fleet, positionEvent } from './support/fleet.ts';
import { postEvents, postLanes } from './support/gateway.ts';
import { produceRaw, readTopic } from './support/kafkaTopics.ts';
import { scrapeMetric } from './support/metrics.ts';
import { pipelineEnv, startIngest, startRecorder, type PipelineEnv } from './support/pipeline.ts';
import { killAllServices } from './support/services.ts';
import { readStore, waitForStoreCount } from './support/storeReader.ts';
import { duplicateIds, streamMismatches } from './support/verify.ts';

const kafka = kafkaForTests();
const RECORD_TIMEOUT_MS = 60_000;

let env: PipelineEnv | undefined;
afterEach(async () => {
  await killAllServices();
  await env?.dispose();
  env = undefined;
});

/**
 * The whole pipeline as deployed: the ingest gateway and the recorder as real processes
 * (`node --import tsx …/main.ts`), a real broker, and the SQLite store read back at the end.
 */
describe.skipIf(!kafka.available)(`pipeline: gateway → Kafka → recorder → event store (${kafka.source} broker)`, () => {
  it('(a) records a mixed stream of 10,000+ events from 120 vehicles exactly once, in per-vehicle order', async () => {
    env = await pipelineEnv(kafka.brokers, 'mixed');
    await startRecorder(env);
    const ingest = await startIngest(env);
    const positions = fleet({ runId: env.runId, vehicles: 120, perVehicle: 84, batchSize: 500, lanes: 4 });
    const other = consignmentsAndZones(env.runId, 20, 3);
    const otherBatches = [other.events.slice(0, 30), other.events.slice(30)];

    const stats = await postLanes(ingest.url, env.keys.ingest, [...positions.lanes, otherBatches]);
    const total = positions.total + other.events.length;
    expect(positions.total).toBeGreaterThanOrEqual(10_000);
    expect(stats.acceptedIds.size).toBe(total);

    const snapshot = await waitForStoreCount(env.storePath, total, RECORD_TIMEOUT_MS);
    expect(snapshot.total).toBe(total);
    expect(streamMismatches(snapshot, positions.expected)).toEqual([]);
    expect(streamMismatches(snapshot, other.expected)).toEqual([]);
    expect(duplicateIds(snapshot)).toEqual([]);
  });

  it('(b) loses and duplicates nothing when the recorder is SIGKILLed mid-stream and restarted', async () => {
    env = await pipelineEnv(kafka.brokers, 'crash');
    const p = env;
    let recorder = await startRecorder(p);
    const ingest = await startIngest(p);
    const positions = fleet({ runId: p.runId, vehicles: 120, perVehicle: 84, batchSize: 300, lanes: 3 });
    const batches = positions.lanes.reduce((n, lane) => n + lane.length, 0);
    let recordedAtKill = -1;

    await postLanes(ingest.url, p.keys.ingest, positions.lanes, {
      onBatch: async (accepted) => {
        if (accepted === Math.floor(batches / 3)) {
          // Mid-stream: the recorder has recorded some events and has more in flight.
          recordedAtKill = (await waitForStoreCount(p.storePath, 1, RECORD_TIMEOUT_MS)).total;
          await recorder.proc.kill('SIGKILL');
        }
        if (accepted === Math.floor((2 * batches) / 3)) recorder = await startRecorder(p);
      },
    });

    expect(recordedAtKill).toBeGreaterThan(0);
    expect(recordedAtKill).toBeLessThan(positions.total);
    const snapshot = await waitForStoreCount(p.storePath, positions.total, RECORD_TIMEOUT_MS);
    await sleep(1000); // anything redelivered late would show up as an extra event
    const settled = await readStore(p.storePath);
    expect(settled.total).toBe(positions.total);
    expect(streamMismatches(snapshot, positions.expected)).toEqual([]);
    expect(duplicateIds(settled)).toEqual([]);
  });

  it('(c) dead-letters malformed messages, drops duplicates, and records every good event around them once', async () => {
    env = await pipelineEnv(kafka.brokers, 'dirty');
    const recorder = await startRecorder(env);
    const ingest = await startIngest(env);
    const positions = fleet({ runId: env.runId, vehicles: 100, perVehicle: 20, batchSize: 250, lanes: 2 });
    await postLanes(ingest.url, env.keys.ingest, positions.lanes);

    // Duplicates through the gateway: the same batches posted again are answered `duplicate` by the
    // gateway (it remembers what it accepted) and not published again.
    const again = positions.lanes[0]?.slice(0, 3) ?? [];
    for (const batch of again) {
      const reposted = await postEvents(ingest.url, env.keys.ingest, batch);
      expect(reposted.status).toBe(202);
      expect(reposted.body).toMatchObject({ accepted: 0, duplicates: batch.length, conflicts: 0 });
    }

    // Invalid items are refused per item by the gateway; their valid neighbour is accepted.
    const extra = positionEvent(env.runId, 0, 1000);
    const detection = { eventId: `${env.runId}-det`, type: 'IllegalParkingStarted', occurredAt: extra.occurredAt, data: { vehicleId: 'X' } };
    const badLat = { ...positionEvent(env.runId, 1, 1000), data: { ...extra.data, lat: 95 } };
    const unknown = { ...extra, eventId: `${env.runId}-unknown`, type: 'VehicleTeleported' };
    const mixed = await postEvents(ingest.url, env.keys.ingest, [extra, badLat, detection, unknown, extra]);
    expect(mixed.status).toBe(202);
    const results = (mixed.body as { results: { status: string; reason?: string }[] }).results;
    expect(results.map((r) => [r.status, r.reason])).toEqual([
      ['accepted', undefined],
      ['rejected', 'invalid'],
      ['rejected', 'detection_not_ingestible'],
      ['rejected', 'unknown_type'],
      ['rejected', 'duplicate_in_batch'],
    ]);

    // Malformed messages straight onto the positions topic, keyed like live vehicles, followed by good ones.
    const notJson = Buffer.from('{"eventId": "cut off', 'utf8');
    const invalid = Buffer.from(JSON.stringify({ ...positionEvent(env.runId, 2, 2000), occurredAt: 'yesterday' }), 'utf8');
    const misrouted = Buffer.from(canonicalJson(consignmentsAndZones(`${env.runId}-raw`, 1, 0).events[0] as never), 'utf8');
    const afterBad = positionEvent(env.runId, 2, 1001);
    const topic = `${env.topicPrefix}positions`;
    await produceRaw(kafka.brokers, topic, [
      { key: `${env.runId}-V2`, value: notJson },
      { key: `${env.runId}-V2`, value: invalid },
      { key: `${env.runId}-V3`, value: misrouted },
      { key: `${env.runId}-V2`, value: canonicalJson(afterBad) },
      { key: `${env.runId}-V2`, value: canonicalJson(afterBad) },
    ]);

    const total = positions.total + 2;
    const snapshot = await waitForStoreCount(env.storePath, total, RECORD_TIMEOUT_MS);
    const dead = await readTopic(kafka.brokers, `${env.topicPrefix}deadletter`, 3, 30_000);
    expect(dead.map((m) => m.headers['dgt-dlq-reason']?.toString()).sort()).toEqual(['invalid-event', 'malformed-json', 'wrong-topic']);
    const byReason = new Map(dead.map((m) => [m.headers['dgt-dlq-reason']?.toString(), m]));
    expect(byReason.get('malformed-json')?.value.equals(notJson)).toBe(true);
    expect(byReason.get('invalid-event')?.value.equals(invalid)).toBe(true);
    expect(byReason.get('wrong-topic')?.value.equals(misrouted)).toBe(true);
    expect(byReason.get('wrong-topic')?.headers['dgt-dlq-topic']?.toString()).toBe(topic);

    await sleep(1000);
    const settled = await readStore(env.storePath);
    expect(settled.total).toBe(total);
    const expected = new Map(positions.expected);
    expected.set(`vehicle-${env.runId}-V0`, [...(positions.expected.get(`vehicle-${env.runId}-V0`) ?? []), extra.eventId]);
    expected.set(`vehicle-${env.runId}-V2`, [...(positions.expected.get(`vehicle-${env.runId}-V2`) ?? []), afterBad.eventId]);
    expect(streamMismatches(snapshot, expected)).toEqual([]);
    expect(duplicateIds(settled)).toEqual([]);

    const metric = (name: string, labels: Record<string, string> = {}) => scrapeMetric(recorder.metricsUrl, env!.keys.metrics, name, labels);
    expect(await metric('dgt_recorder_deadlettered_total')).toBe(3);
    expect(await metric('dgt_recorder_deadlettered_total', { reason: 'wrong-topic' })).toBe(1);
    // Only the raw message produced twice reached the recorder twice.
    expect(await metric('dgt_recorder_duplicates_total')).toBe(1);
    expect(await metric('dgt_recorder_events_appended_total')).toBe(total);
  });

  it.skipIf(!kafka.controllable)('(d) records every accepted batch when the broker stops and restarts while the gateway is posting (503 meanwhile)', async () => {
    env = await pipelineEnv(kafka.brokers, 'outage');
    await startRecorder(env);
    const ingest = await startIngest(env, { INGEST_PUBLISH_TIMEOUT_MS: '1500' });
    const positions = fleet({ runId: env.runId, vehicles: 100, perVehicle: 40, batchSize: 50, lanes: 4 });
    const batches = positions.lanes.reduce((n, lane) => n + lane.length, 0);
    let outage: Promise<void> | undefined;

    const stats = await postLanes(ingest.url, env.keys.ingest, positions.lanes, {
      retryDelayMs: 300,
      onBatch: async (accepted) => {
        if (accepted === Math.floor(batches / 4)) {
          outage = (async () => {
            await stopBroker();
            await sleep(3000);
            await startBroker();
          })();
        }
        // Paced, so that posting spans the outage.
        await sleep(40);
      },
    });
    await outage;

    expect(stats.unavailable).toBeGreaterThan(0);
    expect(stats.acceptedIds.size).toBe(positions.total);
    const snapshot = await waitForStoreCount(env.storePath, positions.total, 90_000);
    expect(snapshot.total).toBe(positions.total);
    expect(streamMismatches(snapshot, positions.expected)).toEqual([]);
    expect(duplicateIds(snapshot)).toEqual([]);
  }, 180_000);

  it('(e) two recorders in one group share the partitions; killing one hands its partitions to the other with nothing lost or duplicated', async () => {
    env = await pipelineEnv(kafka.brokers, 'group');
    const session = { RECORDER_SESSION_TIMEOUT_MS: '6000' };
    const first = await startRecorder(env, session);
    const second = await startRecorder(env, session);
    const ingest = await startIngest(env);
    await sleep(4000); // the group rebalances onto both members
    const positions = fleet({ runId: env.runId, vehicles: 120, perVehicle: 60, batchSize: 300, lanes: 4 });
    const half = positions.lanes.map((lane) => lane.slice(0, Math.ceil(lane.length / 2)));
    const rest = positions.lanes.map((lane) => lane.slice(Math.ceil(lane.length / 2)));
    const halfCount = half.flat().reduce((n, b) => n + b.length, 0);

    await postLanes(ingest.url, env.keys.ingest, half);
    await waitForStoreCount(env.storePath, halfCount, RECORD_TIMEOUT_MS);
    const consumed = (r: typeof first) => scrapeMetric(r.metricsUrl, env!.keys.metrics, 'dgt_recorder_messages_consumed_total');
    const firstShare = await consumed(first);
    const secondShare = await consumed(second);
    expect(firstShare).toBeGreaterThan(0);
    expect(secondShare).toBeGreaterThan(0);
    expect(firstShare + secondShare).toBeGreaterThanOrEqual(halfCount);

    await first.proc.kill('SIGKILL');
    await postLanes(ingest.url, env.keys.ingest, rest);
    const snapshot = await waitForStoreCount(env.storePath, positions.total, RECORD_TIMEOUT_MS);
    await sleep(1000);
    const settled = await readStore(env.storePath);
    expect(settled.total).toBe(positions.total);
    expect(streamMismatches(snapshot, positions.expected)).toEqual([]);
    expect(duplicateIds(settled)).toEqual([]);
    // The survivor took over the dead member's partitions: it consumed the whole second half itself.
    expect(await consumed(second)).toBeGreaterThanOrEqual(secondShare + (positions.total - halfCount));
  }, 120_000);
});
