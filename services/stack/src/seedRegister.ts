import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { VehicleEntry } from '@dgt/jt809-gateway';
import { defaultSeedsDir } from './seeds.ts';
import { StackError } from './stackError.ts';

/**
 * The seeded register (`VehicleRegistered` in the same seed files the stack posts): which vehicles
 * the demo JT/T 809 platform delivers (its carrier's plates). The gateway itself checks every fix
 * against the live register, the read models as the projector keeps them.
 */
export function seedVehicleRegister(seedsDir: string = defaultSeedsDir): VehicleEntry[] {
  const out: VehicleEntry[] = [];
  let names: string[];
  try {
    names = readdirSync(seedsDir).filter((n) => n.endsWith('.ndjson')).sort();
  } catch (error) {
    throw new StackError('SEEDS_FAILED', `cannot read the seeds at ${seedsDir}: ${(error as Error).message}`, { cause: error });
  }
  for (const name of names) {
    for (const line of readFileSync(join(seedsDir, name), 'utf8').split('\n')) {
      if (!line.includes('"VehicleRegistered"')) continue;
      const event = JSON.parse(line) as { type: string; data: { vehicleId: string; carrierId: string; plateNo: string; terminalPhone?: string } };
      if (event.type !== 'VehicleRegistered') continue;
      const { vehicleId, carrierId, plateNo, terminalPhone } = event.data;
      out.push({ vehicleId, carrierId, plateNo, ...(terminalPhone === undefined ? {} : { terminalPhone }) });
    }
  }
  return out;
}
