#!/usr/bin/env -S node --max-semi-space-size=64
// The larger young generation is for `dgt projector` and `dgt replay` (see services/projector/README.md).
// `dgt detect` runs from the bundle `npm run build` writes (services/cli/dist, see build.mjs) while
// every source it was built from is unchanged: it starts in a fraction of a second. Everything
// else, and detect without a current bundle, runs the TypeScript sources through tsx (no build
// step), so `npx dgt` works right after `npm ci`. DGT_FROM_SOURCE=1 always takes the sources.
import { readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const argv = process.argv.slice(2);
const io = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr };
const dist = new URL('../dist/', import.meta.url);

process.exitCode = (await fromBundle()) ?? (await fromSources());

async function fromBundle() {
  if (argv[0] !== 'detect' || process.env.DGT_FROM_SOURCE === '1' || !bundleIsCurrent()) return undefined;
  const { runDetect } = await import(new URL('detect.mjs', dist).href);
  return runDetect(argv.slice(1), io);
}

async function fromSources() {
  const { register } = await import('tsx/esm/api');
  register();
  const { main } = await import('../src/main.ts');
  return main(argv, io);
}

/** True when every source the bundle was built from still has its size and mtime (a few ms for ~100 files). */
function bundleIsCurrent() {
  try {
    const { inputs } = JSON.parse(readFileSync(new URL('detect.inputs.json', dist), 'utf8'));
    const root = fileURLToPath(new URL('..', import.meta.url));
    for (const [path, built] of Object.entries(inputs)) {
      const now = statSync(`${root}/${path}`);
      if (now.size !== built.size || now.mtimeMs !== built.mtimeMs) return false;
    }
    return true;
  } catch {
    return false;
  }
}
