import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { makePrivateDir, writePrivateFile } from '@dgt/datadir';
import { epochMs, parseNdjsonLine, timestamp } from '@dgt/events';
import { DEFAULT_SQLITE_PATH, type EventStore, EventStoreError, openEsdbEventStore, openMemoryEventStore, openSqliteEventStore, type Position, streamFor } from '@dgt/eventstore';
import { HEX_RESOLUTIONS } from '@dgt/geo';
import { DEFAULT_CANDIDATE_MIN_DISTANCE_M, defaultPlanningConfig, planningConfigFor } from '@dgt/planning';
import { ProjectorError } from '@dgt/projector';
import { loadDetectionConfig } from '../detectionConfigFile.ts';
import { type Io, UsageError } from '../io.ts';
import { openLines } from '../ndjsonLines.ts';
import { foldRecord } from '../planning/foldRecord.ts';
import { buildPlanningReport, planningReportFiles } from '../planning/planningReport.ts';
import { Progress } from '../progress.ts';

export const reportHelp = `Usage: dgt report planning --from <time> --to <time> --out <dir> [options] [source]

Planning from the record (规划报告, issue #19): dedicated-lot occupancy, laden parking demand on
H3 cells with candidate areas for a new lot, and accident-prone segment exposure, over a window.
The same tables as the projection's (@dgt/planning), reproduced for any window: the record is read
from its beginning in store order through the live detection engine, so loads, stops and who is
inside a lot at --from are what they were; only what happens in [--from, --to) is counted. The
same record and options write the same bytes into every file (no run time, no path in them).

Window (required):
  --from <time>          start, inclusive (ISO-8601 with an offset, e.g. 2026-03-02T00:00:00+08:00)
  --to <time>            end, exclusive: lots are integrated up to it, a stop still under way counts
                         up to the vehicle's last fix before it; what occurs later changes nothing

Options:
  --out <dir>            write the report here (required; created if needed; files owner-only)
  --res <list>           H3 resolutions of the demand tables, comma-separated, each of
                         ${HEX_RESOLUTIONS.join(', ')} (default ${defaultPlanningConfig.resolutions.join(',')}); candidate areas use the finest
  --min-distance-m <m>   candidate areas: long-stop cells at least this far from every active
                         lot (default ${DEFAULT_CANDIDATE_MIN_DISTANCE_M}); ranked by vehicle-hours per week, weeks = (to − from) / 7 days
  --config <file>        detection thresholds JSON, as for dgt replay (the stops are the engine's)
  --quiet                no progress and no summary
  -h, --help             show this help

Source (one of):
  --store <path>         embedded SQLite event store (default ${DEFAULT_SQLITE_PATH})
  --eventstore <url>     EventStoreDB, e.g. esdb://localhost:2113?tls=false
  --input <file>         NDJSON events in record order, as "dgt detect" reads them ("-" = stdin)
  --recorded-up-to <position>
                         read only what the store held at this position (store sources): later
                         arrivals, late fixes of the window included, change nothing

Files: lots.csv, lot-hours.csv, lot-dwell.csv; demand-long-r<res>.csv, demand-short-r<res>.csv and
their .geojson, for each resolution; candidates.csv, candidates.geojson; segments.csv,
segment-hours.csv, segment-days.csv, segment-weeks.csv; planning.json (every table, the window, the
inputs, the detection thresholds and what was read); index.html (self-contained: inline CSS and
SVG, no script, no external request; Chinese with English alongside).

Exit codes: 0 written; 1 no store, or it cannot be read; 2 bad option.`;

