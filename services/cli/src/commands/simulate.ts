import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { createKafkaBus, topicNames, topicSpecs } from '@dgt/bus';
import {
  ACCURACY_TARGET,
  BusSink,
  DEFAULT_START,
  DEFAULT_TOLERANCE_S,
  evaluate,
  formatReport,
  HttpIngestSink,
  meetsTarget,
  type MessageSink,
  NdjsonSink,
  parseSpeed,
  pump,
  seedFiles,
  simulate,
  SimulationOptionsError,
  SinkError,
} from '@dgt/simulator';
import { type Io, UsageError } from '../io.ts';
import { Progress } from '../progress.ts';
import { RegistrySplitSink } from '../registrySplitSink.ts';
import { loadDetectionConfig } from '../detectionConfigFile.ts';

export const simulateHelp = `Usage: dgt simulate [options]
       dgt simulate seeds --out <dir>

Simulates hazmat vehicles driving realistic days in Taizhou (synthetic fleet and approximate
roads from seeds/taizhou): loading at chemical parks, deliveries, red lights, overnight rest in
dedicated lots, with terminal faults (parked drift and phantom speeds, signal gaps, late and
duplicate reports, the odd malformed message) and injected violations (laden roadside parking,
overspeed, laden shortcuts through restricted areas, night runs through night-banned tunnels and
bridges) besides ordinary passages of accident-prone segments, recorded in a ground-truth file.
Deterministic: the same options give the same bytes.

"dgt simulate seeds --out seeds/taizhou" regenerates the seed files (zones, register, roads, fleet).

Options:
  --seed <text>        seed of the run (default 1)
  --vehicles <n>       vehicles of the seed fleet that drive, V0001… (default 100, at most 2400)
  --days <n>           days to simulate (default 1)
  --start <date>       first day, YYYY-MM-DD, China Standard Time (default ${DEFAULT_START})
  --speed <x|max>      pace: 1 = real time, 60 = a minute per second, max = no waiting (default max)
  --out <file|->       write canonical NDJSON (default: stdout when no other output is given)
  --malformed <file>   with --out: write the malformed messages here (else they are left out)
  --truth <file>       write the ground truth (JSON): every expected detection with vehicle, times, zone
                       (files and stdout carry a ClockTicked every simulated minute; HTTP and Kafka
                       deliveries leave them to the recorder)
  --no-seeds           do not begin with the zones and the register of the simulated vehicles
  --ingest <url>       POST batches to the ingest HTTP API (e.g. http://localhost:8080); needs --api-key
  --api-key <key>      API key with the ingest role
  --registry-key <key> with --ingest: post the seeds' register (carriers, vehicles) with this key
                       (role registry); an ingest key may not post it, so without this key the
                       gateway refuses those events (the rest is accepted) — or use --no-seeds
  --kafka <brokers>    publish to Kafka (comma-separated host:port), topics as the ingest gateway uses
  --topic-prefix <p>   Kafka topic prefix (default dg.)
  --batch <n>          events per POST / publish (default 1000)
  -h, --help           show this help

Exit codes: 0 done; 1 delivery failed; 2 bad option.`;

export const evalHelp = `Usage: dgt eval [options]

Accuracy of the detection engine against ground truth: simulates vehicle-days with injected
violations and the default noise, runs every valid message through the detection engine in arrival
order (late and duplicate reports included, malformed ones skipped as ingest would; a ClockTicked
every simulated minute, as the recorder appends them), and prints per kind of the violation
catalogue (illegal parking, restricted entry, overspeed, fatigue driving, terminal offline, route
deviation; segment passages as advisories): truth count, detected, TP, FP, FN, precision, recall
and start/end time error.

Matching: same kind and vehicle (and same zone for restricted entries and segment passages),
detected start within ±tolerance of the truth start, one-to-one, closest first.

Options:
  --seed <text>        seed (default 1)
  --vehicles <n>       vehicles (default 500)
  --days <n>           days (default 2): 500 × 2 = 1,000 vehicle-days
  --start <date>       first day, YYYY-MM-DD (default ${DEFAULT_START})
  --tolerance <s>      start tolerance in seconds (default ${DEFAULT_TOLERANCE_S})
  --config <file>      JSON file of detection thresholds (defaults apply to anything omitted)
  --json <file>        also write the full report (scores, mismatches, truth) as JSON
  -h, --help           show this help

Exit codes: 0 every kind reaches precision and recall ≥ ${ACCURACY_TARGET}; 1 below target; 2 bad option.`;

