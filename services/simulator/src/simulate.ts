import { withClockTicks } from './clockTicks.ts';
import { buildFleet, type Fleet } from './fleet.ts';
import { cstMidnightMs, isoCst } from './localTime.ts';
import type { SimMessage } from './messages.ts';
import { MinHeap } from './minHeap.ts';
import { defaultNoise, defaultScenario, type NoiseProfile, type ScenarioProfile } from './profile.ts';
import { RoadNetwork } from './roadNetwork.ts';
import { registryEvents, SEED_TIME, SEED_TIME_MS, zoneEvents } from './seeds.ts';
import { defaultRuleThresholds, type RuleThresholds } from './ruleTruth.ts';
import { emptyFaults, emptyInjections, emptyNegatives, type GroundTruth } from './truth.ts';
import { type RunContext, runVehicle } from './vehicleRun.ts';

export interface SimulationOptions {
  /** Any text or number; the same seed gives the same messages and truth. Default `1`. */
  seed?: string | number;
  /** How many vehicles of the seed fleet (V0001, V0002, …) drive. Default 100. */
  vehicles?: number;
  /** How many days, from local midnight of `start`. Default 1. */
  days?: number;
  /** First day, `YYYY-MM-DD` in China Standard Time. Default 2026-03-02. */
  start?: string;
  noise?: Partial<NoiseProfile>;
  scenario?: Partial<ScenarioProfile>;
  /** Begin with the seed zones and the register of the simulated vehicles. Default true. */
  includeSeeds?: boolean;
  /** Thresholds the overspeed and restricted-entry truth is derived with (the detector's config). */
  rules?: Partial<RuleThresholds>;
  /**
   * Interleave a ClockTicked for every whole simulated minute, as a recorder appends them (the
   * offline and rest rules need time to pass without fixes). Default true; the ingest sinks
   * leave them out (ingest refuses them), NDJSON keeps them for `dgt detect`.
   */
  clockTicks?: boolean;
}

export interface ResolvedSimulationOptions {
  seed: string;
  vehicles: number;
  days: number;
  start: string;
  noise: NoiseProfile;
  scenario: ScenarioProfile;
  includeSeeds: boolean;
  rules: RuleThresholds;
  clockTicks: boolean;
}

export interface Simulation {
  readonly options: ResolvedSimulationOptions;
  /** Every message in arrival order; iterate once. */
  readonly messages: Generator<SimMessage>;
  /** Filled while `messages` is iterated; complete (and sorted) once it is exhausted. */
  readonly truth: GroundTruth;
  /** First and last instant of the simulated window (epoch ms). */
  readonly startMs: number;
  readonly endMs: number;
}

export class SimulationOptionsError extends Error {
  readonly code = 'SIMULATION_OPTIONS_INVALID';
  constructor(message: string) {
    super(message);
    this.name = 'SimulationOptionsError';
  }
}

export const DEFAULT_START = '2026-03-02';

let sharedFleet: Fleet | null = null;
let sharedNetwork: RoadNetwork | null = null;

export function resolveSimulationOptions(o: SimulationOptions = {}): ResolvedSimulationOptions {
  const fleet = (sharedFleet ??= buildFleet());
  const vehicles = o.vehicles ?? 100;
  const days = o.days ?? 1;
  const start = o.start ?? DEFAULT_START;
  if (!Number.isInteger(vehicles) || vehicles < 1 || vehicles > fleet.vehicles.length) {
    throw new SimulationOptionsError(`vehicles must be an integer from 1 to ${fleet.vehicles.length} (the seed fleet), got ${vehicles}`);
  }
  if (!Number.isInteger(days) || days < 1 || days > 366) throw new SimulationOptionsError(`days must be an integer from 1 to 366, got ${days}`);
  const startMs = cstMidnightMs(start);
  if (Number.isNaN(startMs)) throw new SimulationOptionsError(`start must be a date YYYY-MM-DD, got "${start}"`);
  if (startMs <= SEED_TIME_MS) throw new SimulationOptionsError(`start must be after the seeds' date (${SEED_TIME.slice(0, 10)}): zones are designated then`);
  return {
    seed: String(o.seed ?? 1),
    vehicles,
    days,
    start,
    noise: { ...defaultNoise, ...o.noise },
    scenario: { ...defaultScenario, ...o.scenario },
    includeSeeds: o.includeSeeds ?? true,
    rules: { ...defaultRuleThresholds, ...o.rules },
    clockTicks: o.clockTicks ?? true,
  };
}

