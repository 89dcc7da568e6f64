import { setTimeout as sleep } from 'node:timers/promises';
import { parentPort, workerData } from 'node:worker_threads';

/*
 * One loader thread of the crash tests: posts NDJSON batches of `minBatch`–`maxBatch` position
 * fixes to the ingest gateway, one request at a time, each event with a fresh id, and reports to
 * the parent exactly the ids a 202 answered `accepted` for. A request that fails (the stack was
 * killed, or is still starting) reports nothing and the thread goes on with a new batch after a
 * short pause; it never counts a batch it did not see acknowledged. Each report carries when its
 * request was sent. 'pause' holds the thread between requests (while the stack restarts),
 * 'resume' lets it go on, 'stop' ends it. Plain JavaScript: a worker thread runs outside vitest's
 * TypeScript transform.
 */

const { ingestUrl, apiKey, runTag, worker, minBatch, maxBatch } = workerData;
let stopping = false;
let paused = false;
parentPort.on('message', (message) => {
  if (message === 'stop') stopping = true;
  if (message === 'pause') paused = true;
  if (message === 'resume') paused = false;
});

let seq = 0;
while (!stopping) {
  if (paused) {
    await sleep(20);
    continue;
  }
  const size = minBatch + Math.floor(Math.random() * (maxBatch - minBatch + 1));
  // Dated just before now: ingest refuses fixes outside its plausibility window.
  const at = new Date(Date.now() - 30_000).toISOString();
  const ids = [];
  let body = '';
  for (let i = 0; i < size; i++) {
    const n = seq++;
    const id = `crash-${runTag}-w${worker}-${n}`;
    ids.push(id);
    // Far from every seeded zone: no detections, so the projector never writes to the event store.
    const lon = (101.3 + (n % 97) * 0.001).toFixed(5);
    const lat = (40.5 + (n % 89) * 0.001).toFixed(5);
    body += `{"eventId":"${id}","type":"VehiclePositionReported","occurredAt":"${at}","data":{"vehicleId":"CRASH-${runTag}-W${worker}-V${n % 40}","lon":${lon},"lat":${lat},"speedKmh":${n % 80}}}\n`;
  }
  const sentAt = Date.now();
  try {
    const res = await fetch(`${ingestUrl}/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson', 'x-api-key': apiKey },
      body,
      signal: AbortSignal.timeout(30_000),
    });
    const text = await res.text();
    if (res.status === 202) {
      const answer = JSON.parse(text);
      const acked = answer.results.filter((r) => r.status === 'accepted').map((r) => ids[r.index]);
      parentPort.postMessage({ kind: 'acked', ids: acked, sentAt, notAccepted: answer.results.length - acked.length });
    } else {
      parentPort.postMessage({ kind: 'refused', status: res.status });
      await sleep(50);
    }
  } catch {
    parentPort.postMessage({ kind: 'failed' });
    await sleep(100);
  }
}
parentPort.postMessage({ kind: 'stopped' });
