import { Agent, request } from 'node:http';
import { PositionBatches } from './positionBatches.ts';

export interface PostLoadOptions {
  readonly ingestUrl: string;
  readonly apiKey: string;
  readonly connections: number;
  readonly batch: number;
  readonly seconds: number;
  readonly runId: string;
  /** Vehicles per connection (default 250: 2,000 over 8 connections). */
  readonly vehiclesPerConnection?: number;
}

export interface PostLoadResult {
  readonly accepted: number;
  readonly requests: number;
  readonly non202: number;
  readonly elapsedS: number;
  /** Request written → response read, ms. */
  readonly p50: number;
  readonly p99: number;
}

/** Closed loop: each connection posts its next batch as soon as the previous one was answered. */
export async function postLoad(options: PostLoadOptions): Promise<PostLoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: options.connections });
  const url = new URL(`${options.ingestUrl}/v1/events`);
  const latencies: number[] = [];
  let accepted = 0;
  let non202 = 0;
  const started = performance.now();
  const endAt = started + options.seconds * 1000;
  const lane = async (n: number): Promise<void> => {
    const batches = new PositionBatches(options.runId, n, options.vehiclesPerConnection ?? 250);
    while (performance.now() < endAt) {
      const body = batches.next(options.batch);
      const sent = performance.now();
      const { status, text } = await post(agent, url, options.apiKey, body);
      latencies.push(performance.now() - sent);
      if (status !== 202) {
        non202++;
        continue;
      }
      accepted += (JSON.parse(text) as { accepted: number }).accepted;
    }
  };
  await Promise.all(Array.from({ length: options.connections }, (_, n) => lane(n)));
  const elapsedS = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const rank = (q: number): number => latencies[Math.min(latencies.length - 1, Math.ceil(q * latencies.length) - 1)] ?? NaN;
  return { accepted, requests: latencies.length, non202, elapsedS, p50: rank(0.5), p99: rank(0.99) };
}

function post(agent: Agent, url: URL, apiKey: string, body: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent, headers: { 'content-type': 'application/x-ndjson', 'x-api-key': apiKey, 'content-length': Buffer.byteLength(body) } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}