/** A short id-safe tag of the seed, so runs with different seeds never share an event id. */
export function runTagOf(seed: string): string {
  const clean = seed.replace(/[^A-Za-z0-9]/g, '').slice(0, 16);
  return `s${clean || '0'}`;
}

/**
 * Simulates `vehicles` vehicles for `days` days. Pure given the options: no clock, no I/O, one
 * seeded generator per vehicle (so vehicle V0001 drives the same day whatever `vehicles` is).
 */
export function simulate(options: SimulationOptions = {}): Simulation {
  const o = resolveSimulationOptions(options);
  const fleet = (sharedFleet ??= buildFleet());
  const network = (sharedNetwork ??= new RoadNetwork());
  const startMs = cstMidnightMs(o.start);
  const endMs = startMs + o.days * 86_400_000;
  const truth: GroundTruth = {
    seed: o.seed,
    start: isoCst(startMs),
    days: o.days,
    vehicles: o.vehicles,
    noise: o.noise,
    scenario: o.scenario,
    rules: o.rules,
    parking: [],
    segments: [],
    overspeeds: [],
    restrictedEntries: [],
    fatigue: [],
    offline: [],
    deviations: [],
    negatives: emptyNegatives(),
    injected: emptyInjections(),
    faults: emptyFaults(),
  };
  const ctx: RunContext = {
    network,
    fleet,
    noise: o.noise,
    scenario: o.scenario,
    seed: o.seed,
    runTag: runTagOf(o.seed),
    startMs,
    endMs,
    truth,
    rules: o.rules,
  };
  const vehicles = fleet.vehicles.slice(0, o.vehicles);
  function* vehicleMessages(): Generator<SimMessage> {
    if (o.includeSeeds) {
      for (const event of zoneEvents()) yield { kind: 'event', event, arrivalMs: SEED_TIME_MS };
      for (const event of registryEvents(fleet, new Set(vehicles.map((v) => v.vehicleId)))) yield { kind: 'event', event, arrivalMs: SEED_TIME_MS };
    }
    const heap = new MinHeap<{ gen: Generator<SimMessage>; msg: SimMessage }>();
    for (const v of vehicles) {
      const gen = runVehicle(ctx, v);
      const first = gen.next();
      if (!first.done) heap.push(first.value.arrivalMs, { gen, msg: first.value });
    }
    while (heap.size > 0) {
      const { gen, msg } = heap.pop()!;
      yield msg;
      const next = gen.next();
      if (!next.done) heap.push(next.value.arrivalMs, { gen, msg: next.value });
    }
    const byStart = <T extends { startMs: number; vehicleId: string }>(a: T, b: T) => a.startMs - b.startMs || (a.vehicleId < b.vehicleId ? -1 : a.vehicleId > b.vehicleId ? 1 : 0);
    truth.parking.sort(byStart);
    truth.segments.sort(byStart);
    truth.overspeeds.sort(byStart);
    truth.restrictedEntries.sort((a, b) => byStart(a, b) || (a.zoneId < b.zoneId ? -1 : a.zoneId > b.zoneId ? 1 : 0));
    truth.fatigue.sort(byStart);
    truth.offline.sort(byStart);
    truth.deviations.sort(byStart);
  }
  const messages = o.clockTicks ? withClockTicks(vehicleMessages(), startMs, endMs) : vehicleMessages();
  return { options: o, messages, truth, startMs, endMs };
}
