import { readFileSync } from 'node:fs';
import type { parseArgs } from 'node:util';
import type { CipherKeys, Edition } from '@dgt/jt809';
import type { DeliveredVehicle } from '@dgt/jt809-gateway';
import { buildFleet } from '@dgt/simulator';
import { UsageError } from './io.ts';

/** What `dgt jt809 simulate` runs, checked once here. */
export interface Jt809SimulateOptions {
  readonly host: string;
  readonly port: number;
  readonly accessCode: number;
  readonly userId: number;
  readonly password: string;
  readonly edition: Edition;
  readonly keys: CipherKeys | undefined;
  readonly vehicles: readonly DeliveredVehicle[];
  /** Fixes per second over the whole fleet (round robin). */
  readonly rate: number;
  readonly durationMs: number;
  readonly outage: { readonly atMs: number; readonly forMs: number } | undefined;
  readonly ackEveryMs: number;
  readonly json: boolean;
}

export const jt809OptionSpec = {
  host: { type: 'string' },
  port: { type: 'string' },
  'access-code': { type: 'string' },
  'user-id': { type: 'string' },
  password: { type: 'string' },
  edition: { type: 'string' },
  m1: { type: 'string' },
  ia1: { type: 'string' },
  ic1: { type: 'string' },
  vehicles: { type: 'string' },
  'vehicles-file': { type: 'string' },
  carrier: { type: 'string' },
  'plate-colour': { type: 'string' },
  rate: { type: 'string' },
  duration: { type: 'string' },
  'outage-at': { type: 'string' },
  'outage-for': { type: 'string' },
  'ack-every': { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof jt809OptionSpec; allowPositionals: true }>>['values'];

const U32_MAX = 0xffff_ffff;

function integer(name: string, text: string | undefined, min: number, max: number, fallback?: number): number {
  if (text === undefined) {
    if (fallback === undefined) throw new UsageError(`--${name} is required`);
    return fallback;
  }
  const n = Number(text);
  if (text.trim() === '' || !Number.isInteger(n) || n < min || n > max) throw new UsageError(`--${name} must be an integer from ${min} to ${max}, got "${text}"`);
  return n;
}

function seconds(name: string, text: string | undefined, min: number, fallback?: number): number | undefined {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n < min || n > 86_400) throw new UsageError(`--${name} must be a number of seconds from ${min} to 86400, got "${text}"`);
  return n;
}

/** Plates go on the wire without the register's separator (浙J·12345 → 浙J12345), as platforms send them. */
const wirePlate = (plateNo: string): string => plateNo.replace(/[·\s]/g, '');

function vehiclesFromFile(path: string, colour: number): DeliveredVehicle[] {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new UsageError(`--vehicles-file ${path}: ${(e as Error).message}`);
  }
  if (!Array.isArray(json) || json.length === 0) throw new UsageError(`--vehicles-file ${path}: must be a non-empty JSON array of {"plateNo": "浙J·12345", "plateColour"?: 2} (the gateway's JT809_VEHICLES_FILE will do)`);
  return json.map((v: unknown, i) => {
    const entry = v as { plateNo?: unknown; plateColour?: unknown } | null;
    if (typeof entry?.plateNo !== 'string' || entry.plateNo.trim() === '') throw new UsageError(`--vehicles-file ${path}: entry ${i} has no plateNo`);
    const c = entry.plateColour ?? colour;
    if (typeof c !== 'number' || !Number.isInteger(c) || c < 0 || c > 255) throw new UsageError(`--vehicles-file ${path}: entry ${i}: plateColour must be 0–255`);
    return { plate: wirePlate(entry.plateNo), plateColour: c };
  });
}