const options = {
  from: { type: 'string' },
  to: { type: 'string' },
  out: { type: 'string' },
  res: { type: 'string' },
  'min-distance-m': { type: 'string' },
  config: { type: 'string' },
  store: { type: 'string' },
  eventstore: { type: 'string' },
  input: { type: 'string' },
  'recorded-up-to': { type: 'string' },
  quiet: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

const kinds = ['planning'] as const;

/** The store could not be opened or read: exit 1 with the reason. */
const storeError = (message: string) => new UsageError(message, 1);

function instant(option: string, value: string | undefined): number {
  const example = 'ISO-8601 with an offset, e.g. 2026-03-02T00:00:00+08:00';
  if (value === undefined) throw new UsageError(`--${option} is required (${example})`);
  if (!timestamp.safeParse(value).success) throw new UsageError(`--${option}: ${example}, got ${JSON.stringify(value)}`);
  return epochMs(value);
}

export function parseResolutions(value: string | undefined): number[] {
  if (value === undefined) return [...defaultPlanningConfig.resolutions];
  const allowed: readonly number[] = HEX_RESOLUTIONS;
  const parts = value.split(',').map((s) => s.trim());
  const list = parts.map((s) => (/^\d+$/.test(s) ? Number(s) : Number.NaN));
  if (parts.length === 0 || list.some((n) => !allowed.includes(n))) {
    throw new UsageError(`--res: H3 resolutions from ${allowed.join(', ')}, comma-separated (e.g. 7,8), got ${JSON.stringify(value)}`);
  }
  return [...new Set(list)].sort((a, b) => a - b);
}

function minDistance(value: string | undefined): number {
  if (value === undefined) return DEFAULT_CANDIDATE_MIN_DISTANCE_M;
  const n = /^\d+(\.\d+)?$/.test(value) ? Number(value) : Number.NaN;
  if (!(n >= 0 && n <= 1_000_000)) throw new UsageError(`--min-distance-m: metres from 0 to 1000000, got ${JSON.stringify(value)}`);
  return n;
}

type Values = { store?: string | undefined; eventstore?: string | undefined; input?: string | undefined; 'recorded-up-to'?: string | undefined };

async function openStore(values: Values, io: Io, progress: Progress): Promise<EventStore> {
  const given = [values.store, values.eventstore, values.input].filter((v) => v !== undefined).length;
  if (given > 1) throw new UsageError('give one source: --store, --eventstore or --input');
  if (values.input !== undefined) {
    if (values['recorded-up-to'] !== undefined) throw new UsageError('--recorded-up-to pins a read of a store; a file is already fixed');
    return loadInput(values.input, io, progress);
  }
  try {
    if (values.eventstore !== undefined) return openEsdbEventStore({ connectionString: values.eventstore });
    const path = values.store ?? DEFAULT_SQLITE_PATH;
    // Opening creates a missing file; a report must never conjure an empty store.
    if (!existsSync(path)) throw storeError(`no event store at ${path} (give --store <path> or --eventstore <url>)`);
    if (!statSync(path).isFile()) throw storeError(`${path} is not a file`);
    return openSqliteEventStore({ path });
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw storeError(err instanceof EventStoreError ? err.message : `cannot open the event store: ${(err as Error).message}`);
  }
}

/** Plain NDJSON events, recorded into a memory store in file order as the recorder would record them. */
async function loadInput(path: string, io: Io, progress: Progress): Promise<EventStore> {
  let lines: AsyncIterable<string>;
  try {
    lines = openLines(path, io.stdin).lines;
  } catch (err) {
    throw err instanceof UsageError ? storeError(err.message) : err;
  }
  const store = openMemoryEventStore();
  let lineNo = 0;
  for await (const line of lines) {
    lineNo++;
    if (line.trim() === '') continue;
    if (lineNo === 1 && line.startsWith('{"dgtExport"')) throw new UsageError(`${path}: a "dgt export" holds a selection of vehicles, not the record; give the store, or plain events`);
    const parsed = parseNdjsonLine(line);
    if (!parsed.ok) throw new UsageError(`${path} line ${lineNo}: ${parsed.error.message}`);
    await store.append(streamFor(parsed.event), [parsed.event]);
    if ((lineNo & 1023) === 0) progress.update(lineNo, lineNo);
  }
  progress.done();
  return store;
}

export async function report(argv: string[], io: Io): Promise<number> {
  const [kind, ...rest] = argv;
  if (kind === undefined || kind === '--help' || kind === '-h') {
    io.stdout.write(reportHelp + '\n');
    return kind === undefined ? 2 : 0;
  }
  if (!(kinds as readonly string[]).includes(kind)) throw new UsageError(`unknown report "${kind}" (reports: ${kinds.join(', ')})\n\n${reportHelp}`);
  return planningReport(rest, io);
}

async function planningReport(argv: string[], io: Io): Promise<number> {
  const { values } = parseArgs({ args: argv, options });
  if (values.help) {
    io.stdout.write(reportHelp + '\n');
    return 0;
  }
  const fromMs = instant('from', values.from);
  const toMs = instant('to', values.to);
  if (fromMs >= toMs) throw new UsageError(`--from must be before --to (got --from ${values.from} --to ${values.to})`);
  if (values.out === undefined) throw new UsageError('--out <dir> is required: where to write the report');
  if (existsSync(values.out) && !statSync(values.out).isDirectory()) throw new UsageError(`--out ${values.out}: not a directory`);
  const resolutions = parseResolutions(values.res);
  const minDistanceM = minDistance(values['min-distance-m']);
  const config = planningConfigFor(loadDetectionConfig(values.config), { resolutions });
  const recordedUpTo = values['recorded-up-to'] ?? null;
  const progressOf = (label: string) => new Progress({ label, total: null, unit: 'events', out: io.stderr, enabled: !values.quiet && Boolean(io.stderr.isTTY) });
  const store = await openStore(values, io, progressOf('report planning: loading'));
  const progress = progressOf('report planning');
  try {
    const records = store.readAll(recordedUpTo === null ? {} : { toPosition: recordedUpTo as Position });
    const folded = await foldRecord(records, { config, window: { fromMs, toMs }, onProgress: (n) => progress.update(n, n) }).catch((err: unknown) => {
      if (err instanceof EventStoreError && err.code === 'INVALID_POSITION') throw new UsageError(`--recorded-up-to: ${err.message}`);
      if (err instanceof EventStoreError || err instanceof ProjectorError) throw storeError(`cannot read the event store: ${err.message}`);
      throw err;
    });
    progress.done();
    const model = buildPlanningReport(folded.rows, { fromMs, toMs, resolutions, minDistanceM, recordedUpTo, config }, folded.counts);
    const files = planningReportFiles(model);
    try {
      makePrivateDir(values.out);
      for (const [name, text] of files) writePrivateFile(join(values.out, name), text);
    } catch (err) {
      throw storeError(`--out ${values.out}: ${(err as Error).message}`);
    }
    if (!values.quiet) {
      const c = folded.counts;
      const cells = model.demand.map((t) => `${t.kind} r${t.res} ${t.cells.length}`).join(', ');
      io.stdout.write(
        [
          `planning report ${model.window.from} .. ${model.window.to} (${model.window.weeks.toFixed(2)} weeks)`,
          `read ${c.read} events: ${c.fed} fed to the engine (${c.positions} positions, ${c.atOrAfterTo} at or after --to), ${c.ownDetections} own detections and ${c.otherTypes} other records skipped`,
          `lots ${model.lots.length}; demand cells: ${cells}; candidate areas ${model.candidates.length}; segments ${model.segments.length}`,
          `wrote ${files.length} files into ${values.out}: ${files.map(([name]) => name).join(' ')}`,
        ].join('\n') + '\n',
      );
    }
    return 0;
  } finally {
    await store.close();
  }
}
