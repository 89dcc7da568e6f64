import { parseArgs } from 'node:util';
import { isDataDirLockError } from '@dgt/datadir';
import { readProjectorEnv, runProjector } from '@dgt/projector';
import type { Io } from '../io.ts';

export const projectorHelp = `Usage: dgt projector [--rebuild] [--once]

Runs the projector: event store → detection engine → read models, detections and alerts.
Configured from the environment like the service (DGT_EVENTSTORE*, DGT_READMODELS*,
KAFKA_BROKERS, PROJECTOR_*; see services/projector/README.md). Refused while another process
(a running "npm start", another projector) holds the read models' directory (its dgt.lock).

Options:
  --rebuild   drop the read models and engine state, project the whole store again
              (progress on stderr), then keep following unless --once
  --once      project what is recorded now, then exit
  -h, --help  show this help`;

export async function projector(argv: string[], io: Io): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { rebuild: { type: 'boolean', default: false }, once: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false } },
  });
  if (values.help) {
    io.stdout.write(projectorHelp + '\n');
    return 0;
  }
  const stopSignal = new Promise<string>((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });
  try {
    return await runProjector(readProjectorEnv(), { rebuild: values.rebuild, once: values.once, progress: io.stderr, stopSignal });
  } catch (error) {
    if (!isDataDirLockError(error)) throw error;
    io.stderr.write(`dgt projector: ${error.message}\n`);
    return 1;
  }
}
