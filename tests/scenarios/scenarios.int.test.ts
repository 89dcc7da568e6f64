import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runDgt } from '../src/runDgt.ts';

/*
 * Hand-written scenarios: each folder holds input.ndjson, the detections a person worked out
 * from the rules (expected.ndjson) and scenario.json (what it shows; refusals expected on stderr).
 * They run through the real `dgt detect` executable.
 */
const dir = new URL('.', import.meta.url).pathname;
const scenarios = readdirSync(dir, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

function lines(text: string): unknown[] {
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as unknown);
}

describe.concurrent('dgt detect scenarios', () => {
  it('has at least the fourteen scenarios the foundation asks for', () => {
    expect(scenarios.length).toBeGreaterThanOrEqual(14);
  });

  for (const name of scenarios) {
    const meta = JSON.parse(readFileSync(join(dir, name, 'scenario.json'), 'utf8')) as {
      description: string;
      refused?: { eventId: string; code: string }[];
    };
    it(`${name}: ${meta.description}`, async () => {
      const result = await runDgt(['detect', join(dir, name, 'input.ndjson')]);
      expect(result.stderr).toContain(' 0 invalid lines skipped');
      expect(result.code).toBe(0);
      expect(lines(result.stdout)).toEqual(lines(readFileSync(join(dir, name, 'expected.ndjson'), 'utf8')));
      for (const r of meta.refused ?? []) expect(result.stderr).toContain(`${r.eventId}: ${r.code}`);
      if (!meta.refused) expect(result.stderr).not.toMatch(/: refused /);
    });
  }

  for (const name of ['13-gcj02-zone', '24-tunnel-passed-between-two-fixes', '20-seventy-in-a-sixty-segment-is-overspeed-laden-or-empty']) {
    it(`gives byte-identical output when the same events are run twice (${name})`, async () => {
      const input = join(dir, name, 'input.ndjson');
      const [a, b] = await Promise.all([runDgt(['detect', input]), runDgt(['detect', input])]);
      expect(a.stdout.length).toBeGreaterThan(0);
      expect(b.stdout).toBe(a.stdout);
    });
  }
});
