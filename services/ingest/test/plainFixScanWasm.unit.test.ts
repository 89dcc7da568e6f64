import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compilePlainFixScan, embedded, embeddedSource } from '../wasm/build.ts';

describe('the fix scanner the gateway loads', () => {
  it('is what the AssemblyScript compiler makes of wasm/plainFixScan.as.ts now (run `npm run build:wasm -w @dgt/ingest` after changing it)', async () => {
    const bytes = await compilePlainFixScan();
    expect(bytes.subarray(0, 4).toString('latin1')).toBe('\0asm');
    expect(readFileSync(embedded, 'utf8')).toBe(embeddedSource(bytes));
  }, 60_000);
});
