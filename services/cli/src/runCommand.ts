import { type Io, UsageError } from './io.ts';

/** A command as `main` runs it: its options' help, and what it does. */
export interface LoadedCommand {
  help: string;
  run(argv: string[], io: Io): Promise<number>;
}

/** Runs one command; usage errors become a message on stderr and the exit code. */
export async function runCommand(name: string, command: LoadedCommand, argv: string[], io: Io): Promise<number> {
  try {
    return await command.run(argv, io);
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
