import { readFileSync } from 'node:fs';
import type { Io } from './io.ts';
import { type LoadedCommand, runCommand } from './runCommand.ts';

interface Command {
  summary: string;
  /**
   * Imported only when the command runs: `dgt detect` then loads the detection engine and not the
   * projector, replay, simulator and gateway with their dependencies (seconds of start-up).
   */
  load(): Promise<LoadedCommand>;
}

/** The command `pick` finds in the module `load` imports. */
const lazy =
  <M>(load: () => Promise<M>, pick: (module: M) => LoadedCommand) =>
  async (): Promise<LoadedCommand> =>
    pick(await load());

const commands: Record<string, Command> = {
  detect: { summary: 'run events through the detection engine, print detections as NDJSON', load: lazy(() => import('./commands/detect.ts'), (m) => ({ help: m.detectHelp, run: m.detect })) },
  replay: { summary: 'audit: re-run a slice of history, report with evidence digest (--verify, --as-of)', load: lazy(() => import('./commands/replay.ts'), (m) => ({ help: m.replayHelp, run: m.replay })) },
  export: { summary: 'write a selection of history as NDJSON for offline replay', load: lazy(() => import('./commands/export.ts'), (m) => ({ help: m.exportHelp, run: m.exportCommand })) },
  report: { summary: 'planning report over a window: lot occupancy, parking demand on H3, segment exposure (CSV, GeoJSON, HTML)', load: lazy(() => import('./commands/report.ts'), (m) => ({ help: m.reportHelp, run: m.report })) },
  keys: { summary: 'make API keys and their hashed configuration entries', load: lazy(() => import('./commands/keys.ts'), (m) => ({ help: m.keysHelp, run: m.keys })) },
  projector: { summary: 'run the projector (read models, detections, alerts); --rebuild re-projects the store', load: lazy(() => import('./commands/projector.ts'), (m) => ({ help: m.projectorHelp, run: m.projector })) },
  simulate: { summary: 'simulate the Taizhou fleet (NDJSON, ingest API or Kafka) with ground truth; regenerate seeds', load: lazy(() => import('./commands/simulate.ts'), (m) => ({ help: m.simulateHelp, run: m.simulateCommand })) },
  eval: { summary: 'detection accuracy against simulated ground truth (precision, recall, timing)', load: lazy(() => import('./commands/simulate.ts'), (m) => ({ help: m.evalHelp, run: m.evalCommand })) },
  jt809: { summary: 'JT/T 809: simulate a subordinate platform delivering a fleet to a gateway (link tests)', load: lazy(() => import('./commands/jt809.ts'), (m) => ({ help: m.jt809Help, run: m.jt809 })) },
  terminals: { summary: 'JT/T 808 terminal registrations: list them, reset one so it may register again', load: lazy(() => import('./commands/terminals.ts'), (m) => ({ help: m.terminalsHelp, run: m.terminals })) },
  evidence: { summary: 'verify a signed evidence pack offline: exit 0 intact, 3 altered, missing or added', load: lazy(() => import('./commands/evidence.ts'), (m) => ({ help: m.evidenceHelp, run: m.evidence })) },
  codes: { summary: 'safety information codes (一企一品一码): print a product’s or a vehicle’s QR label (SVG/PNG)', load: lazy(() => import('./commands/codes.ts'), (m) => ({ help: m.codesHelp, run: m.codes })) },
};

function usage(): string {
  const width = Math.max(...Object.keys(commands).map((c) => c.length));
  const list = Object.entries(commands)
    .map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`)
    .join('\n');
  return `dgt — dangerous-goods transport tracker

Usage: dgt <command> [options]
       dgt --version

Commands:
${list}

Run "dgt <command> --help" for a command's options.`;
}

/** `dgt 0.1.0 (Node v20.20.2)`: this package's version, and the runtime's (what a bug report needs). */
export function versionText(): string {
  const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return `dgt ${version} (Node ${process.version})`;
}

/** Entry point; returns the process exit code. */
export async function main(argv: string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--version' || name === '-V' || name === 'version') {
    io.stdout.write(versionText() + '\n');
    return 0;
  }
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(usage() + '\n');
    return name === undefined ? 2 : 0;
  }
  const command = commands[name];
  if (!command) {
    io.stderr.write(`dgt: unknown command "${name}"\n\n${usage()}\n`);
    return 2;
  }
  return runCommand(name, await command.load(), rest, io);
}