/** `wanted` undefined: all of the carrier's vehicles. */
function vehiclesFromFleet(wanted: number | undefined, carrier: string | undefined, colour: number): DeliveredVehicle[] {
  const fleet = buildFleet().vehicles.filter((v) => carrier === undefined || v.carrierId === carrier);
  if (fleet.length === 0) throw new UsageError(`--carrier ${carrier}: the seed fleet has no such carrier (C001…)`);
  const count = wanted ?? fleet.length;
  if (count > fleet.length) throw new UsageError(`--vehicles ${count}: the seed fleet has ${fleet.length} vehicle(s)${carrier === undefined ? '' : ` of carrier ${carrier}`}`);
  return fleet.slice(0, count).map((v) => ({ plate: wirePlate(v.plateNo), plateColour: colour }));
}

export function readJt809SimulateOptions(values: Values): Jt809SimulateOptions {
  const edition = values.edition ?? '2019';
  if (edition !== '2011' && edition !== '2019') throw new UsageError(`--edition must be 2011 or 2019, got "${edition}"`);
  if (values.password === undefined || values.password === '') throw new UsageError('--password is required (the 0x1001 PASSWORD the gateway has the SHA-256 of)');
  // PASSWORD is 8 bytes on the wire: a longer one would be cut and never match.
  if (Buffer.byteLength(values.password, 'utf8') > 8) throw new UsageError('--password must be at most 8 bytes (JT/T 809 PASSWORD is 8 bytes)');
  const given = [values.m1, values.ia1, values.ic1].filter((k) => k !== undefined).length;
  if (given !== 0 && given !== 3) throw new UsageError('--m1, --ia1 and --ic1 go together: give all three to encrypt, or none');
  const keys = given === 3 ? { m1: integer('m1', values.m1, 0, U32_MAX), ia1: integer('ia1', values.ia1, 0, U32_MAX), ic1: integer('ic1', values.ic1, 0, U32_MAX) } : undefined;
  const colour = integer('plate-colour', values['plate-colour'], 0, 255, 2);
  if (values['vehicles-file'] !== undefined && (values.vehicles !== undefined || values.carrier !== undefined)) throw new UsageError('--vehicles-file names the vehicles itself: leave out --vehicles and --carrier');
  const vehicles =
    values['vehicles-file'] !== undefined
      ? vehiclesFromFile(values['vehicles-file'], colour)
      : vehiclesFromFleet(values.vehicles === undefined && values.carrier !== undefined ? undefined : integer('vehicles', values.vehicles, 1, 2400, 100), values.carrier, colour);
  const durationS = seconds('duration', values.duration, 1, 60)!;
  const defaultRate = Math.max(1, Math.round(vehicles.length / 10));
  const rate = values.rate === undefined ? defaultRate : Number(values.rate);
  if (!Number.isFinite(rate) || rate <= 0) throw new UsageError(`--rate must be a positive number of fixes per second, got "${values.rate}"`);
  // Fix times are whole seconds on the wire: two fixes of one vehicle in a second would be one event.
  if (rate > vehicles.length) throw new UsageError(`--rate ${rate} exceeds the ${vehicles.length} vehicle(s): a vehicle reports at most once a second`);
  let outage: Jt809SimulateOptions['outage'];
  const outageAt = seconds('outage-at', values['outage-at'], 0);
  const outageFor = seconds('outage-for', values['outage-for'], 0.1);
  if (outageFor !== undefined && outageAt === undefined) throw new UsageError('--outage-for needs --outage-at (when the link goes down)');
  if (outageAt !== undefined) {
    const forS = outageFor ?? 10;
    if (outageAt + forS >= durationS) throw new UsageError(`the outage (--outage-at ${outageAt} + --outage-for ${forS} s) must end before --duration ${durationS} s, so its back-fill is part of the run`);
    outage = { atMs: outageAt * 1000, forMs: forS * 1000 };
  }
  return {
    host: values.host ?? '127.0.0.1',
    port: integer('port', values.port, 1, 65_535, 9809),
    accessCode: integer('access-code', values['access-code'], 0, U32_MAX),
    userId: integer('user-id', values['user-id'], 0, U32_MAX),
    password: values.password,
    edition,
    keys,
    vehicles,
    rate,
    durationMs: durationS * 1000,
    outage,
    ackEveryMs: seconds('ack-every', values['ack-every'], 0.1, 1)! * 1000,
    json: values.json,
  };
}
