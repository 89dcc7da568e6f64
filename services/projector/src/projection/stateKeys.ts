/*
 * Keys of the projector's saved state in the read-model store (`ReadModelBatch.engineState`).
 * One key per vehicle, consignment, zone and carrier, so a batch rewrites only what it touched.
 */
export const stateKeys = {
  vehicle: (vehicleId: string) => `v:${vehicleId}`,
  consignment: (waybillNo: string) => `c:${waybillNo}`,
  zone: (zoneId: string) => `z:${zoneId}`,
  carrier: (carrierId: string) => `k:${carrierId}`,
  /** A vehicle's registry events (registrations, transfers), for the register's fold. */
  register: (vehicleId: string) => `r:${vehicleId}`,
  /** A vehicle's planning state (its lot, stop and segments: see @dgt/planning). */
  planning: (vehicleId: string) => `p:${vehicleId}`,
  /** Engine counters. */
  counters: 'n',
  /** The engine's clock: the latest ClockTicked applied (epoch ms, or null). */
  clock: 't',
  /** Alerts committed but perhaps not yet published (see projector.ts). */
  outbox: 'o',
  /** Position of the newest detection this projector wrote, as of the last commit. */
  detectionsHead: 'dh',
} as const;

export type StateKind = 'vehicle' | 'consignment' | 'zone' | 'carrier' | 'register' | 'planning';

const prefixes: Record<string, StateKind> = { 'v:': 'vehicle', 'c:': 'consignment', 'z:': 'zone', 'k:': 'carrier', 'r:': 'register', 'p:': 'planning' };

/** Which part a saved key holds, and its id; `undefined` for the singleton keys. */
export function parseStateKey(key: string): { kind: StateKind; id: string } | undefined {
  const kind = prefixes[key.slice(0, 2)];
  return kind === undefined ? undefined : { kind, id: key.slice(2) };
}
