import type { Occurrence } from '@dgt/detection';
import type { GoodsLine, ReplayReport, WaybillSummary } from './reportTypes.ts';

/** The report's ids joined to what names them: plates, carrier and zone names, waybills. For HTML and CSV. */
export interface ReportLookup {
  plate(vehicleId: string): string | null;
  carrierName(carrierId: string | null): string | null;
  zoneName(zoneId: string | null): string | null;
  waybill(waybillNo: string | null): WaybillSummary | null;
}

export function lookupOf(report: ReplayReport): ReportLookup {
  const plates = new Map(report.vehicles.map((v) => [v.vehicleId, v.plateNo]));
  const carriers = new Map(report.carriers.map((c) => [c.carrierId, c.name]));
  const zones = new Map(report.zones.map((z) => [z.zoneId, z.name]));
  const waybills = new Map(report.waybills.map((w) => [w.waybillNo, w]));
  return {
    plate: (id) => plates.get(id) ?? null,
    carrierName: (id) => (id === null ? null : (carriers.get(id) ?? null)),
    zoneName: (id) => (id === null ? null : (zones.get(id) ?? null)),
    waybill: (no) => (no === null ? null : (waybills.get(no) ?? null)),
  };
}

/** `UN1203 Gasoline, class 3, 12000 kg`, items separated by "; ". */
export function goodsText(goods: readonly GoodsLine[]): string {
  return goods.map((g) => `UN${g.unNumber} ${g.name}, class ${g.hazardClass}, ${g.quantityKg} kg`).join('; ');
}

/** The parties of an occurrence's row, from the waybill it names (the record has driver and escort by id only). */
export function partiesOf(o: Occurrence, lookup: ReportLookup): { plateNo: string | null; carrierName: string | null; driverId: string | null; escortId: string | null; goods: string | null; zoneName: string | null } {
  const w = lookup.waybill(o.waybillNo);
  return {
    plateNo: lookup.plate(o.vehicleId),
    carrierName: lookup.carrierName(o.carrierId),
    driverId: w?.driverId ?? null,
    escortId: w?.escortId ?? null,
    goods: w === null || w.goods.length === 0 ? null : goodsText(w.goods),
    zoneName: lookup.zoneName(o.zoneId),
  };
}
