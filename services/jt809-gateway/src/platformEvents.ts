import { createHash } from 'node:crypto';
import type { EventOf, PlatformMismatchReason } from '@dgt/events';
import type { AlarmReport, VehicleRegistration } from '@dgt/jt809';
import { utcSecondsIso, warnSourceNames, warnTypeNames } from '@dgt/jt809';
import type { VehicleAccess } from './vehicleAccess.ts';
import { vehicleIdToken } from './positionEvent.ts';

export type AlarmEvent = EventOf<'VehicleAlarmReported'>;
export type MismatchEvent = EventOf<'PlatformRegistrationMismatched'>;

const MAX_INFO = 1024;
const clip = (text: string, max: number): string => (text.length <= max ? text : text.slice(0, max));

/**
 * 0x1402 → VehicleAlarmReported for a vehicle the platform may speak for. The id is the vehicle,
 * the alarm type and its own time, so the same alarm re-sent (or relayed by a second platform) is
 * stored once. undefined when WARN_TIME is no time at all (then there is nothing to date it by).
 */
export function alarmEvent(platformId: string, plateNo: string, plateColour: number, vehicleId: string, report: AlarmReport): AlarmEvent | undefined {
  const occurredAt = utcSecondsIso(report.warnTime);
  if (occurredAt === undefined) return undefined;
  const data: AlarmEvent['data'] = {
    vehicleId,
    platformId,
    plateNo: clip(plateNo, 32),
    plateColour,
    warnType: report.warnType,
    warnName: warnTypeNames[report.warnType] ?? 'other',
    source: report.edition === '2011' ? (warnSourceNames[report.warnSource] ?? 'other') : clip(report.sourcePlatformId, 32),
    info: clip(report.info, MAX_INFO),
  };
  if (report.edition === '2019') {
    const started = utcSecondsIso(report.startTime);
    const ended = utcSecondsIso(report.endTime);
    if (started !== undefined && report.startTime > 0) data.startedAt = started;
    if (ended !== undefined && report.endTime > 0) data.endedAt = ended;
  }
  return {
    eventId: `jt809:alarm:${vehicleIdToken(vehicleId)}:${report.warnType}:${report.warnTime}`,
    type: 'VehicleAlarmReported',
    occurredAt,
    data,
    meta: { source: 'jt809', edition: report.edition },
  };
}

/** The digits of a SIM / phone without leading zeros (0x1201 SIM fields are often zero-padded to 12 or 13). */
const normalisedSim = (text: string): string => text.trim().replace(/^0+/, '');

export type RegistrationCheck = { readonly ok: true } | { readonly ok: false; readonly reason: PlatformMismatchReason };

/**
 * A 0x1201 against the register: the plate must belong to a registered vehicle of one of the
 * platform's carriers (now, when it is declared), and where the register records the vehicle's
 * terminal, the declared SIM must be that terminal's.
 */
export function checkRegistration(access: VehicleAccess, registration: VehicleRegistration): RegistrationCheck {
  if (!access.ok) return { ok: false, reason: access.reason };
  const registered = access.vehicle.terminalPhone;
  if (registered !== undefined && normalisedSim(registration.simCode) !== normalisedSim(registered)) return { ok: false, reason: 'terminal-sim' };
  return { ok: true };
}

/**
 * PlatformRegistrationMismatched, dated at receipt. Its id hashes what was declared and why it
 * was refused — not the time — so a platform re-declaring the same vehicle every few minutes
 * records the mismatch once, and a changed declaration records again.
 */
export function mismatchEvent(
  platformId: string,
  plateNo: string,
  plateColour: number,
  reason: PlatformMismatchReason,
  access: VehicleAccess,
  registration: VehicleRegistration,
  receivedIso: string,
): MismatchEvent {
  const reported: MismatchEvent['data']['reported'] = {
    platformCode: clip(registration.platformCode, 32),
    producerId: clip(registration.producerId, 32),
    terminalModel: clip(registration.terminalModel, 64),
    terminalId: clip(registration.terminalId, 64),
    simCode: clip(registration.simCode, 32),
  };
  if (registration.imei !== undefined) reported.imei = clip(registration.imei, 32);
  const data: MismatchEvent['data'] = { platformId, plateNo: clip(plateNo, 32), plateColour, reason, reported };
  const vehicle = access.vehicle;
  if (vehicle !== undefined) {
    data.vehicleId = vehicle.vehicleId;
    const registered: NonNullable<MismatchEvent['data']['registered']> = {};
    if (!access.ok) {
      if (access.carrierId !== undefined) registered.carrierId = access.carrierId;
    }
    if (vehicle.terminalPhone !== undefined) registered.terminalPhone = vehicle.terminalPhone;
    data.registered = registered;
  }
  const digest = createHash('sha256')
    .update(JSON.stringify([platformId, plateNo, plateColour, reason, reported]))
    .digest('hex')
    .slice(0, 32);
  return { eventId: `jt809:${platformId}:mismatch:${digest}`, type: 'PlatformRegistrationMismatched', occurredAt: receivedIso, data, meta: { source: 'jt809' } };
}