function positiveInt(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${name} must be a positive integer, got "${text}"`);
  return n;
}

function openOut(path: string, io: Io): Writable {
  if (path === '-') return io.stdout;
  try {
    return createWriteStream(path);
  } catch (err) {
    throw new UsageError(`${path}: ${(err as Error).message}`);
  }
}

async function closeStream(stream: Writable, io: Io): Promise<void> {
  if (stream === io.stdout) return;
  await new Promise<void>((resolve, reject) => {
    stream.once('error', reject);
    stream.end(resolve);
  });
}

export async function simulateCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      seed: { type: 'string' },
      vehicles: { type: 'string' },
      days: { type: 'string' },
      start: { type: 'string' },
      speed: { type: 'string' },
      out: { type: 'string' },
      malformed: { type: 'string' },
      truth: { type: 'string' },
      'no-seeds': { type: 'boolean', default: false },
      ingest: { type: 'string' },
      'api-key': { type: 'string' },
      'registry-key': { type: 'string' },
      kafka: { type: 'string' },
      'topic-prefix': { type: 'string' },
      batch: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    io.stdout.write(simulateHelp + '\n');
    return 0;
  }
  if (positionals[0] === 'seeds') return writeSeeds(values.out, io);
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"\n\n${simulateHelp}`);

  const outputs = [values.out !== undefined, values.ingest !== undefined, values.kafka !== undefined].filter(Boolean).length;
  if (outputs > 1) throw new UsageError('choose one output: --out, --ingest or --kafka');
  if (values.ingest !== undefined && values['api-key'] === undefined) throw new UsageError('--ingest needs --api-key');
  if (values['registry-key'] !== undefined && values.ingest === undefined) throw new UsageError('--registry-key goes with --ingest');
  const speed = parseSpeed(values.speed ?? 'max');
  if (speed === null) throw new UsageError(`--speed must be a positive number or "max", got "${values.speed}"`);
  const batch = positiveInt('batch', values.batch, 1_000);

  let sim;
  try {
    sim = simulate({
      seed: values.seed ?? '1',
      vehicles: positiveInt('vehicles', values.vehicles, 100),
      days: positiveInt('days', values.days, 1),
      start: values.start ?? DEFAULT_START,
      includeSeeds: !values['no-seeds'],
    });
  } catch (err) {
    if (err instanceof SimulationOptionsError) throw new UsageError(err.message);
    throw err;
  }

  const streams: Writable[] = [];
  let sink: MessageSink;
  let close = async (): Promise<void> => {};
  if (values.ingest !== undefined) {
    const ingest = new HttpIngestSink({ url: values.ingest, apiKey: values['api-key'] as string, batchSize: batch });
    const registryKey = values['registry-key'];
    sink = registryKey === undefined ? ingest : new RegistrySplitSink(ingest, new HttpIngestSink({ url: values.ingest, apiKey: registryKey, batchSize: batch }));
  } else if (values.kafka !== undefined) {
    const brokers = values.kafka.split(',').map((b) => b.trim()).filter((b) => b !== '');
    if (brokers.length === 0) throw new UsageError('--kafka needs at least one broker host:port');
    const bus = createKafkaBus({ brokers, clientId: 'dgt-simulator' });
    const topics = topicNames(values['topic-prefix'] === undefined ? {} : { prefix: values['topic-prefix'] });
    try {
      await bus.ensureTopics(topicSpecs(topics));
    } catch (err) {
      io.stderr.write(`dgt simulate: cannot prepare the Kafka topics on ${brokers.join(',')}: ${(err as Error).message}\n`);
      await bus.close();
      return 1;
    }
    sink = new BusSink({ producer: bus.producer(), topics, batchSize: batch });
    close = () => bus.close();
  } else {
    const out = openOut(values.out ?? '-', io);
    const malformed = values.malformed === undefined ? null : openOut(values.malformed, io);
    streams.push(out, ...(malformed ? [malformed] : []));
    sink = new NdjsonSink(out, malformed);
  }

  const progress = new Progress({ label: 'simulate', total: sim.endMs - sim.startMs, unit: 'ms', out: io.stderr });
  let sent: number;
  try {
    sent = await pump(sim.messages, sink, {
      speed,
      simStartMs: sim.startMs,
      onProgress: (n, simMs) => progress.update(Math.max(0, simMs - sim.startMs), n),
    });
  } catch (err) {
    if (err instanceof SinkError) {
      progress.done();
      io.stderr.write(`dgt simulate: ${err.message}\n`);
      await close();
      return 1;
    }
    throw err;
  } finally {
    for (const s of streams) await closeStream(s, io);
  }
  await close();
  progress.done();
  if (values.truth !== undefined) writeFileSync(values.truth, JSON.stringify(sim.truth, null, 1) + '\n');
  const st = sink.stats();
  const t = sim.truth;
  io.stderr.write(
    `dgt simulate: ${sim.options.vehicles} vehicles × ${sim.options.days} day(s), ${sent} messages ` +
      `(${st.accepted > 0 || values.ingest !== undefined ? `${st.accepted} accepted, ${st.rejected} refused, ` : ''}${st.skipped} not sent); ` +
      `truth: ${t.parking.length} illegal parkings, ${t.restrictedEntries.length} restricted entries, ${t.overspeeds.length} overspeeds, ${t.segments.length} segment passages\n`,
  );
  return 0;
}

