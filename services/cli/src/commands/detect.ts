import { parseArgs } from 'node:util';
import { DetectionEngine } from '@dgt/detection';
import { canonicalJson, parseNdjsonLine, parsePositionBytes } from '@dgt/events';
import { type Io, LineWriter, UsageError } from '../io.ts';
import { loadDetectionConfig } from '../detectionConfigFile.ts';
import { openLines } from '../ndjsonLines.ts';
import { Progress } from '../progress.ts';

export const detectHelp = `Usage: dgt detect [options] <events.ndjson | ->

Runs events, in the order given, through the detection engine and prints the detections
(IllegalParkingStarted/Ended, AccidentSegmentEntered/Exited, RestrictedEntryStarted/Ended,
OverspeedStarted/Ended, FatigueDrivingStarted/Ended, TerminalOffline/Online,
RouteDeviationStarted/Ended) as canonical NDJSON on stdout, one per line, in the order emitted.
Reads stdin when the file is "-". Time passes only through the events: ClockTicked lines move the
record's clock (offline terminals and rests need them); fix times never do.

Options:
  --config <file>   JSON file of detection thresholds (defaults apply to anything omitted)
  --skip-invalid    report invalid lines on stderr and go on (default: stop with exit code 2)
  --quiet           no summary on stderr
  -h, --help        show this help

Exit codes: 0 done; 2 invalid input line, bad option or unreadable file.
Refused events (e.g. loading before assignment) are reported on stderr and counted; they do
not stop the run.`;

export async function detect(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      config: { type: 'string' },
      'skip-invalid': { type: 'boolean', default: false },
      quiet: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    io.stdout.write(detectHelp + '\n');
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError(`expected one input file (or - for stdin)\n\n${detectHelp}`);
  const config = loadDetectionConfig(values.config);
  const source = openLines(positionals[0] as string, io.stdin);
  const engine = new DetectionEngine(config);
  const out = new LineWriter(io.stdout);
  const progress = new Progress({ label: 'detect', total: source.size, unit: 'bytes', out: io.stderr });
  let lineNo = 0;
  let invalid = 0;
  let detections = 0;
  for await (const batch of source.byteBatches) {
    const { bytes, starts, ends } = batch;
    for (let k = 0; k < starts.length; k++) {
      lineNo++;
      // A plain fix is read from its bytes; any other line is decoded and parsed in full.
      const start = starts[k] as number;
      let parsed = start < 0 ? undefined : parsePositionBytes(bytes, start, ends[k] as number);
      if (parsed === undefined) {
        const line = batch.text(k);
        if (line.trim() === '') continue;
        parsed = parseNdjsonLine(line);
      }
      if (!parsed.ok) {
        const message = `line ${lineNo}: ${parsed.error.message}`;
        if (!values['skip-invalid']) {
          await out.flush();
          throw new UsageError(message);
        }
        invalid++;
        io.stderr.write(`dgt detect: skipped ${message}\n`);
        continue;
      }
      const step = engine.apply(parsed.event);
      if (step.rejection) {
        const r = step.rejection;
        io.stderr.write(`dgt detect: line ${lineNo}: refused ${r.type} ${r.eventId}: ${r.code}: ${r.reason}\n`);
      }
      for (const d of step.detections) await out.line(canonicalJson(d));
      detections += step.detections.length;
      if ((lineNo & 0x3fff) === 0) progress.update(source.bytesRead(), lineNo);
    }
  }
  await out.flush();
  progress.done();
  if (!values.quiet) {
    const s = engine.stats();
    io.stderr.write(
      `dgt detect: ${s.events} events (${s.positions} positions), ${detections} detections, ` +
        `${s.rejected} refused, ${s.late} late, ${s.duplicates} duplicates, ${invalid} invalid lines skipped\n`,
    );
  }
  return 0;
}

