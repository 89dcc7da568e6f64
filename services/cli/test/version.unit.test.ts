import { readFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from '../src/main.ts';

describe('dgt --version', () => {
  it("prints the package's version and the Node runtime, and exits 0", async () => {
    const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    for (const flag of ['--version', '-V']) {
      const stdout = new PassThrough();
      let text = '';
      stdout.on('data', (d: Buffer) => (text += d.toString()));
      expect(await main([flag], { stdin: new PassThrough(), stdout, stderr: new PassThrough() })).toBe(0);
      expect(text).toBe(`dgt ${version} (Node ${process.version})\n`);
    }
  });
});