function writeSeeds(dir: string | undefined, io: Io): number {
  if (dir === undefined) throw new UsageError('dgt simulate seeds needs --out <dir>');
  mkdirSync(dir, { recursive: true });
  const files = seedFiles();
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  io.stderr.write(`dgt simulate seeds: wrote ${Object.keys(files).join(', ')} to ${dir}\n`);
  return 0;
}

export async function evalCommand(argv: string[], io: Io): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    allowPositionals: false,
    options: {
      seed: { type: 'string' },
      vehicles: { type: 'string' },
      days: { type: 'string' },
      start: { type: 'string' },
      tolerance: { type: 'string' },
      config: { type: 'string' },
      json: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    io.stdout.write(evalHelp + '\n');
    return 0;
  }
  const vehicles = positiveInt('vehicles', values.vehicles, 500);
  const days = positiveInt('days', values.days, 2);
  const toleranceS = positiveInt('tolerance', values.tolerance, DEFAULT_TOLERANCE_S);
  const config = loadDetectionConfig(values.config);
  const progress = new Progress({ label: 'eval', total: null, unit: 'events', out: io.stderr });
  let report;
  try {
    report = evaluate({
      seed: values.seed ?? '1',
      vehicles,
      days,
      start: values.start ?? DEFAULT_START,
      toleranceS,
      config,
      onProgress: (n) => progress.update(n, n),
    });
  } catch (err) {
    if (err instanceof SimulationOptionsError) throw new UsageError(err.message);
    throw err;
  }
  progress.done();
  io.stdout.write(formatReport(report) + '\n');
  if (report.mismatches.length > 0) {
    io.stdout.write(`\nmismatches (first 20 of ${report.mismatches.length}):\n`);
    for (const m of report.mismatches.slice(0, 20)) io.stdout.write(`  ${m.kind} ${m.type} ${m.vehicleId}${m.zoneId ? ` ${m.zoneId}` : ''} ${m.start}\n`);
  }
  if (values.json !== undefined) writeFileSync(values.json, JSON.stringify(report, null, 1) + '\n');
  return meetsTarget(report) ? 0 : 1;
}

