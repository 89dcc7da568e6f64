import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isStale, runDemoSimulation, SIMULATION_STATE_FILE } from '../src/demoSimulation.ts';

const silent = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

let server: Server | undefined;
let dir: string | undefined;
afterEach(() => {
  server?.close();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

describe('demo simulation pacing', () => {
  it('runs at its speed until it has caught up with the wall clock, then in real time, never posting a fix dated after it', async () => {
    // The wall clock of this test stands at 07:01 on the simulated day when the run starts at 07:00.
    const base = Date.parse('2026-03-02T07:01:00+08:00');
    const t0 = Date.now();
    const now = () => base + (Date.now() - t0);
    const received: { atMs: number; occurredAt: string[] }[] = [];
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        const lines = body.trim().split('\n').filter((l) => l !== '');
        // The simulator also sends malformed lines on purpose (ingest must refuse them): not fixes.
        const occurredAt = lines.flatMap((l) => {
          try {
            return [(JSON.parse(l) as { occurredAt: string }).occurredAt];
          } catch {
            return [];
          }
        });
        received.push({ atMs: now(), occurredAt });
        res.writeHead(202, { 'content-type': 'application/json' }).end(JSON.stringify({ accepted: lines.length, rejected: 0, duplicates: 0, conflicts: 0, results: [] }));
      });
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    dir = mkdtempSync(join(tmpdir(), 'dgt-demo-pacing-'));
    writeFileSync(join(dir, SIMULATION_STATE_FILE), JSON.stringify({ seed: 'demo-1', start: '2026-03-02', days: 1, resumeAtMs: 0 }));
    const abort = new AbortController();
    // 10 s: the night before 07:00 (sent at once) holds early-morning runs since #15, and the
    // catch-up alone takes 2 s; on a busy machine 6 s did not always reach the real-time part.
    const stopAt = setTimeout(() => abort.abort(), 10_000);
    await runDemoSimulation({
      ingestUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      ingestKey: 'k',
      dataDir: dir,
      speed: 30,
      vehicles: 40,
      signal: abort.signal,
      log: silent,
      now,
    });
    clearTimeout(stopAt);
    const fixes = received.flatMap((r) => r.occurredAt.map((o) => ({ at: r.atMs, ms: Date.parse(o) })));
    const ahead = fixes.filter((f) => f.ms > f.at);
    expect(ahead).toEqual([]);
    // It did get past the catch-up: fixes from after 07:01 were sent, in real time.
    expect(fixes.some((f) => f.ms > base)).toBe(true);
    // At 30× it would have reached 07:05 in these 10 s; in real time it stays near 07:01.
    expect(Math.max(...fixes.map((f) => f.ms))).toBeLessThan(base + 15_000);
  }, 30_000);

  it('does not resume a saved run older than the gateway takes', () => {
    const now = Date.parse('2026-12-02T12:00:00Z');
    expect(isStale({ seed: 'demo-1', start: '2026-11-30', days: 2, resumeAtMs: 0 }, now)).toBe(false);
    expect(isStale({ seed: 'demo-1', start: '2026-11-20', days: 2, resumeAtMs: 0 }, now)).toBe(true);
    expect(isStale({ seed: 'demo-1', start: '2026-11-20', days: 2, resumeAtMs: Date.parse('2026-11-30T00:00:00Z') }, now)).toBe(false);
  });
});
