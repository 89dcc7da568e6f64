import { existsSync, statSync } from 'node:fs';
import { userInfo } from 'node:os';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { canonicalJson, timestamp } from '@dgt/events';
import { DEFAULT_SQLITE_PATH, type EventStore, EventStoreError, openEsdbEventStore, openSqliteEventStore } from '@dgt/eventstore';
import {
  DEFAULT_LEAD_IN_HOURS,
  DEFAULT_LEAD_OUT_HOURS,
  loadThresholds,
  MAX_LEAD_HOURS,
  ndjsonSource,
  normaliseSelection,
  recordAudit,
  renderReport,
  ReplayError,
  type ReplayReport,
  type ReplaySource,
  runReplay,
  type Selection,
  storeSource,
  writeReportFiles,
} from '@dgt/replay';
import { type Io, LineWriter, UsageError } from '../io.ts';
import { openLines } from '../ndjsonLines.ts';
import { Progress } from '../progress.ts';

export const selectionOptionsHelp = `Selection (criteria combine as an intersection; none = every vehicle):
  --from <time>        start of the window, inclusive (ISO-8601 with offset, e.g. 2026-03-02T08:00:00+08:00)
  --to <time>          end of the window, exclusive
  --vehicle <id>       a vehicle (repeatable)
  --carrier <id>       the vehicles assigned to this carrier's waybills
  --waybill <no>       the vehicle(s) carrying this waybill; the window defaults to its lifetime
  --zone <id>          the vehicles that had a fix inside this zone (as it was then) in the window
  --lead-in <hours>    history fed before --from so what was going on then (a stop, a passage, a
                       run) is carried in as live had it; only what starts at or after --from is
                       reported (default ${DEFAULT_LEAD_IN_HOURS}, 0–${MAX_LEAD_HOURS})
  --lead-out <hours>   history fed after --to so what started in the window and was still going on
                       is reported with its end; nothing starting later is (default ${DEFAULT_LEAD_OUT_HOURS})
  --recorded-up-to <position>
                       read only what the store held at this position (a case's frozen evidence
                       records it): fixes that arrived later change nothing, so the report is
                       reproduced byte for byte (store sources only)

Source (one of):
  --store <path>       embedded SQLite event store (default ${DEFAULT_SQLITE_PATH})
  --eventstore <url>   EventStoreDB, e.g. esdb://localhost:2113?tls=false
  --input <file>       an NDJSON file: a "dgt export" (replays exactly its events) or plain events ("-" = stdin)`;

export const replayHelp = `Usage: dgt replay [selection] [source] [options]

Re-runs a slice of history through the live detection engine and writes a report that anyone
can re-check offline: the same events always give the same report.json, byte for byte.

${selectionOptionsHelp}

Options:
  --config <file>      JSON thresholds (defaults fill anything omitted; the report lists all)
  --as-of <time>       also report each selected vehicle's state at this instant
  --verify             compare with the detections recorded live; exit 3 on any difference
  --out <dir>          write report.json, report.html (self-contained), violations.csv and
                       advisories.csv (segment passages: recorded, never violations)
  --format <f>         text (default: summary on stdout), json (report.json on stdout) or
                       ndjson (recomputed detections on stdout, summary on stderr)
  --operator <name>    who runs the audit, recorded in the audit stream (default: OS user)
  --quiet              no progress bar and no notes on stderr
  -h, --help           show this help

Every run is recorded as an AuditReplayRun event in the store's "audit" stream (with --input,
only when --store is also given).

Exit codes: 0 done (also when the selection matched nothing, with a message);
2 bad option, bad time, unreadable store or file, altered export; 3 --verify found differences.`;

