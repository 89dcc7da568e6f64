import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateApiKey, hashApiKey } from '@dgt/http';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { startStack, type Stack } from '../src/index.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'dgt-stack-lag-'));
let stack: Stack | undefined;

afterAll(async () => {
  await stack?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

/** The gauge's samples as `topic/partition value`. */
async function lagSamples(s: Stack): Promise<string[]> {
  const text = await s.registry.getSingleMetricAsString('dgt_recorder_consumer_lag');
  return [...text.matchAll(/^dgt_recorder_consumer_lag\{topic="([^"]+)",partition="(\d+)"\} (\d+)$/gm)].map((m) => `${m[1]}/${m[2]} ${m[3]}`);
}

describe('the embedded stack’s /metrics', () => {
  it('shows the recorder’s lag on every partition it records, asked of the bus at the scrape, back to 0 once recorded, and the bus’s own figures', async () => {
    stack = await startStack({
      dataDir,
      apiPort: 0,
      ingestPort: 0,
      apiKeys: [{ id: 'gateway', role: 'ingest', sha256: hashApiKey(generateApiKey()) }],
      logLevel: 'silent',
      defaultMetrics: false,
    });
    // Zone edits go on their topic as the registry gateway sends them; the recorder records them.
    const at = '2026-03-02T08:00:00+08:00';
    const zone = { eventId: 'z-lag-1', type: 'ZoneDesignated', occurredAt: at, data: { zoneId: 'Z-LAG', kind: 'parking-lot', name: 'lag test lot', datum: 'WGS84', polygon: [[121.4, 28.6], [121.5, 28.6], [121.5, 28.7], [121.4, 28.6]] } };
    await stack.bus.producer().send('dg.zones', [{ key: 'Z-LAG', value: JSON.stringify(zone) }]);
    await vi.waitFor(async () => {
      const samples = await lagSamples(stack!);
      // Every partition of the three recorded topics is there, whether anything waits on it or not.
      expect(samples.some((s) => s.startsWith('dg.positions/0 '))).toBe(true);
      expect(samples.some((s) => s.startsWith('dg.consignments/0 '))).toBe(true);
      expect(samples.some((s) => s.startsWith('dg.zones/0 '))).toBe(true);
      expect(samples.every((s) => s.endsWith(' 0'))).toBe(true);
    }, { timeout: 10_000 });
    // The bus's own figures: the zone edit appended, and read back from memory, not the file.
    const bus = await stack.registry.metrics();
    expect(Number(/^dgt_bus_messages_appended_total (\d+)$/m.exec(bus)?.[1])).toBeGreaterThanOrEqual(1);
    expect(Number(/^dgt_bus_tail_reads_total\{source="memory"\} (\d+)$/m.exec(bus)?.[1])).toBeGreaterThanOrEqual(1);
    expect(bus).toMatch(/^dgt_bus_tail_reads_total\{source="file"\} 0$/m);
    expect(Number(/^dgt_bus_tail_bytes (\d+)$/m.exec(bus)?.[1])).toBeGreaterThan(0);
    expect(bus).toMatch(/^dgt_bus_tail_budget_bytes \d+$/m);
    expect(Number(/^dgt_bus_transactions_total (\d+)$/m.exec(bus)?.[1])).toBeGreaterThanOrEqual(1);
    const recorded: string[] = [];
    for await (const e of stack.store.readAll()) recorded.push(e.event.eventId);
    expect(recorded).toContain('z-lag-1');
  });
});
