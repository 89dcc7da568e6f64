import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BusLogger } from '@dgt/bus';
import type { DeliveryStats } from '@dgt/jt809-gateway';
import { DEFAULT_START, HttpIngestSink, Jt808TerminalSink, pump, simulate, type Jt808SinkStats, type MessageSink, type SimMessage, type Speed } from '@dgt/simulator';
import type { Jt808DemoDelivery } from './jt808Demo.ts';
import { Jt809DemoSink, type Jt809DemoDelivery } from './jt809DemoSink.ts';

export const SIMULATION_STATE_FILE = 'simulation.json';

/** Simulated days start here (local time): the night before is sent at once, so vehicles show up in their lots. */
const MORNING_HOUR = 7;
const CST_OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;

/** One simulated run of the demo and how far it got; kept in `<dataDir>/simulation.json` so a restart continues it. */
export interface SimulationRun {
  readonly seed: string;
  /** First simulated day, YYYY-MM-DD (China Standard Time). */
  readonly start: string;
  readonly days: number;
  /** Arrival time (epoch ms) from which messages still have to be sent; 0 = from the start. */
  readonly resumeAtMs: number;
}

export interface DemoSimulationOptions {
  readonly ingestUrl: string;
  readonly ingestKey: string;
  readonly dataDir: string;
  /** Simulated seconds per wall second. */
  readonly speed: Speed;
  readonly vehicles: number;
  /** Days per run; when a run ends the next one continues the next day. Default 2. */
  readonly daysPerRun?: number;
  readonly signal: AbortSignal;
  readonly log: BusLogger;
  /** Wall clock (epoch ms): dates the first run, and no message is sent before its time on it. */
  readonly now?: () => number;
  /** How often a progress line is logged. Default 30 s. */
  readonly reportEveryMs?: number;
  /** Deliver these vehicles' positions as a JT/T 809 platform instead of over HTTP. */
  readonly jt809?: Jt809DemoDelivery;
  /** Drive these vehicles as JT/T 808 terminals (their positions over TCP to the gateway) instead of over HTTP. */
  readonly jt808?: Jt808DemoDelivery;
}

export interface DemoSimulationResult {
  readonly messages: number;
  readonly rejected: number;
  readonly run: SimulationRun;
  /** The JT/T 809 platform's counts, summed over runs, when it delivered part of the fleet. */
  readonly jt809?: DeliveryStats;
  /** The simulated JT/T 808 terminals' counts, summed over runs, when part of the fleet reported so. */
  readonly jt808?: Jt808SinkStats;
}

/**
 * The simulator driving the stack through its ingest API, until the signal aborts it. It starts
 * the day before at `speed`× real time and, once it has caught up with the wall clock, goes on in
 * real time: the gateway refuses fixes dated after it received them (and accelerating past now
 * would date fixes in the future). Runs are deterministic, so a restart skips what was already
 * sent (by arrival time) instead of re-posting hours of history; anything sent twice at the seam
 * is answered `duplicate` by the gateway. A saved run too old for the gateway's back-fill window
 * is not resumed: a fresh one starts the day before.
 */