export const selectionOptions = {
  from: { type: 'string' },
  to: { type: 'string' },
  vehicle: { type: 'string', multiple: true },
  carrier: { type: 'string' },
  waybill: { type: 'string' },
  zone: { type: 'string' },
  'lead-in': { type: 'string' },
  'lead-out': { type: 'string' },
  'recorded-up-to': { type: 'string' },
  store: { type: 'string' },
  eventstore: { type: 'string' },
  input: { type: 'string' },
  config: { type: 'string' },
  quiet: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const satisfies ParseArgsConfig['options'];

type SelectionValues = { [K in keyof typeof selectionOptions]?: string | string[] | boolean | undefined };

export function selectionFrom(values: SelectionValues): Selection {
  return rethrow(() =>
    normaliseSelection({
      ...(values.from !== undefined && { from: values.from }),
      ...(values.to !== undefined && { to: values.to }),
      ...(values.vehicle !== undefined && { vehicles: values.vehicle }),
      ...(values.carrier !== undefined && { carrier: values.carrier }),
      ...(values.waybill !== undefined && { waybill: values.waybill }),
      ...(values.zone !== undefined && { zone: values.zone }),
      ...(values['lead-in'] !== undefined && { leadInHours: leadHours('lead-in', values['lead-in']) }),
      ...(values['lead-out'] !== undefined && { leadOutHours: leadHours('lead-out', values['lead-out']) }),
      ...(typeof values['recorded-up-to'] === 'string' && { recordedUpTo: values['recorded-up-to'] }),
    }),
  );
}

function leadHours(option: string, value: string | string[] | boolean): number {
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!(n >= 0 && n <= MAX_LEAD_HOURS)) throw new UsageError(`--${option}: whole hours from 0 to ${MAX_LEAD_HOURS}, got ${JSON.stringify(value)}`);
  return n;
}

export interface OpenedSource {
  source: ReplaySource;
  /** The store to record the audit in, if any. */
  store: EventStore | null;
  close(): Promise<void>;
}

function openSqlite(path: string): EventStore {
  // Opening creates a missing file; an audit must never conjure an empty store.
  if (!existsSync(path)) throw new UsageError(`no event store at ${path} (give --store <path>)`);
  if (!statSync(path).isFile()) throw new UsageError(`${path} is not a file`);
  return openSqliteEventStore({ path });
}

/** Opens the source named by --store / --eventstore / --input (default: the SQLite store). */
export function openSource(values: SelectionValues, io: Io): OpenedSource {
  const given = [values.store, values.eventstore, values.input].filter((v) => v !== undefined).length;
  if (given > 1 && !(given === 2 && values.input !== undefined && values.store !== undefined)) {
    throw new UsageError('give one source: --store, --eventstore or --input (--store may accompany --input to record the audit)');
  }
  return rethrow(() => {
    if (values.input !== undefined) {
      const store = typeof values.store === 'string' ? openSqlite(values.store) : null;
      return { source: ndjsonSource(openLines(values.input as string, io.stdin).lines), store, close: async () => store?.close() };
    }
    const store = typeof values.eventstore === 'string' ? openEsdbEventStore({ connectionString: values.eventstore }) : openSqlite((values.store as string | undefined) ?? DEFAULT_SQLITE_PATH);
    return { source: storeSource(store, values.eventstore === undefined ? 'store' : 'eventstoredb'), store, close: () => store.close() };
  });
}

/** Replay and store errors are bad input: exit 2 with the reason. */
export function rethrow<T>(run: () => T): T {
  try {
    return run();
  } catch (err) {
    throw asUsageError(err);
  }
}

export function asUsageError(err: unknown): unknown {
  if (err instanceof ReplayError || err instanceof EventStoreError) return new UsageError(err.message);
  return err;
}

function checkTime(option: string, value: string | undefined): string | null {
  if (value === undefined) return null;
  if (!timestamp.safeParse(value).success) throw new UsageError(`--${option}: ISO-8601 with an offset, e.g. 2026-03-02T08:00:00+08:00, got ${JSON.stringify(value)}`);
  return value;
}

