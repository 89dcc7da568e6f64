import type { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { createPrivateWriteStream } from '@dgt/datadir';
import { exportSelection } from '@dgt/replay';
import { type Io, LineWriter, UsageError } from '../io.ts';
import { Progress } from '../progress.ts';
import { asUsageError, openSource, selectionFrom, selectionOptionsHelp, selectionOptions } from './replay.ts';

export const exportHelp = `Usage: dgt export [selection] [source] [--out <file>]

Writes the events "dgt replay" would use for the same selection, as NDJSON: a header line (the
selection), the canonical events in feed order, and a trailer line (evidence digest and store
positions). "dgt replay --input <file>" on any machine gives the same digest and a
byte-identical report.json.

${selectionOptionsHelp}

Options:
  --out <file>         write to this file (default: stdout)
  --config <file>      accepted for symmetry with dgt replay; thresholds do not change an export
  --quiet              no progress bar and no summary on stderr
  -h, --help           show this help

Exit codes: 0 done (an empty selection gives an export with no events); 2 bad option, bad time,
unreadable store or file.`;

function finished(stream: Writable): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.once('error', reject);
    stream.end(() => resolve());
  });
}

export async function exportCommand(argv: string[], io: Io): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { ...selectionOptions, out: { type: 'string' } } });
  if (values.help) {
    io.stdout.write(exportHelp + '\n');
    return 0;
  }
  const selection = selectionFrom(values);
  const opened = openSource(values, io);
  // An export is the evidence itself: owner-only, like the store it comes from.
  const file = values.out === undefined ? null : createPrivateWriteStream(values.out);
  const fileError = new Promise<never>((_, reject) => file?.once('error', (err) => reject(new UsageError(`--out ${values.out}: ${err.message}`))));
  const writer = new LineWriter(file ?? io.stdout);
  const progress = new Progress({ label: 'export', total: null, unit: 'events', out: io.stderr, enabled: !values.quiet && Boolean(io.stderr.isTTY) });
  try {
    const run = exportSelection(selection, opened.source, (line) => writer.line(line), (n) => progress.update(n, n)).catch((err: unknown) => {
      throw asUsageError(err);
    });
    const summary = await Promise.race([run, fileError]);
    await writer.flush();
    if (file) await finished(file);
    progress.done();
    const d = summary.digest;
    if (!values.quiet) {
      io.stderr.write(`dgt export: ${d.events} events${summary.invalid ? ` (${summary.invalid} invalid, kept as evidence)` : ''}, evidence digest sha256 ${d.sha256}, store positions ${d.firstPosition ?? '-'} .. ${d.lastPosition ?? '-'}\n`);
      if (d.events === 0) io.stderr.write('dgt export: the selection matched nothing\n');
    }
    return 0;
  } finally {
    await opened.close();
  }
}
