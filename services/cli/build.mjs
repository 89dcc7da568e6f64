// Bundles `dgt detect` (src/detectEntry.ts and the workspace code it imports) into dist/, so the
// bin starts it without transpiling TypeScript: ~2 s of tsx start-up become a fraction of a second.
// Packages from node_modules stay imports (they are JavaScript already). dist/detect.inputs.json
// lists every bundled source with its size and mtime: the bin uses the bundle only while all of
// them are unchanged, and runs the sources through tsx otherwise (see bin/dgt.mjs).
import { statSync, writeFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = fileURLToPath(new URL('.', import.meta.url));

/**
 * Bundles the workspace's own packages (`@dgt/*`, TypeScript) and leaves every other package to
 * Node. Workspace modules are declared free of import side effects (none is imported for one):
 * what detect does not use is left out with the packages it imports — @dgt/replay, which the
 * thresholds file comes from, would otherwise load the EventStoreDB client and SQLite at start-up.
 */
const workspaceOnly = {
  name: 'workspace-only',
  setup(b) {
    b.onResolve({ filter: /.*/ }, async (args) => {
      if (args.pluginData?.resolving === true || args.kind === 'entry-point') return undefined;
      if (/^[^./]/.test(args.path) && !args.path.startsWith('@dgt/')) return { path: args.path, external: true };
      const resolved = await b.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: { resolving: true } });
      if (resolved.errors.length > 0) return { errors: resolved.errors };
      return { path: resolved.path, namespace: resolved.namespace, sideEffects: false };
    });
  },
};

const result = await build({
  absWorkingDir: here,
  entryPoints: { detect: 'src/detectEntry.ts' },
  outdir: 'dist',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: 'linked',
  metafile: true,
  logLevel: 'warning',
  plugins: [workspaceOnly],
});

const inputs = {};
for (const input of Object.keys(result.metafile.inputs)) {
  const path = resolve(here, input);
  const { size, mtimeMs } = statSync(path);
  inputs[relative(here, path)] = { size, mtimeMs };
}
writeFileSync(resolve(here, 'dist/detect.inputs.json'), JSON.stringify({ inputs }, null, 1) + '\n');
