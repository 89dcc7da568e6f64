import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
export const dgtBin = fileURLToPath(new URL('../../services/cli/bin/dgt.mjs', import.meta.url));

export interface DgtResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the real `dgt` executable as a child process. */
export function runDgt(args: string[], options: { input?: string; cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<DgtResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      process.execPath,
      [dgtBin, ...args],
      { cwd: options.cwd ?? repoRoot, maxBuffer: 256 * 1024 * 1024, env: { ...process.env, ...options.env, NO_COLOR: '1' } },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') return reject(error);
        resolve({ code: typeof error?.code === 'number' ? error.code : 0, stdout, stderr });
      },
    );
    if (options.input !== undefined) child.stdin?.end(options.input);
    else child.stdin?.end();
  });
}
