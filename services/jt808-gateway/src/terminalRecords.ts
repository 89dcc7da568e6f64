import { plateKey } from '@dgt/events';
import type { TerminalEntry } from './gatewayConfig.ts';

/** A configured terminal, normalised for matching 0x0100 bodies against it. */
export interface TerminalRecord {
  /** Phone digits without leading zeros: the same terminal in 2013 (12 digits) and 2019 (20 digits) headers. */
  readonly phone: string;
  /** Under which vehicle its positions are published. */
  readonly vehicleId: string;
  /** The plate as configured (or the VIN with plate colour 0). */
  readonly plate: string;
  readonly plateColour: number;
  readonly manufacturerId: string;
  readonly terminalModel: string;
  readonly terminalId: string;
}

export interface TerminalRecords {
  lookup(phone: string): TerminalRecord | undefined;
  readonly size: number;
}

export type TerminalRecordErrorCode = 'BAD_PHONE' | 'DUPLICATE_PHONE' | 'BAD_PLATE' | 'DUPLICATE_VEHICLE' | 'LEGACY_AUTH_CODE';

export class TerminalRecordError extends Error {
  override readonly name = 'TerminalRecordError';
  constructor(
    readonly code: TerminalRecordErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** Header phones are BCD padded with zeros to 12 or 20 digits; compare without the padding. */
export function normalizePhone(digits: string): string {
  const stripped = digits.replace(/^0+/, '');
  return stripped === '' ? '0' : stripped;
}

const VIN = /^[A-HJ-NPR-Z0-9]{17}$/;

/**
 * What identifies the vehicle a terminal claims: the canonical plate (`浙J·12345` whatever the
 * separator or case it was written with), or the VIN when the plate colour is 0 (no plate yet).
 * `null` when the text is neither.
 */
export function vehicleMark(plate: string, plateColour: number): string | null {
  if (plateColour === 0) {
    const vin = plate.trim().toUpperCase();
    return VIN.test(vin) ? `vin:${vin}` : null;
  }
  return plateKey(plate);
}

export const codesAreIssuedAtRegistration =
  'auth codes are now issued at registration (random per terminal, stored hashed in JT808_STATE_PATH); remove it';

/**
 * The configured terminals, checked as a set: phones, plates and vehicle ids are unique, so a
 * phone names one record and a vehicle has one terminal.
 */
export function createTerminalRecords(entries: readonly TerminalEntry[]): TerminalRecords {
  const byPhone = new Map<string, TerminalRecord>();
  const vehicles = new Map<string, string>();
  const marks = new Map<string, string>();
  for (const t of entries) {
    if ('authCode' in t) throw new TerminalRecordError('LEGACY_AUTH_CODE', `terminal ${t.phone}: "authCode" is no longer supported: ${codesAreIssuedAtRegistration}`);
    if (!/^\d{1,20}$/.test(t.phone)) throw new TerminalRecordError('BAD_PHONE', `terminal phone "${t.phone}" must be 1–20 digits`);
    const phone = normalizePhone(t.phone);
    if (byPhone.has(phone)) throw new TerminalRecordError('DUPLICATE_PHONE', `terminal phone ${t.phone} is configured twice`);
    const mark = vehicleMark(t.plate, t.plateColour);
    if (mark === null) throw new TerminalRecordError('BAD_PLATE', `terminal ${t.phone}: plate "${t.plate}" must be a plate like 浙J·12345 (or a 17-character VIN with plateColour 0)`);
    const other = marks.get(mark);
    if (other !== undefined) throw new TerminalRecordError('DUPLICATE_VEHICLE', `terminals ${other} and ${t.phone} name the same plate ${t.plate}`);
    const vehicleId = t.vehicleId ?? t.plate;
    const holder = vehicles.get(vehicleId);
    if (holder !== undefined) throw new TerminalRecordError('DUPLICATE_VEHICLE', `terminals ${holder} and ${t.phone} publish under the same vehicleId ${vehicleId}`);
    marks.set(mark, t.phone);
    vehicles.set(vehicleId, t.phone);
    byPhone.set(phone, {
      phone,
      vehicleId,
      plate: t.plate,
      plateColour: t.plateColour,
      manufacturerId: t.manufacturerId.trim(),
      terminalModel: t.terminalModel.trim(),
      terminalId: t.terminalId.trim(),
    });
  }
  return { size: byPhone.size, lookup: (phone) => byPhone.get(normalizePhone(phone)) };
}
