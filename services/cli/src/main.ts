import { detect, detectHelp } from './commands/detect.ts';
import { exportCommand, exportHelp } from './commands/export.ts';
import { keys, keysHelp } from './commands/keys.ts';
import { projector, projectorHelp } from './commands/projector.ts';
import { replay, replayHelp } from './commands/replay.ts';
import { evalCommand, evalHelp, simulateCommand, simulateHelp } from './commands/simulate.ts';
import { terminals, terminalsHelp } from './commands/terminals.ts';
import { type Io, UsageError } from './io.ts';

interface Command {
  summary: string;
  help: string;
  run(argv: string[], io: Io): Promise<number>;
}

const commands: Record<string, Command> = {
  detect: { summary: 'run events through the detection engine, print detections as NDJSON', help: detectHelp, run: detect },
  replay: { summary: 'audit: re-run a slice of history, report with evidence digest (--verify, --as-of)', help: replayHelp, run: replay },
  export: { summary: 'write a selection of history as NDJSON for offline replay', help: exportHelp, run: exportCommand },
  keys: { summary: 'make API keys and their hashed configuration entries', help: keysHelp, run: keys },
  projector: { summary: 'run the projector (read models, detections, alerts); --rebuild re-projects the store', help: projectorHelp, run: projector },
  simulate: { summary: 'simulate the Taizhou fleet (NDJSON, ingest API or Kafka) with ground truth; regenerate seeds', help: simulateHelp, run: simulateCommand },
  eval: { summary: 'detection accuracy against simulated ground truth (precision, recall, timing)', help: evalHelp, run: evalCommand },
  terminals: { summary: 'JT/T 808 terminal registrations: list them, reset one so it may register again', help: terminalsHelp, run: terminals },
};

function usage(): string {
  const width = Math.max(...Object.keys(commands).map((c) => c.length));
  const list = Object.entries(commands)
    .map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`)
    .join('\n');
  return `dgt — dangerous-goods transport tracker

Usage: dgt <command> [options]

Commands:
${list}

Run "dgt <command> --help" for a command's options.`;
}

/** Entry point; returns the process exit code. */
export async function main(argv: string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(usage() + '\n');
    return name === undefined ? 2 : 0;
  }
  const command = commands[name];
  if (!command) {
    io.stderr.write(`dgt: unknown command "${name}"\n\n${usage()}\n`);
    return 2;
  }
  try {
    return await command.run(rest, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr.write(`dgt ${name}: ${err.message}\n`);
      return err.exitCode;
    }
    if (err instanceof TypeError && (err as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS')) {
      io.stderr.write(`dgt ${name}: ${err.message}\n\n${command.help}\n`);
      return 2;
    }
    throw err;
  }
}
