import { parseArgs } from 'node:util';
import { readProjectorEnv } from './env.ts';
import { runProjector } from './run.ts';

/** The projector process: `npm start -w @dgt/projector [-- --rebuild] [-- --once]` (configuration: env.ts). */
async function main(): Promise<number> {
  const { values } = parseArgs({ options: { rebuild: { type: 'boolean', default: false }, once: { type: 'boolean', default: false } } });
  const stopSignal = new Promise<string>((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });
  return runProjector(readProjectorEnv(), { rebuild: values.rebuild, once: values.once, progress: process.stderr, stopSignal });
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`projector failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
