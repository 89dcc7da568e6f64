import { advisoryView, alertView, fleetVehicle, violationView, zoneView } from '@dgt/readmodels';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ProjectionError, schemaProjection } from '../src/schemaProjection.ts';
import { advisory, vehicle, violation } from './apiTestKit.ts';

describe('schemaProjection', () => {
  it('keeps exactly the listed fields at every depth (objects, arrays, nullable, tuples)', () => {
    const schema = z.object({ a: z.string(), b: z.object({ c: z.number() }).nullable(), list: z.array(z.object({ d: z.boolean() })), pair: z.tuple([z.number(), z.number()]), opt: z.string().optional() });
    const project = schemaProjection(schema);
    expect(project({ a: 'x', extra: 1, b: { c: 2, extra: 1 }, list: [{ d: true, extra: 1 }], pair: [1, 2] })).toEqual({ a: 'x', b: { c: 2 }, list: [{ d: true }], pair: [1, 2] });
    expect(project({ a: 'x', b: null, list: [], pair: [0, 0], opt: 'y' })).toEqual({ a: 'x', b: null, list: [], pair: [0, 0], opt: 'y' });
  });

  it('gives the same result as a zod parse for the read-model views', () => {
    const v = vehicle('V1', 'C1', { goods: [{ unNumber: 'UN1203', name: 'Gasoline', hazardClass: '3', quantityKg: 1 }], zones: [{ zoneId: 'Z', kind: 'parking-lot', name: 'Lot' }] });
    expect(schemaProjection(fleetVehicle)({ ...v, leaked: true })).toEqual(fleetVehicle.parse(v));
    const x = violation('X1', 'V1', 'C1');
    expect(schemaProjection(violationView)(x)).toEqual(violationView.parse(x));
    const a = advisory('A1', 'V1', 'C1', { interpolated: true });
    expect(schemaProjection(advisoryView)({ ...a, leaked: true })).toEqual(advisoryView.parse(a));
    const rules = { speedLimitKmh: 60, ladenBanned: true, bannedHours: [{ from: '22:00', to: '06:00' }], hazardClasses: ['3'] };
    const zone = { zoneId: 'Z', kind: 'accident-segment', name: 'Bend', declaredDatum: 'WGS84', polygon: null, path: [[121, 28], [121.1, 28.1]], bufferM: 30, rules, capacity: null, designatedAt: '2026-01-01T00:00:00Z' };
    expect(schemaProjection(zoneView)(zone)).toEqual(zoneView.parse(zone));
    const alert = { alertId: 'd1', type: 'OverspeedStarted', category: 'violation', kind: 'overspeed', severity: 'high', occurredAt: '2026-01-01T00:00:00Z', vehicleId: 'V1', plateNo: null, carrierId: 'C1', waybillNo: null, zoneId: null, zoneName: null, laden: false, lon: 121, lat: 28, message: 'm' };
    expect(schemaProjection(alertView)({ ...alert, leaked: true })).toEqual(alertView.parse(alert));
  });

  it('refuses a value whose JSON type differs from the schema, naming the path', () => {
    const project = schemaProjection(fleetVehicle);
    expect(() => project({ ...vehicle('V1', 'C1'), lastFix: { ...vehicle('V1', 'C1').lastFix, lon: '121' } })).toThrow(ProjectionError);
    expect(() => project({ ...vehicle('V1', 'C1'), goods: {} })).toThrow(/goods: expected an array/);
  });

  it('refuses schemas it cannot project rather than passing values through', () => {
    expect(() => schemaProjection(z.object({ any: z.unknown() }))).toThrow(/no projection for zod type unknown/);
  });
});
