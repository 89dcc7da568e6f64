import type { EventOf, ReceiptWindow } from '@dgt/events';
import { receiptTimeVerdict } from '@dgt/events';
import type { LocationReport, ProtocolFlavour } from '@dgt/jt808';
import { alarmNames } from '@dgt/jt808';

export type PositionEvent = EventOf<'VehiclePositionReported'>;

/** Why a decoded fix is acknowledged but not published: nothing is wrong with the message. */
export type SkipReason = 'no-fix' | 'out-of-range';

/**
 * Why a positioned fix is refused: its time is not a calendar time, or is implausible at
 * receipt (further in the future than the skew allows, older than the back-fill window).
 */
export type TimeRefusal = 'bad-time' | 'future' | 'too-old';

export type PositionOutcome =
  | { readonly kind: 'event'; readonly event: PositionEvent }
  | { readonly kind: 'skipped'; readonly reason: SkipReason }
  | { readonly kind: 'refused'; readonly reason: TimeRefusal };

export interface PositionOptions {
  readonly publishUnfixed: boolean;
  /** Epoch ms at which the gateway received the frame (the injected clock). */
  readonly receivedMs: number;
  readonly window: ReceiptWindow;
}

export interface ReportOrigin {
  /** Normalised terminal phone (no leading zeros). */
  readonly phone: string;
  readonly vehicleId: string;
  readonly flavour: ProtocolFlavour;
  /** The terminal's serial of the frame that carried the fix (diagnostics only: not part of the id). */
  readonly serial: number;
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

const skipped = (reason: SkipReason): PositionOutcome => ({ kind: 'skipped', reason });

/**
 * One decoded fix → VehiclePositionReported (WGS-84, occurredAt = device fix time), or why it is
 * not published. An unfixed report is skipped whatever its time says (terminals send all zeros
 * before their first fix); only a positioned fix with an unusable time is refused.
 */
export function positionEventFromReport(report: LocationReport, origin: ReportOrigin, options: PositionOptions & { occurrence?: number }): PositionOutcome {
  const s = report.status;
  if (!s.fixed && !options.publishUnfixed) return skipped('no-fix');
  const timeMs = report.timeMs;
  if (timeMs === undefined || report.time === undefined) return s.fixed ? { kind: 'refused', reason: 'bad-time' } : skipped('no-fix');
  if (report.speedKmh > MAX_SPEED_KMH) return skipped('out-of-range');
  const verdict = receiptTimeVerdict(timeMs, options.receivedMs, options.window);
  if (verdict !== 'ok') return s.fixed ? { kind: 'refused', reason: verdict } : skipped('no-fix');
  const x = report.extras;
  const meta: Record<string, unknown> = {
    source: 'jt808',
    phone: origin.phone,
    flavour: origin.flavour,
    serial: origin.serial,
    alarm: report.alarm.raw,
    status: s.raw,
    alarms: alarmNames(report.alarm),
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
    kind: 'event',
    event: {
      eventId: positionEventId(origin.phone, timeMs, options.occurrence),
      type: 'VehiclePositionReported',
      occurredAt: report.time,
      data,
      meta,
    },
  };
}

/** Events for all fixes of one frame, numbering fixes that share a timestamp (see positionEventId). */
export function positionEventsFromReports(reports: readonly LocationReport[], origin: ReportOrigin, options: PositionOptions): PositionOutcome[] {
  if (reports.length === 1) return [positionEventFromReport(reports[0]!, origin, options)];
  const seen = new Map<number, number>();
  return reports.map((r) => {
    if (r.timeMs === undefined) return positionEventFromReport(r, origin, options);
    const occurrence = (seen.get(r.timeMs) ?? 0) + 1;
    seen.set(r.timeMs, occurrence);
    return positionEventFromReport(r, origin, { ...options, occurrence });
  });
}
