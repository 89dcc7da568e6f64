/**
 * The reference: bare kafkajs moving the same message bytes with the same producer settings
 * as the gateway (idempotent, acks=all, one request in flight) and the same consumer commit
 * pattern as the recorder (eachBatch, commit after the batch), without HTTP, validation or a store.
 * Run as two processes like the pipeline: BARE_ROLE=produce | consume.
 */
import { CompressionTypes, Kafka, logLevel, Partitioners } from 'kafkajs';
import { LaneBatches } from './positions.ts';

const env = process.env;
const brokers = (env.BARE_BROKERS ?? '').split(',');
const topic = env.BARE_TOPIC ?? 'bare';
const kafka = new Kafka({ clientId: `bare-${env.BARE_ROLE}`, brokers, logLevel: logLevel.NOTHING });

function emit(line: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

async function produce(): Promise<void> {
  const seconds = Number(env.BARE_SECONDS ?? 30);
  const batchSize = Number(env.BARE_BATCH ?? 2000);
  const lanes = Number(env.BARE_LANES ?? 4);
  const vehicles = Number(env.BARE_VEHICLES ?? 2000);
  const runId = env.BARE_RUN_ID ?? 'bare';
  const warmupSeconds = Number(env.BARE_WARMUP_SECONDS ?? 0);
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  const sources = Array.from({ length: lanes }, (_, lane) => new LaneBatches(runId, lane, lanes, vehicles));
  const drive = (until: number) =>
    Promise.all(
      sources.map(async (source) => {
        let sent = 0;
        while (Date.now() < until) {
          const events = source.nextEvents(batchSize);
          const ingestedAt = new Date().toISOString();
          await producer.send({
            topic,
            acks: -1,
            compression: CompressionTypes.None,
            messages: events.map((e) => ({
              key: e.vehicleId,
              value: Buffer.from(e.json, 'utf8'),
              headers: { 'dgt-event-type': 'VehiclePositionReported', 'dgt-event-id': e.eventId, 'dgt-ingested-at': ingestedAt },
            })),
          });
          sent += events.length;
        }
        return sent;
      }),
    ).then((counts) => counts.reduce((a, b) => a + b, 0));
  // Warm-up as the pipeline's (its JIT, the broker's); counted apart and announced before the window.
  const warmed = warmupSeconds > 0 ? await drive(Date.now() + warmupSeconds * 1000) : 0;
  emit({ warmed });
  const startedAt = Date.now();
  const produced = await drive(startedAt + seconds * 1000);
  emit({ produced, startedAt, endedAt: Date.now() });
  await producer.disconnect();
}

async function consume(): Promise<void> {
  const consumer = kafka.consumer({ groupId: `${topic}-group`, maxWaitTimeInMs: 500, sessionTimeout: 10_000, heartbeatInterval: 1000 });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  let consumed = 0;
  let lastAt = 0;
  setInterval(() => emit({ consumed, lastAt }), 250).unref();
  await consumer.run({
    autoCommit: false,
    eachBatchAutoResolve: false,
    partitionsConsumedConcurrently: 1,
    eachBatch: async ({ batch, resolveOffset, commitOffsetsIfNecessary }) => {
      if (batch.messages.length === 0) return;
      for (const m of batch.messages) if (m.value === null) throw new Error('empty message');
      const last = batch.lastOffset();
      resolveOffset(last);
      await commitOffsetsIfNecessary({ topics: [{ topic: batch.topic, partitions: [{ partition: batch.partition, offset: String(BigInt(last) + 1n) }] }] });
      consumed += batch.messages.length;
      lastAt = Date.now();
    },
  });
  emit({ joined: true });
  const stop = () => void consumer.disconnect().finally(() => process.exit(0));
  process.once('SIGTERM', stop);
}

(env.BARE_ROLE === 'produce' ? produce() : consume()).catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
