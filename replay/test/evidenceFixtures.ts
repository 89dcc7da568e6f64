import { resolveDetectionConfig } from '@dgt/detection';
import type { DgtEvent } from '@dgt/events';
import type { ReplayReport } from '../src/reportTypes.ts';
import { runReplay } from '../src/runReplay.ts';
import { normaliseSelection } from '../src/selection.ts';
import { storeSource } from '../src/storeSource.ts';
import { scenario, storeWith } from './fixtures.ts';

export const thresholds = resolveDetectionConfig({});

/** The register of scenario 02's and 08's carrier C1 and vehicle V1 (recorded before anything else). */
export const register: DgtEvent[] = [
  { eventId: 'reg-C1', type: 'CarrierRegistered', occurredAt: '2026-01-01T00:00:00+08:00', data: { carrierId: 'C1', name: '台州危运物流有限公司', licenceNo: 'ZJ-331000-0042' } },
  { eventId: 'reg-V1', type: 'VehicleRegistered', occurredAt: '2026-01-01T00:01:00+08:00', data: { vehicleId: 'V1', carrierId: 'C1', plateNo: '浙J·12345' } },
] as DgtEvent[];

/** A laden V1 parked at the roadside (a violation) and passing a segment (an advisory), with the register. */
export function evidenceEvents(): DgtEvent[] {
  return [...register, ...scenario('02-parked-laden-roadside-25min')];
}

export async function evidenceReport(events: readonly DgtEvent[] = evidenceEvents()): Promise<ReplayReport> {
  const { report } = await runReplay({ selection: normaliseSelection({}), thresholds }, storeSource(await storeWith(events)));
  return report;
}

/**
 * A fleet-sized report made from a real one: `vehicles` copies of its vehicles, each with
 * `perVehicle` copies of its violations and advisories and a 512-point track, as a fleet-wide
 * audit of a day gives. Rendering only: its digest and counts are the template's.
 */
export function fleetReport(template: ReplayReport, vehicles: number, perVehicle: number): ReplayReport {
  const v0 = template.vehicles[0]!;
  const id = (i: number) => `V${String(i).padStart(4, '0')}`;
  const track = Array.from({ length: 512 }, (_, k) => [121.3 + (k % 64) * 0.002, 28.6 + Math.floor(k / 64) * 0.002, v0.track[0]?.[2] ?? '2026-03-02T08:00:00+08:00'] as [number, number, string]);
  const copies = <T extends { id: string; vehicleId: string }>(rows: readonly T[]) =>
    Array.from({ length: vehicles }, (_, i) => Array.from({ length: perVehicle }, (_, k) => rows.map((r) => ({ ...r, id: `${r.id}#${i}.${k}`, vehicleId: id(i) })))).flat(2);
  return {
    ...template,
    violations: copies(template.violations),
    advisories: copies(template.advisories),
    vehicles: Array.from({ length: vehicles }, (_, i) => ({
      ...v0,
      vehicleId: id(i),
      plateNo: `浙J·${String(10000 + i)}`,
      track,
      entries: Array.from({ length: perVehicle * 4 }, (_, k) => ({ ...(v0.entries[k % v0.entries.length] ?? v0.entries[0]!) })),
    })),
  };
}