export async function runDemoSimulation(o: DemoSimulationOptions): Promise<DemoSimulationResult> {
  const statePath = join(o.dataDir, SIMULATION_STATE_FILE);
  const wallClock = o.now ?? Date.now;
  const saved = readRun(statePath);
  let run = saved !== null && !isStale(saved, wallClock()) ? saved : firstRun(wallClock(), o.daysPerRun ?? 2);
  if (saved !== null && run !== saved) o.log.info('the saved simulation is older than the gateway takes; a new run starts the day before', { saved: saved.start });
  let messages = 0;
  let rejected = 0;
  let jt809: DeliveryStats | undefined;
  let jt808: Jt808SinkStats | undefined;
  for (;;) {
    const sim = simulate({ seed: run.seed, vehicles: o.vehicles, days: run.days, start: run.start, includeSeeds: false });
    const simStartMs = Math.max(run.resumeAtMs, sim.startMs + MORNING_HOUR * 3_600_000);
    const tracker = new SentTracker(run.resumeAtMs);
    const http = new HttpIngestSink({ url: o.ingestUrl, apiKey: o.ingestKey, batchSize: 500 });
    const platform = o.jt809 === undefined ? undefined : new Jt809DemoSink(http, o.jt809, (what, fields) => o.log.info(`jt809 platform: ${what}`, fields));
    await platform?.start();
    const terminals = o.jt808 === undefined ? undefined : jt808Sink(o.jt808, platform ?? http, o.log);
    try {
      await terminals?.start();
    } catch (error) {
      await (platform ?? http).close().catch(() => undefined);
      throw error;
    }
    const sink: MessageSink = terminals ?? platform ?? http;
    if (run.resumeAtMs > 0) o.log.info('simulation resumes', { seed: run.seed, at: cstText(run.resumeAtMs) });
    else o.log.info('simulation starts', { seed: run.seed, days: run.days, from: `${run.start} ${String(MORNING_HOUR).padStart(2, '0')}:00 CST`, vehicles: o.vehicles, speed: o.speed });
    let lastReport = performance.now();
    const current = run;
    const save = (resumeAtMs: number): void => writeRun(statePath, { ...current, resumeAtMs });
    const sent = await pump(tracker.filter(sim.messages), sink, {
      speed: o.speed,
      simStartMs,
      signal: o.signal,
      wallClock,
      sleep: (ms) => abortableSleep(ms, o.signal),
      onProgress: (_n, simMs) => {
        const now = performance.now();
        if (now - lastReport < (o.reportEveryMs ?? 30_000)) return;
        lastReport = now;
        save(simMs);
        o.log.info('simulating', { at: cstText(simMs), sent: messages + tracker.sent(), refused: sink.stats().rejected });
      },
    });
    messages += sent;
    rejected += sink.stats().rejected;
    if (platform !== undefined) jt809 = addStats(jt809, platform.jt809);
    if (terminals !== undefined) jt808 = addTerminalStats(jt808, terminals.jt808);
    if (o.signal.aborted) {
      run = { ...run, resumeAtMs: tracker.safeResumeMs() };
      writeRun(statePath, run);
      return { messages, rejected, run, ...(jt809 === undefined ? {} : { jt809 }), ...(jt808 === undefined ? {} : { jt808 }) };
    }
    o.log.info('simulated days done; the next run continues the day after', { seed: run.seed, through: addDays(run.start, run.days - 1) });
    run = { seed: nextSeed(run.seed), start: addDays(run.start, run.days), days: run.days, resumeAtMs: 0 };
    writeRun(statePath, run);
  }
}

/** The JT/T 808 terminals in front of the other paths; each new code is kept in the data directory at once. */
function jt808Sink(d: Jt808DemoDelivery, fallback: MessageSink, log: BusLogger): Jt808TerminalSink {
  return new Jt808TerminalSink({
    host: d.host,
    port: d.port,
    terminals: d.terminals,
    fallback,
    authCodes: d.codes.byPhone,
    onAuthCode: (phone, code) => d.codes.keep(phone, code),
    onEvent: (what, fields) => {
      // A text from the desk is what a demo user wants to see arrive; link trouble is worth a warning; the rest is routine.
      if (what === 'text message received') log.info(`jt808 terminal: ${what}`, fields);
      else if (what === 'link failed' || what.startsWith('no reply')) log.warn(`jt808 terminal: ${what}`, fields);
      else log.debug(`jt808 terminal: ${what}`, fields);
    },
  });
}

/** Counts summed over runs; `terminals` and `ready` are the last run's. */
function addTerminalStats(a: Jt808SinkStats | undefined, b: Jt808SinkStats): Jt808SinkStats {
  if (a === undefined) return { ...b };
  const sum = { ...b };
  for (const k of Object.keys(b) as (keyof Jt808SinkStats)[]) if (k !== 'terminals' && k !== 'ready') sum[k] = a[k] + b[k];
  return sum;
}

