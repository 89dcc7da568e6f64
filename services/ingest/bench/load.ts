import { Agent, request } from 'node:http';
import { PositionBodies } from './positionBodies.ts';

export interface LoadResult {
  /** Positions accepted in 202 answers (the reference answers with how many it parsed). */
  readonly positions: number;
  readonly requests: number;
  readonly non202: number;
  readonly elapsedS: number;
  readonly p50: number;
  readonly p99: number;
}

/** Closed loop: each of `connections` keep-alive connections posts its next body as soon as the last was answered. */
export async function load(port: number, apiKey: string, options: { connections: number; batch: number; seconds: number; runId: string }): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: options.connections });
  const latencies: number[] = [];
  let positions = 0;
  let non202 = 0;
  const started = performance.now();
  const endAt = started + options.seconds * 1000;
  const lane = async (n: number): Promise<void> => {
    const bodies = new PositionBodies(options.runId, n);
    while (performance.now() < endAt) {
      const body = bodies.next(options.batch);
      const sent = performance.now();
      const { status, accepted } = await post(agent, port, apiKey, body);
      latencies.push(performance.now() - sent);
      if (status === 202) positions += accepted;
      else non202++;
    }
  };
  await Promise.all(Array.from({ length: options.connections }, (_, n) => lane(n)));
  const elapsedS = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const rank = (q: number): number => latencies[Math.min(latencies.length - 1, Math.ceil(q * latencies.length) - 1)] ?? NaN;
  return { positions, requests: latencies.length, non202, elapsedS, p50: rank(0.5), p99: rank(0.99) };
}

function post(agent: Agent, port: number, apiKey: string, body: string): Promise<{ status: number; accepted: number }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path: '/v1/events', method: 'POST', agent, headers: { 'content-type': 'application/json', 'x-api-key': apiKey, 'content-length': Buffer.byteLength(body) } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, accepted: res.statusCode === 202 ? acceptedOf(text) : 0 }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * `accepted` of a 202 answer. Both servers write it first (`{"accepted":N,…`); reading only that
 * keeps the loader, which shares the two cores with the server, from parsing the gateway's 500
 * results per answer when the reference answers with one number. Any other answer is parsed.
 */
function acceptedOf(text: string): number {
  const head = /^\{"accepted":(\d+)[,}]/.exec(text);
  return head === null ? (JSON.parse(text) as { accepted: number }).accepted : Number(head[1]);
}
