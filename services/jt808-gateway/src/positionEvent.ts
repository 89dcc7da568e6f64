import type { EventOf } from '@dgt/events';
import type { AlarmFlags, LocationReport, ProtocolFlavour } from '@dgt/jt808';

export type PositionEvent = EventOf<'VehiclePositionReported'>;

/** Why a decoded fix is acknowledged but not published. */
export type SkipReason = 'no-fix' | 'out-of-range';

export type PositionOutcome = { readonly ok: true; readonly event: PositionEvent } | { readonly ok: false; readonly reason: SkipReason };

export interface ReportOrigin {
  /** Normalised terminal phone (no leading zeros). */
  readonly phone: string;
  readonly vehicleId: string;
  readonly flavour: ProtocolFlavour;
  /** The terminal's serial of the frame that carried the fix (diagnostics only: not part of the id). */
  readonly serial: number;
}

const alarmNames = [
  'sos', 'overspeed', 'fatigue', 'dangerWarning', 'gnssFault', 'gnssAntennaCut', 'gnssAntennaShort', 'powerUndervoltage',
  'powerCut', 'overspeedWarning', 'fatigueWarning', 'drivingTimeoutToday', 'parkingTimeout', 'areaInOut', 'routeInOut',
  'routeDrivingTime', 'routeDeviation', 'fuelAbnormal', 'stolen', 'illegalIgnition', 'illegalDisplacement',
  'collisionWarning', 'rolloverWarning', 'illegalDoorOpen',
] as const satisfies readonly (keyof AlarmFlags)[];

function alarmsSet(alarm: AlarmFlags): string[] {
  const out: string[] = [];
  if (alarm.raw === 0) return out;
  for (const name of alarmNames) if (alarm[name]) out.push(name);
  return out;
}

// The event schema caps speed at 400 km/h and heading at 360°; a terminal sending more is broken.
const MAX_SPEED_KMH = 400;

/**
 * The event id is a function of the terminal and the fix time only, so a report re-sent after a
 * lost ack (new serial, same fix) gets the same id and the store keeps it once. `occurrence` > 1
 * distinguishes fixes with one timestamp inside one frame (0x0704), stable across re-sends.
 */
export function positionEventId(phone: string, timeMs: number, occurrence = 1): string {
  return occurrence === 1 ? `jt808:${phone}:${timeMs}` : `jt808:${phone}:${timeMs}:${occurrence}`;
}

/** One decoded fix → VehiclePositionReported (WGS-84, occurredAt = device fix time), or why it is skipped. */
export function positionEventFromReport(report: LocationReport, origin: ReportOrigin, options: { publishUnfixed: boolean; occurrence?: number }): PositionOutcome {
  const s = report.status;
  if (!s.fixed && !options.publishUnfixed) return { ok: false, reason: 'no-fix' };
  if (report.speedKmh > MAX_SPEED_KMH) return { ok: false, reason: 'out-of-range' };
  const x = report.extras;
  const meta: Record<string, unknown> = {
    source: 'jt808',
    phone: origin.phone,
    flavour: origin.flavour,
    serial: origin.serial,
    alarm: report.alarm.raw,
    status: s.raw,
    alarms: alarmsSet(report.alarm),
    acc: s.accOn,
    fixed: s.fixed,
    loadState: s.load,
    altitudeM: report.altitudeM,
  };
  if (report.backfilled) meta.backfilled = true;
  if (x.mileageKm !== undefined) meta.mileageKm = x.mileageKm;
  if (x.fuelL !== undefined) meta.fuelL = x.fuelL;
  if (x.satellites !== undefined) meta.satellites = x.satellites;
  if (x.signalStrength !== undefined) meta.signalStrength = x.signalStrength;
  const data: PositionEvent['data'] = {
    vehicleId: origin.vehicleId,
    lon: report.longitude,
    lat: report.latitude,
    speedKmh: report.speedKmh,
  };
  if (report.direction <= 360) data.headingDeg = report.direction;
  return {
    ok: true,
    event: {
      eventId: positionEventId(origin.phone, report.timeMs, options.occurrence),
      type: 'VehiclePositionReported',
      occurredAt: report.time,
      data,
      meta,
    },
  };
}

/** Events for all fixes of one frame, numbering fixes that share a timestamp (see positionEventId). */
export function positionEventsFromReports(reports: readonly LocationReport[], origin: ReportOrigin, publishUnfixed: boolean): PositionOutcome[] {
  if (reports.length === 1) return [positionEventFromReport(reports[0]!, origin, { publishUnfixed })];
  const seen = new Map<number, number>();
  return reports.map((r) => {
    const occurrence = (seen.get(r.timeMs) ?? 0) + 1;
    seen.set(r.timeMs, occurrence);
    return positionEventFromReport(r, origin, { publishUnfixed, occurrence });
  });
}
