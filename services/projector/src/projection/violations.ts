import { type DetectionEvent, epochMs } from '@dgt/events';
import type { ViolationView } from '@dgt/readmodels';

/*
 * Violation rules (issue 5 plan): illegal parking opens with IllegalParkingStarted and closes with
 * IllegalParkingEnded; an accident-prone segment is a violation only when entered laden, closed
 * by the matching exit. Empty passages are alerts, never violations.
 */

/** Detection payloads are loose objects: fields the engine adds beyond the schema are read defensively. */
export const numberOf = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
export const idsOf = (v: unknown): string[] => (Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : []);

export interface ViolationContext {
  plateNo: string | null;
  /** The vehicle's owner: the violation's carrier when the detection names no waybill carrier. */
  vehicleCarrier: string | null;
  /** The registered owner when the detection happened: the violation's carrier whenever the vehicle is registered. */
  owner: string | undefined;
  zoneName: (zoneId: string) => string | null;
}

export type ViolationChange = { kind: 'open'; row: ViolationView } | { kind: 'close'; row: ViolationView } | null;

/** What a detection does to the vehicle's open violations (rows are new objects, never mutated). */
export function violationChange(d: DetectionEvent, open: readonly ViolationView[], ctx: ViolationContext): ViolationChange {
  switch (d.type) {
    case 'IllegalParkingStarted': {
      const x = d.data;
      return {
        kind: 'open',
        row: {
          violationId: d.eventId,
          type: 'illegal-parking',
          status: 'open',
          vehicleId: x.vehicleId,
          plateNo: ctx.plateNo,
          carrierId: ctx.owner ?? (x.carrierId || ctx.vehicleCarrier),
          waybillNo: x.waybillNo,
          zoneId: null,
          zoneName: null,
          startedAt: d.occurredAt,
          endedAt: null,
          durationS: null,
          lon: x.lon,
          lat: x.lat,
          speedKmh: null,
          evidence: [...x.evidence],
          detectionEventIds: [d.eventId],
        },
      };
    }
    case 'IllegalParkingEnded': {
      const row = open.find((v) => v.type === 'illegal-parking');
      if (row === undefined) return null;
      return { kind: 'close', row: closed(row, d, d.data.endedAt, d.data.durationS, idsOf(d.data.evidence)) };
    }
    case 'AccidentSegmentEntered': {
      const x = d.data;
      if (!x.laden) return null;
      return {
        kind: 'open',
        row: {
          violationId: d.eventId,
          type: 'accident-segment',
          status: 'open',
          vehicleId: x.vehicleId,
          plateNo: ctx.plateNo,
          carrierId: ctx.owner ?? x.carrierId ?? ctx.vehicleCarrier,
          waybillNo: x.waybillNo ?? null,
          zoneId: x.zoneId,
          zoneName: ctx.zoneName(x.zoneId),
          startedAt: d.occurredAt,
          endedAt: null,
          durationS: null,
          lon: numberOf(x.lon) ?? 0,
          lat: numberOf(x.lat) ?? 0,
          speedKmh: x.speedKmh,
          evidence: [...x.evidence],
          detectionEventIds: [d.eventId],
        },
      };
    }
    case 'AccidentSegmentExited': {
      const row = open.find((v) => v.type === 'accident-segment' && v.zoneId === d.data.zoneId);
      if (row === undefined) return null;
      const durationS = (epochMs(d.occurredAt) - epochMs(row.startedAt)) / 1000;
      return { kind: 'close', row: closed(row, d, d.occurredAt, durationS, idsOf(d.data.evidence)) };
    }
    default: {
      const never: never = d;
      throw new Error(`unreachable detection ${(never as { type: string }).type}`);
    }
  }
}

function closed(row: ViolationView, d: DetectionEvent, endedAt: string, durationS: number, evidence: readonly string[]): ViolationView {
  return {
    ...row,
    status: 'closed',
    endedAt,
    durationS,
    evidence: [...new Set([...row.evidence, ...evidence])],
    detectionEventIds: [...row.detectionEventIds, d.eventId],
  };
}
