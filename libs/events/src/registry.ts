import { z } from 'zod';
import { identifier, timestamp } from './primitives.ts';

/*
 * The register of carriers, their vehicles and the vehicles' terminals (道路运输证, 车载终端).
 * It decides who owns a vehicle, and so what a carrier's key may see; detection itself does
 * not depend on it.
 */

export const carrierRegisteredData = z.looseObject({
  carrierId: identifier,
  name: z.string().min(1, 'must not be empty').max(200, 'must be at most 200 characters'),
  /** 道路运输经营许可证 number, when known. */
  licenceNo: identifier.optional(),
});

/** Separators people and systems write between a plate's city letter and its serial. */
const plateSeparator = '[·•・.\\- ]';
const platePattern = new RegExp(`^(\\p{Script=Han})([A-Za-z])${plateSeparator}?([A-Za-z0-9]{5,6}|[A-Za-z0-9]{4}挂)$`, 'u');

/**
 * Plates as printed, e.g. `浙J·12345` (province, city letter, separator, serial; new-energy
 * plates have 6 characters, semi-trailers end in 挂). `浙J·12345`, `浙J12345` and `浙J 12345`
 * are one plate: compare them with `plateKey`.
 */
export const plateNo = z.string().regex(platePattern, 'must be a plate like 浙J·12345');

/**
 * The one spelling of a plate: `浙J·12345` (middle dot, upper case), whatever separator or case
 * it was written with; `null` if the text is not a plate. Uniqueness and search use it.
 */
export function plateKey(text: string): string | null {
  const m = platePattern.exec(text.trim());
  if (m === null) return null;
  return `${m[1]}${m[2]!.toUpperCase()}·${m[3]!.toUpperCase()}`;
}

export const vehicleRegisteredData = z.looseObject({
  vehicleId: identifier,
  carrierId: identifier,
  plateNo,
  /** JT/T 808 terminal phone number, when the vehicle reports through the gateway. */
  terminalPhone: z.string().regex(/^\d{11,20}$/, 'must be 11–20 digits').optional(),
});

/**
 * A registered vehicle changes hands. From `effectiveAt` on it belongs to `toCarrierId`; the
 * previous owner keeps seeing it for the time it owned it, the new one from then on only.
 * A second `VehicleRegistered` naming another carrier is not a transfer and is refused.
 */
export const vehicleTransferredData = z.looseObject({
  vehicleId: identifier,
  fromCarrierId: identifier,
  toCarrierId: identifier,
  effectiveAt: timestamp,
  reason: z.string().max(500, 'must be at most 500 characters').optional(),
});

/** JT/T 808 plate colours (JT/T 697.7): 0 none, 1 blue, 2 yellow, 3 black, 4 white, 5 green, 9 other. */
export const plateColour = z.number().int().min(0).max(255);

/**
 * A JT/T 808 terminal registered (0x0100 accepted) with the gateway: the body matched the
 * terminal record. The auth code the gateway issued is never part of any event.
 */
export const terminalRegisteredData = z.looseObject({
  /** Normalised phone (no leading zeros). */
  phone: z.string().regex(/^\d{1,20}$/, 'must be 1–20 digits'),
  vehicleId: identifier,
  plateNo: z.string().min(1).max(32),
  plateColour,
  manufacturerId: z.string().max(64),
  terminalModel: z.string().max(64),
  terminalId: z.string().max(64),
});

/** An operator cleared a terminal's registration (`dgt terminals reset <phone>`): it may register once more. */
export const terminalRegistrationResetData = z.looseObject({
  phone: z.string().regex(/^\d{1,20}$/, 'must be 1–20 digits'),
  /** Who reset it (operator name as given to the CLI). */
  by: z.string().min(1, 'must not be empty').max(200),
  reason: z.string().max(500).optional(),
});

export type CarrierRegisteredData = z.infer<typeof carrierRegisteredData>;
export type VehicleRegisteredData = z.infer<typeof vehicleRegisteredData>;
export type VehicleTransferredData = z.infer<typeof vehicleTransferredData>;
export type TerminalRegisteredData = z.infer<typeof terminalRegisteredData>;
export type TerminalRegistrationResetData = z.infer<typeof terminalRegistrationResetData>;
