import { detect, detectHelp } from './commands/detect.ts';
import type { Io } from './io.ts';
import { runCommand } from './runCommand.ts';

/**
 * `dgt detect` alone: the entry of the bundle `npm run build` writes to dist/ (see build.mjs), so
 * the command that streams millions of lines starts in a fraction of a second.
 */
export function runDetect(argv: string[], io: Io): Promise<number> {
  return runCommand('detect', { help: detectHelp, run: detect }, argv, io);
}
