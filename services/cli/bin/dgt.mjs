#!/usr/bin/env -S node --max-semi-space-size=64
// The larger young generation is for `dgt projector` and `dgt replay` (see services/projector/README.md).
// Runs the TypeScript sources directly (no build step), so `npx dgt` works right after `npm ci`.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/main.ts');
process.exitCode = await main(process.argv.slice(2), {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
});