function summary(report: ReplayReport, auditNote: string, files: string[]): string {
  const d = report.digest;
  const lines = [
    `evidence digest: sha256 ${d.sha256} (${d.events} events, store positions ${d.firstPosition ?? '-'} .. ${d.lastPosition ?? '-'})`,
    `thresholds: ${Object.entries(report.thresholds).map(([k, v]) => `${k}=${v}`).join(' ')}`,
    report.message,
  ];
  const occurrence = (o: ReplayReport['violations'][number]) => `  ${o.kind} ${o.vehicleId}${o.zoneId ? ` ${o.zoneId}` : ''} ${o.startedAt} → ${o.endedAt ?? 'open'}  ${o.id}  evidence ${o.evidence.join(' ')}`;
  if (report.violations.length > 0) lines.push('violations:', ...report.violations.map(occurrence));
  if (report.advisories.length > 0) lines.push('advisories (segment passages, not violations):', ...report.advisories.map(occurrence));
  if (report.verify) {
    const v = report.verify;
    lines.push(v.differences.length === 0 ? `verify: OK, ${v.matched} of ${v.live} live detections recomputed identically` : `verify: ${v.differences.length} differences (${v.live} live, ${v.replayed} recomputed, ${v.matched} identical)`);
    const c = v.byCategory;
    lines.push(`  of violations: ${c.violation.matched} of ${c.violation.live} identical, ${c.violation.differences} differences; of advisories: ${c.advisory.matched} of ${c.advisory.live} identical, ${c.advisory.differences} differences`);
    for (const x of v.differences) {
      lines.push(`  ${x.kind.padEnd(14)} ${x.type.padEnd(22)} ${x.category.padEnd(9)} ${x.vehicleId}${x.zoneId ? ` ${x.zoneId}` : ''}  live ${x.liveAt ?? '-'} (${x.liveEventId ?? '-'})  replay ${x.replayAt ?? '-'} (${x.replayEventId ?? '-'})${x.fields.length ? `  fields ${x.fields.join(',')}` : ''}`);
    }
  }
  if (report.asOf) {
    for (const v of report.asOf.vehicles) {
      const open = (list: typeof v.openViolations) => list.map((o) => o.kind + (o.zoneId ? ` ${o.zoneId}` : '')).join(', ') || 'none';
      lines.push(`as of ${report.asOf.at}: ${v.vehicleId} ${v.lastFix ? `at ${v.lastFix.lon},${v.lastFix.lat} (${v.lastFix.occurredAt})` : 'no fix'}, ${v.laden ? `laden with ${v.waybillNo}` : 'empty'}, open violations: ${open(v.openViolations)}, open advisories: ${open(v.openAdvisories)}`);
    }
  }
  for (const f of files) lines.push(`wrote ${f}`);
  lines.push(auditNote);
  return lines.join('\n') + '\n';
}

export async function replay(argv: string[], io: Io): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { ...selectionOptions, 'as-of': { type: 'string' }, verify: { type: 'boolean', default: false }, out: { type: 'string' }, format: { type: 'string' }, operator: { type: 'string' } },
  });
  if (values.help) {
    io.stdout.write(replayHelp + '\n');
    return 0;
  }
  const format = values.format ?? 'text';
  if (format !== 'text' && format !== 'json' && format !== 'ndjson') throw new UsageError(`--format must be text, json or ndjson, got ${JSON.stringify(format)}`);
  const selection = selectionFrom(values);
  const asOf = checkTime('as-of', values['as-of']);
  const thresholds = rethrow(() => loadThresholds(values.config));
  const opened = openSource(values, io);
  const out = new LineWriter(io.stdout);
  const progress = new Progress({ label: 'replay', total: null, unit: 'events', out: io.stderr, enabled: !values.quiet && Boolean(io.stderr.isTTY) });
  const detections: string[] = [];
  const operator = values.operator ?? userInfo().username;
  const ranAt = new Date();
  try {
    const result = await runReplay(
      {
        selection,
        thresholds,
        asOf,
        verify: values.verify,
        // Shown in report.html's header only: report.json and the digest stay the same whoever runs it when.
        operator,
        ranAt: ranAt.toISOString(),
        onProgress: (n) => progress.update(n, n),
        ...(format === 'ndjson' && { onDetection: (d) => void detections.push(canonicalJson(d)) }),
      },
      opened.source,
    ).catch((err: unknown) => {
      throw asUsageError(err);
    });
    progress.done();
    const { report } = result;
    const rendered = renderReport(report, result.run);
    const files = values.out === undefined ? [] : writeReportFiles(values.out, rendered);
    let auditNote = 'audit: not recorded (no event store; add --store to record it)';
    if (opened.store !== null) {
      const auditId = await recordAudit(opened.store, { actor: { kind: 'operator', id: operator }, source: result.source, report, reportSha256: rendered.jsonSha256, ranAt });
      auditNote = `audit: recorded as audit-${auditId} in the "audit" stream`;
    }
    if (report.matchedNothing && !values.quiet) io.stderr.write(`dgt replay: ${report.message}\n`);
    if (format === 'ndjson') {
      for (const line of detections) await out.line(line);
      if (!values.quiet) io.stderr.write(summary(report, auditNote, files));
    } else if (format === 'json') {
      await out.line(rendered.json.trimEnd());
    } else io.stdout.write(summary(report, auditNote, files));
    await out.flush();
    return report.verify !== null && report.verify.differences.length > 0 ? 3 : 0;
  } finally {
    await opened.close();
  }
}
