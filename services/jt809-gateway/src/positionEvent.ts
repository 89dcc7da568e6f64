import { createHash } from 'node:crypto';
import type { ReceiptWindow } from '@dgt/events';
import { receiptTimeVerdict } from '@dgt/events';
import { gcj02ToWgs84 } from '@dgt/geo';
import { alarmNames } from '@dgt/jt808';
import type { Edition, Jt809Fix } from '@dgt/jt809';
import type { PositionEvent, PositionOutcome } from '@dgt/jt808-gateway';

// The outcome types are the JT/T 808 gateway's: both map a fix to the same event by the same rules.
export type { PositionEvent, PositionOutcome, SkipReason, TimeRefusal } from '@dgt/jt808-gateway';

export interface FixOrigin {
  readonly platformId: string;
  readonly edition: Edition;
  readonly vehicleId: string;
  /** The plate and colour as the platform sent them. */
  readonly plateNo: string;
  readonly plateColour: number;
}

export interface PositionOptions {
  readonly publishUnfixed: boolean;
  readonly receivedMs: number;
  readonly window: ReceiptWindow;
  /** n-th fix with this time inside one 0x1203 (n > 1 only). */
  readonly occurrence?: number;
}

const MAX_SPEED_KMH = 400;
// Event ids allow A–Z a–z 0–9 . _ - : @ ~ + = #; vehicle ids may hold plates in Chinese.
const ID_SAFE = /^[A-Za-z0-9._@~+=#-]{1,100}$/;

const MAX_HEX = 120;

/**
 * The vehicle part of an event id: `v:` + the vehicleId when it is id-safe, else `x:` + its UTF-8
 * bytes in hex (a plate: `浙J·12345` → 15 bytes), else — ids stay ≤ 200 characters — `h:` + the
 * first 128 bits of its SHA-256. The prefixes keep the three spellings from ever colliding.
 */
export function vehicleIdToken(vehicleId: string): string {
  if (ID_SAFE.test(vehicleId)) return `v:${vehicleId}`;
  const hex = Buffer.from(vehicleId, 'utf8').toString('hex');
  return hex.length <= MAX_HEX ? `x:${hex}` : `h:${createHash('sha256').update(vehicleId, 'utf8').digest('hex').slice(0, 32)}`;
}

/**
 * A function of the vehicle and the fix time only — not of the platform or the link — so a fix
 * re-sent after a reconnect, back-filled later in a 0x1203, or relayed by both a carrier's and the
 * provincial platform is stored once.
 */
export function positionEventId(vehicleId: string, timeMs: number, occurrence = 1): string {
  const base = `jt809:${vehicleIdToken(vehicleId)}:${timeMs}`;
  return occurrence === 1 ? base : `${base}:${occurrence}`;
}

/**
 * One fix → VehiclePositionReported (WGS-84, occurredAt = the fix's own time) or why not, by the
 * JT/T 808 gateway's rules: unfixed skipped, > 400 km/h skipped, a positioned fix outside the
 * receipt window refused. Coordinates the platform marks as encrypted (GCJ-02, the national map
 * offset) are converted to WGS-84 and say so in `meta.convertedFrom`.
 */
export function positionEventFromFix(fix: Jt809Fix, backfilled: boolean, origin: FixOrigin, options: PositionOptions): PositionOutcome {
  const report = fix.report;
  const s = report.status;
  if (!s.fixed && !options.publishUnfixed) return { kind: 'skipped', reason: 'no-fix' };
  const timeMs = report.timeMs;
  if (timeMs === undefined || report.time === undefined) return s.fixed ? { kind: 'refused', reason: 'bad-time' } : { kind: 'skipped', reason: 'no-fix' };
  if (report.speedKmh > MAX_SPEED_KMH) return { kind: 'skipped', reason: 'out-of-range' };
  const verdict = receiptTimeVerdict(timeMs, options.receivedMs, options.window);
  if (verdict !== 'ok') return s.fixed ? { kind: 'refused', reason: verdict } : { kind: 'skipped', reason: 'no-fix' };
  let lon = report.longitude;
  let lat = report.latitude;
  if (fix.coordinatesEncrypted) [lon, lat] = gcj02ToWgs84(lon, lat);
  const x = report.extras;
  const meta: Record<string, unknown> = {
    source: 'jt809',
    platformId: origin.platformId,
    edition: origin.edition,
    layout: fix.layout,
    plateNo: origin.plateNo,
    plateColour: origin.plateColour,
    alarm: report.alarm.raw,
    status: s.raw,
    alarms: alarmNames(report.alarm),
    acc: s.accOn,
    fixed: s.fixed,
    loadState: s.load,
    altitudeM: report.altitudeM,
  };
  if (backfilled) meta.backfilled = true;
  if (fix.coordinatesEncrypted) meta.convertedFrom = 'GCJ02';
  if (x.mileageKm !== undefined) meta.mileageKm = x.mileageKm;
  if (x.fuelL !== undefined) meta.fuelL = x.fuelL;
  if (x.satellites !== undefined) meta.satellites = x.satellites;
  if (fix.platformAlarms.length > 0) meta.platformAlarms = fix.platformAlarms.map((a) => ({ platformId: a.platformId, alarm: a.alarm }));
  const data: PositionEvent['data'] = { vehicleId: origin.vehicleId, lon, lat, speedKmh: report.speedKmh };
  if (report.direction <= 360) data.headingDeg = report.direction;
  return {
    kind: 'event',
    event: { eventId: positionEventId(origin.vehicleId, timeMs, options.occurrence), type: 'VehiclePositionReported', occurredAt: report.time, data, meta },
  };
}
