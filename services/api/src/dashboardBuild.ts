import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultDashboardDistDir } from './routes/dashboard.ts';

/*
 * The monitoring desk's bundle (Vite) is built from services/api/dashboard into
 * services/api/dashboard-dist. `npm start` and the browser tests build it only when it is missing
 * or older than its sources, so a start after an unchanged checkout (and `npm start -- --help`)
 * costs no build.
 */

export const dashboardSourceDir = fileURLToPath(new URL('../dashboard', import.meta.url));
export const dashboardDistDir = defaultDashboardDistDir;

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Whether the bundle exists and is at least as new as every source file of the desk. */
export function dashboardIsCurrent(): boolean {
  const index = join(dashboardDistDir, 'index.html');
  return existsSync(index) && statSync(index).mtimeMs >= newestMtime(dashboardSourceDir);
}

/**
 * Builds the bundle (vite, in a child process) unless it is current; true when it built. Builds
 * into a private directory and swaps it in, so processes building at once never serve a
 * half-written bundle.
 */
export function ensureDashboardBuilt(): boolean {
  if (dashboardIsCurrent()) return false;
  const vite = join(dirname(createRequire(import.meta.url).resolve('vite/package.json')), 'bin/vite.js');
  const outDir = `${dashboardDistDir}.build-${process.pid}`;
  const result = spawnSync(process.execPath, [vite, 'build', '--config', join(dashboardSourceDir, 'vite.config.ts'), '--outDir', outDir, '--emptyOutDir'], {
    cwd: dirname(dashboardSourceDir),
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (result.status !== 0) {
    rmSync(outDir, { recursive: true, force: true });
    throw new Error(`dashboard build failed (exit ${result.status}):\n${result.stdout}\n${result.stderr}`);
  }
  rmSync(dashboardDistDir, { recursive: true, force: true });
  renameSync(outDir, dashboardDistDir);
  return true;
}
