import { setTimeout as sleep } from 'node:timers/promises';
import type { LocationInput, ProtocolFlavour } from '@dgt/jt808';
import { GeneralAckResult } from '@dgt/jt808';
import { SimulatedTerminal, simulatedIdentity } from './terminalSimulator.ts';

export interface FleetTerminal {
  readonly phone: string;
  readonly flavour: ProtocolFlavour;
  /** The plate it states when it registers (its gateway record's plate: see `simulatedTerminalEntry`). */
  readonly plate: string;
}

export interface FleetOptions {
  readonly host: string;
  readonly port: number;
  readonly terminals: readonly FleetTerminal[];
  /** How long terminals keep sending (acks still outstanding at the end are awaited). */
  readonly durationMs: number;
  /** Milliseconds between one terminal's reports; 0 = as fast as `window` allows. */
  readonly reportIntervalMs: number;
  /** Reports one terminal keeps unacknowledged at once (pipelining). Default 1. */
  readonly window?: number;
  /** Every n-th send of a terminal is a 0x0704 batch of 3 fixes instead of a 0x0200 (0 = never). */
  readonly batchEvery?: number;
  /** Fix time of a terminal's first fix; its k-th fix is 1 s later per step (distinct, deterministic). */
  readonly firstFixMs: number;
  /** Connections opened at once while logging in. Default 100. */
  readonly connectConcurrency?: number;
  /**
   * Auth codes by phone, read and written: a terminal with a code authenticates with it, one
   * without registers (once) and its issued code is kept here for the next run, as real
   * terminals keep theirs.
   */
  readonly authCodes?: Map<string, string>;
  /** Called for every answered report with the fix times it carried. */
  readonly onAck?: (phone: string, fixTimesMs: readonly number[], result: number) => void;
}

export interface FleetResult {
  readonly connected: number;
  readonly connectFailures: number;
  readonly sentFrames: number;
  readonly sentFixes: number;
  readonly ackedFixes: number;
  readonly failedAcks: number;
  readonly lostReplies: number;
  readonly sendingSeconds: number;
  /** Acknowledged fixes per second of sending time. */
  readonly ackedPerSecond: number;
  readonly latencyMs: { readonly p50: number; readonly p99: number; readonly max: number };
}

/** Deterministic movement around Taizhou: terminal i, fix k. */
export function simulatedFix(i: number, k: number, timeMs: number): LocationInput {
  return {
    alarm: k % 97 === 0 ? 1 << 1 : 0,
    status: 0b11 | (1 << 19) | (i % 3 === 0 ? 3 << 8 : 0),
    latitude: 28.45 + ((i * 7919) % 4000) / 10_000 + ((k % 600) * 0.00005),
    longitude: 121.0 + ((i * 104_729) % 6000) / 10_000 + ((k % 600) * 0.00004),
    altitudeM: 10 + (i % 50),
    speedKmh: 30 + (k % 50),
    direction: (i * 13 + k * 3) % 360,
    timeMs,
    extras: { mileageKm: 1000 + k / 10, satellites: 8 + (k % 10) },
  };
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]!;
}

/**
 * Runs a fleet of simulated terminals against a gateway: connect, authenticate (registering
 * first when it holds no code), report for `durationMs`, then close. Used by the integration
 * test and the bench.
 */
export async function runTerminalFleet(options: FleetOptions): Promise<FleetResult> {
  const window = options.window ?? 1;
  const batchEvery = options.batchEvery ?? 0;
  const terminals: (SimulatedTerminal | undefined)[] = new Array(options.terminals.length).fill(undefined);
  let connectFailures = 0;
  let next = 0;
  const connectOne = async (): Promise<void> => {
    while (next < options.terminals.length) {
      const i = next++;
      const t = options.terminals[i]!;
      try {
        const code = options.authCodes?.get(t.phone);
        const sim = await SimulatedTerminal.connect({
          host: options.host,
          port: options.port,
          phone: t.phone,
          flavour: t.flavour,
          identity: simulatedIdentity(t.phone, t.plate),
          ...(code === undefined ? {} : { authCode: code }),
        });
        try {
          const issued = await sim.login();
          options.authCodes?.set(t.phone, issued);
          terminals[i] = sim;
        } catch {
          connectFailures++;
          await sim.close();
        }
      } catch {
        connectFailures++;
      }
    }
  };
  await Promise.all(Array.from({ length: options.connectConcurrency ?? 100 }, connectOne));

  let sentFrames = 0;
  let sentFixes = 0;
  let ackedFixes = 0;
  let failedAcks = 0;
  let lostReplies = 0;
  let latencies = new Float64Array(1 << 16);
  let samples = 0;
  const record = (ms: number) => {
    if (samples === latencies.length) {
      const bigger = new Float64Array(latencies.length * 2);
      bigger.set(latencies);
      latencies = bigger;
    }
    latencies[samples++] = ms;
  };

  const started = performance.now();
  const endAt = started + options.durationMs;
  const fixSeq = new Array<number>(options.terminals.length).fill(0);
  const sendOne = async (i: number, sim: SimulatedTerminal): Promise<void> => {
    const phone = options.terminals[i]!.phone;
    const batch = batchEvery > 0 && (sentFrames + i) % batchEvery === 0;
    const fixes: LocationInput[] = [];
    for (let n = batch ? 3 : 1; n > 0; n--) {
      const k = fixSeq[i]!++;
      fixes.push(simulatedFix(i, k, options.firstFixMs + k * 1000));
    }
    sentFrames++;
    sentFixes += fixes.length;
    const t0 = performance.now();
    try {
      const ack = batch ? await sim.batch(0, fixes) : await sim.report(fixes[0]!);
      record(performance.now() - t0);
      if (ack.result === GeneralAckResult.success) ackedFixes += fixes.length;
      else failedAcks++;
      options.onAck?.(phone, fixes.map((f) => f.timeMs), ack.result);
    } catch {
      lostReplies++;
    }
  };
  const worker = async (i: number, sim: SimulatedTerminal, lane: number): Promise<void> => {
    const interval = options.reportIntervalMs;
    // Spread terminals over the interval so the gateway sees a steady load, not waves.
    let due = started + (interval > 0 ? ((i * window + lane) * interval) / (options.terminals.length * window) : 0);
    while (!sim.isClosed) {
      if (interval > 0) {
        const wait = due - performance.now();
        if (wait > 0) await sleep(wait);
        due += interval * window;
      }
      if (performance.now() >= endAt) return;
      await sendOne(i, sim);
    }
  };
  const workers: Promise<void>[] = [];
  terminals.forEach((sim, i) => {
    if (sim !== undefined) for (let lane = 0; lane < window; lane++) workers.push(worker(i, sim, lane));
  });
  await Promise.all(workers);
  const sendingSeconds = (performance.now() - started) / 1000;
  await Promise.all(terminals.map((t) => t?.close()));

  const sorted = latencies.slice(0, samples).sort();
  return {
    connected: terminals.filter((t) => t !== undefined).length,
    connectFailures,
    sentFrames,
    sentFixes,
    ackedFixes,
    failedAcks,
    lostReplies,
    sendingSeconds,
    ackedPerSecond: ackedFixes / sendingSeconds,
    latencyMs: { p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: samples > 0 ? sorted[samples - 1]! : 0 },
  };
}
