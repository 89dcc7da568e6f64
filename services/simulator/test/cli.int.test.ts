import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const dgt = join(root, 'services/cli/bin/dgt.mjs');
const dir = mkdtempSync(join(tmpdir(), 'dgt-sim-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [dgt, ...args], { cwd: root, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error && typeof error.code !== 'number') return reject(error);
      resolve({ code: typeof error?.code === 'number' ? error.code : 0, stdout, stderr });
    });
  });
}

describe('dgt simulate and dgt eval', () => {
  it('writes the same NDJSON, malformed file and truth on every run with the same seed, and dgt detect reads it', async () => {
    const outs = [0, 1].map((i) => ({ out: join(dir, `run${i}.ndjson`), bad: join(dir, `bad${i}.ndjson`), truth: join(dir, `truth${i}.json`) }));
    for (const o of outs) {
      const r = await run(['simulate', '--vehicles', '4', '--seed', 'cli', '--out', o.out, '--malformed', o.bad, '--truth', o.truth]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toMatch(/4 vehicles × 1 day\(s\)/);
    }
    expect(readFileSync(outs[1]!.out, 'utf8')).toBe(readFileSync(outs[0]!.out, 'utf8'));
    expect(readFileSync(outs[1]!.truth, 'utf8')).toBe(readFileSync(outs[0]!.truth, 'utf8'));
    const truth = JSON.parse(readFileSync(outs[0]!.truth, 'utf8')) as { segments: unknown[]; parking: unknown[]; vehicles: number };
    expect(truth.vehicles).toBe(4);
    const detect = await run(['detect', outs[0]!.out]);
    expect(detect.code, detect.stderr).toBe(0);
    expect(detect.stderr).toMatch(/0 refused, .* 0 invalid lines skipped/);
  });

  it('prints the accuracy table per kind and exits 0 exactly when every kind reaches the target', async () => {
    const r = await run(['eval', '--vehicles', '8', '--days', '1', '--seed', 'cli']);
    expect(r.stdout).toMatch(/illegal-parking\s+violation\s+\d+/);
    expect(r.stdout).toMatch(/restricted-entry\s+violation\s+\d+/);
    expect(r.stdout).toMatch(/overspeed\s+violation\s+\d+/);
    expect(r.stdout).toMatch(/segment-passage\s+advisory\s+\d+/);
    const passed = /^PASS/m.test(r.stdout);
    expect(passed || /^FAIL/m.test(r.stdout)).toBe(true);
    expect(r.code).toBe(passed ? 0 : 1);
  });

  it('refuses --ingest without an API key, and two outputs at once', async () => {
    const noKey = await run(['simulate', '--ingest', 'http://127.0.0.1:9']);
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toMatch(/--api-key/);
    const two = await run(['simulate', '--out', join(dir, 'x'), '--kafka', 'localhost:9092']);
    expect(two.code).toBe(2);
    expect(two.stderr).toMatch(/choose one output/);
  });
});