function addStats(a: DeliveryStats | undefined, b: DeliveryStats): DeliveryStats {
  if (a === undefined) return { ...b, loginRefusals: { ...b.loginRefusals } };
  const refusals = { ...a.loginRefusals };
  for (const [code, n] of Object.entries(b.loginRefusals)) refusals[Number(code)] = (refusals[Number(code)] ?? 0) + n;
  return {
    fixesSent: a.fixesSent + b.fixesSent,
    fixesResent: a.fixesResent + b.fixesResent,
    fixesBackfilled: a.fixesBackfilled + b.fixesBackfilled,
    backfillFrames: a.backfillFrames + b.backfillFrames,
    fixesAcknowledged: a.fixesAcknowledged + b.fixesAcknowledged,
    logins: a.logins + b.logins,
    loginRefusals: refusals,
    outages: a.outages + b.outages,
    linkLosses: a.linkLosses + b.linkLosses,
  };
}

/** Skips what an earlier process sent and remembers how far this one got. */
class SentTracker {
  #previous = 0;
  #last = 0;
  #count = 0;

  constructor(private readonly resumeAtMs: number) {
    this.#previous = resumeAtMs;
    this.#last = resumeAtMs;
  }

  *filter(messages: Iterable<SimMessage>): Generator<SimMessage> {
    for (const m of messages) {
      if (m.arrivalMs < this.resumeAtMs) continue;
      this.#previous = this.#last;
      this.#last = m.arrivalMs;
      this.#count++;
      yield m;
    }
  }

  sent(): number {
    return this.#count;
  }

  /** The pump may stop between taking a message and sending it: resume from the one before. */
  safeResumeMs(): number {
    return this.#previous;
  }
}

/**
 * How far behind the wall clock a saved run may resume: inside the gateway's default back-fill
 * window (7 days, INGEST_BACKFILL_WINDOW_S) with a day to spare.
 */
const RESUME_WITHIN_MS = 6 * DAY_MS;

/** A saved run whose next message would be older than the gateway accepts. */
export function isStale(run: SimulationRun, nowMs: number): boolean {
  const from = Math.max(run.resumeAtMs, Date.parse(`${run.start}T00:00:00+08:00`));
  return nowMs - from > RESUME_WITHIN_MS;
}

/** Yesterday (China time), so the simulated fixes are recent but never in the future at first. */
export function firstRun(nowMs: number, days: number): SimulationRun {
  const yesterday = new Date(nowMs + CST_OFFSET_MS - DAY_MS).toISOString().slice(0, 10);
  // The seeds are designated on 2026-01-01: a simulation must start after it.
  const start = yesterday > '2026-01-01' ? yesterday : DEFAULT_START;
  return { seed: 'demo-1', start, days, resumeAtMs: 0 };
}

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

function nextSeed(seed: string): string {
  const m = /^(.*?)(\d+)$/.exec(seed);
  return m === null ? `${seed}-2` : `${m[1]}${Number(m[2]) + 1}`;
}

function cstText(ms: number): string {
  return `${new Date(ms + CST_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ')} CST`;
}

function readRun(path: string): SimulationRun | null {
  if (!existsSync(path)) return null;
  try {
    const r = JSON.parse(readFileSync(path, 'utf8')) as Partial<SimulationRun>;
    const ok = typeof r.seed === 'string' && typeof r.start === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(r.start) && Number.isInteger(r.days) && typeof r.resumeAtMs === 'number';
    return ok ? (r as SimulationRun) : null;
  } catch {
    // A torn or hand-edited state file only costs the demo its place: start a fresh run.
    return null;
  }
}

function writeRun(path: string, run: SimulationRun): void {
  writeFileSync(path, `${JSON.stringify(run, null, 2)}\n`);
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
