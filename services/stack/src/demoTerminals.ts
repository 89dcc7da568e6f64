import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { writePrivateFile } from '@dgt/datadir';
import { readGatewayEnv, simulatedIdentity, type TerminalEntry } from '@dgt/jt808-gateway';
import type { VehicleEntry } from '@dgt/jt809-gateway';
import { StackError } from './stackError.ts';

export const DEMO_TERMINALS_FILE = 'terminals.json';

/** Yellow: the plate colour of hazmat trucks (JT/T 697.7). */
const YELLOW = 2;

/** The JT/T 808 gateway's terminal records in `npm start`, and where they are kept. */
export interface DemoTerminals {
  readonly path: string;
  readonly created: boolean;
  readonly entries: readonly TerminalEntry[];
}

/**
 * One terminal record per seeded vehicle, derived from the register alone (so every start on
 * every machine derives the same): the SIM number the seed registers for the vehicle, its plate
 * (yellow), and the identity dgt's simulated terminals state (manufacturer `DGTSM`, model
 * `DGT-SIM-808`, the phone's last 7 digits as terminal id). A vehicle the seeds give no phone
 * gets a stable one from its id.
 */
export function demoTerminalEntries(register: readonly VehicleEntry[]): TerminalEntry[] {
  return register.map((v) => {
    const phone = v.terminalPhone ?? derivedPhone(v.vehicleId);
    const { manufacturerId, terminalModel, terminalId } = simulatedIdentity(phone, v.plateNo);
    return { phone, plate: v.plateNo, plateColour: YELLOW, manufacturerId, terminalModel, terminalId, vehicleId: v.vehicleId };
  });
}

/** `149` (no real carrier's prefix) and eight digits of the vehicle id. */
function derivedPhone(vehicleId: string): string {
  let h = 0;
  for (const ch of vehicleId) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  const digits = vehicleId.replace(/\D/g, '');
  return `149${(digits === '' ? String(h % 100_000_000) : digits.slice(-8)).padStart(8, '0')}`;
}

/**
 * `<dataDir>/terminals.json`: written on first start from the seed register, read (and checked
 * by the gateway's own rules) on every later one. It is the gateway's `JT808_TERMINALS_FILE`
 * format, so an operator can point a real terminal at the demo by editing one entry — its
 * manufacturer id, model and terminal id as the terminal states them in 0x0100 — and restarting.
 */
export function loadOrCreateDemoTerminals(dataDir: string, register: readonly VehicleEntry[]): DemoTerminals {
  const path = join(dataDir, DEMO_TERMINALS_FILE);
  if (existsSync(path)) {
    try {
      // The gateway's reader: the same checks (fields, widths, one record per phone, plate, vehicle) as standalone.
      return { path, created: false, entries: readGatewayEnv({ JT808_TERMINALS_FILE: path }).terminals };
    } catch (error) {
      throw new StackError('START_FAILED', `${path}: ${(error as Error).message} (fix it, or delete it to derive the records from the seeds again)`, { cause: error });
    }
  }
  const entries = demoTerminalEntries(register);
  mkdirSync(dataDir, { recursive: true });
  writePrivateFile(path, `${JSON.stringify(entries, null, 1)}\n`);
  return { path, created: true, entries };
}
