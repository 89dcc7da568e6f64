import type { ZoneRules } from '@dgt/events';
import type { ZoneSpec } from '@dgt/geo';
import type { Consignment } from './consignmentLifecycle.ts';
import type { EngineStats } from './engine.ts';
import type { Driving } from './fatigue.ts';
import type { OverspeedRun } from './overspeed.ts';
import type { RestrictedEntry } from './restrictedEntry.ts';
import type { DeviationRun } from './routeDeviation.ts';
import type { Presence } from './segmentPresence.ts';
import type { Stop } from './stopTracker.ts';

/*
 * The engine's whole state as plain JSON, so a projector can save it with its checkpoint and a
 * restart resumes where it stopped instead of re-reading history. It is split in parts (one per
 * vehicle, consignment and zone) so a batch saves only what it changed.
 */

/** 2: zone rules in designations, restricted entries and overspeed runs per vehicle (issue #15). */
export const ENGINE_STATE_VERSION = 2;

/** One vehicle's tracking state. `lastMs` is `null` before its first applied fix. */
export interface VehicleStateData {
  vehicleId: string;
  lastMs: number | null;
  lastEventId: string;
  lastOccurredAt: string;
  lastLon: number;
  lastLat: number;
  lastSpeedKmh: number;
  /** The duplicate-detection ring as stored, with the slot written next. */
  recent: string[];
  recentNext: number;
  stop: Stop | null;
  presences: Presence[];
  /** Open restricted entries, sorted by zoneId. */
  restricted: RestrictedEntry[];
  /** The run of fixes above the limit in progress, started (emitted) or not yet. */
  overspeed: OverspeedRun | null;
  /** Time rules (#16); absent in parts saved before them. The driving period under way (fatigue). */
  driving?: Driving | null;
  /** TerminalOffline emitted and no fix since. */
  offline?: boolean;
  /** The run of fixes off the declared route under way. */
  deviation?: DeviationRun | null;
}

/** A consignment and the ids of the events applied to it (their replays are duplicates). */
export interface ConsignmentStateData {
  consignment: Consignment;
  eventIds: string[];
}

/**
 * A zone as the sequence of applied designations and withdrawals: replaying them in `seq`
 * order rebuilds an identical zone index (the H3 cover is derived, never stored).
 */
export type ZoneOp =
  | { seq: number; eventId: string; atMs: number; op: 'designate'; spec: ZoneSpec; rules?: ZoneRules }
  | { seq: number; eventId: string; atMs: number; op: 'withdraw'; zoneId: string };

export interface ZoneStateData {
  zoneId: string;
  ops: ZoneOp[];
}

export interface EngineState {
  version: typeof ENGINE_STATE_VERSION;
  /** Sorted by vehicleId. */
  vehicles: VehicleStateData[];
  /** Sorted by waybillNo. */
  consignments: ConsignmentStateData[];
  /** Sorted by zoneId. */
  zones: ZoneStateData[];
  counters: EngineStats;
  /** Epoch ms of the latest ClockTicked applied (null: none yet; absent in states saved before #16). */
  clockMs?: number | null;
}

/** Keys of the parts changed since the last `takeChanges()`, each sorted. */
export interface EngineChanges {
  vehicles: string[];
  consignments: string[];
  zones: string[];
}

export class EngineStateError extends Error {
  readonly code = 'ENGINE_STATE_INVALID';
  constructor(message: string) {
    super(message);
    this.name = 'EngineStateError';
  }
}

/** Cheap structural checks: state comes from our own export, but from a file that may be old or foreign. */
export function checkEngineState(state: unknown): asserts state is EngineState {
  if (state === null || typeof state !== 'object') throw new EngineStateError('engine state must be an object');
  const s = state as Partial<EngineState>;
  if (s.version !== ENGINE_STATE_VERSION) {
    throw new EngineStateError(`engine state version ${String(s.version)} is not supported (expected ${ENGINE_STATE_VERSION})`);
  }
  for (const key of ['vehicles', 'consignments', 'zones'] as const) {
    if (!Array.isArray(s[key])) throw new EngineStateError(`engine state ${key} must be an array`);
  }
  if (s.counters === null || typeof s.counters !== 'object') throw new EngineStateError('engine state counters must be an object');
}

/**
 * The duplicate ring for a window of `size`: as saved when it fits (the usual case, same
 * config), else its newest `size` ids oldest first (the window was changed between runs).
 */
export function fitRing(recent: readonly string[], next: number, size: number): { recent: string[]; next: number } {
  const fits = (recent.length < size && next === recent.length) || (recent.length === size && next >= 0 && next < size);
  if (fits) return { recent: [...recent], next };
  if (size === 0) return { recent: [], next: 0 };
  const oldestFirst = [...recent.slice(next), ...recent.slice(0, next)].slice(-size);
  return { recent: oldestFirst, next: oldestFirst.length % size };
}

export function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
