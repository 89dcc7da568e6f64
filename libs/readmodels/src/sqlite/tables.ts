import type { PlanningRow } from '../port.ts';
import type { CarrierView, ConsignmentView, FleetVehicle, VehicleRegistration, ZoneView } from '../views.ts';

/*
 * How rows map to tables: the columns a query filters, orders or scopes on, plus the whole row as
 * JSON. Upserts go in multi-row statements of `CHUNK` rows.
 */

/** Rows per multi-row upsert: one statement call per chunk instead of per row (7 × 100 parameters). */
export const CHUNK = 100;

export type Param = string | number | null;

function placeholders(rows: number, columns: number): string {
  const group = `(${Array.from({ length: columns }, () => '?').join(', ')})`;
  return Array.from({ length: rows }, () => group).join(', ');
}

export interface Table<T> {
  readonly name: string;
  readonly columns: readonly string[];
  readonly key: string;
  readonly params: (row: T, out: Param[]) => void;
}

export const vehiclesTable: Table<FleetVehicle> = {
  name: 'rm_vehicles',
  columns: ['vehicle_id', 'carrier_id', 'laden', 'in_violation', 'lon', 'lat', 'json'],
  key: 'vehicle_id',
  params: (v, out) => {
    out.push(v.vehicleId, v.carrierId, v.laden ? 1 : 0, v.openViolations.length > 0 ? 1 : 0, v.lastFix?.lon ?? null, v.lastFix?.lat ?? null, JSON.stringify(v));
  },
};

export const consignmentsTable: Table<ConsignmentView> = {
  name: 'rm_consignments',
  columns: ['waybill_no', 'carrier_id', 'json'],
  key: 'waybill_no',
  params: (c, out) => {
    out.push(c.waybillNo, c.carrierId, JSON.stringify(c));
  },
};

export const carriersTable: Table<CarrierView> = {
  name: 'rm_carriers',
  columns: ['carrier_id', 'json'],
  key: 'carrier_id',
  params: (c, out) => {
    out.push(c.carrierId, JSON.stringify(c));
  },
};

export const zonesTable: Table<ZoneView> = {
  name: 'rm_zones',
  columns: ['zone_id', 'json'],
  key: 'zone_id',
  params: (z, out) => {
    out.push(z.zoneId, JSON.stringify(z));
  },
};

export const registryTable: Table<VehicleRegistration> = {
  name: 'rm_registry',
  columns: ['vehicle_id', 'plate_key', 'json'],
  key: 'vehicle_id',
  params: (r, out) => {
    out.push(r.vehicleId, r.plateKey, JSON.stringify(r));
  },
};

/** The projector's saved state, one row per key (engine state of a vehicle, a consignment, …). */
export const engineStateTable: Table<readonly [string, string]> = {
  name: 'rm_engine_state',
  columns: ['key', 'value'],
  key: 'key',
  params: ([key, value], out) => {
    out.push(key, value);
  },
};

/** Planning aggregates, whole; `id` is kind and key (keys of different kinds may coincide). */
export const planningTable: Table<PlanningRow> = {
  name: 'rm_planning',
  columns: ['id', 'kind', 'key', 'data'],
  key: 'id',
  params: (r, out) => {
    out.push(`${r.kind}:${r.key}`, r.kind, r.key, r.data);
  },
};

export function upsertSql(table: Table<never>, rows: number): string {
  const updates = table.columns.filter((c) => c !== table.key).map((c) => `${c} = excluded.${c}`);
  return `INSERT INTO ${table.name} (${table.columns.join(', ')}) VALUES ${placeholders(rows, table.columns.length)} ON CONFLICT (${table.key}) DO UPDATE SET ${updates.join(', ')}`;
}

