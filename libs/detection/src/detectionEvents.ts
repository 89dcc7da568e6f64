import { type EventOf, isoAtOffsetOf } from '@dgt/events';
import { distanceM } from '@dgt/geo';
import type { Consignment } from './consignmentLifecycle.ts';
import type { Driving } from './fatigue.ts';
import type { Fix } from './fix.ts';
import type { OverspeedRun } from './overspeed.ts';
import type { Passage } from './passage.ts';
import type { RestrictedEntry, RestrictedRule } from './restrictedEntry.ts';
import { type DeviationRun, roundDistance } from './routeDeviation.ts';
import type { ParkingViolation, Stop } from './stopTracker.ts';
import type { CompiledRules } from './zoneRules.ts';

/*
 * Detection ids are derived from the id of the event that triggered them, so re-running the same
 * events yields the same ids (idempotent appends) and an auditor can see the cause in the id.
 */

export function parkingStarted(vehicleId: string, stop: Stop, violation: ParkingViolation, fix: Fix, loadingEventId: string | undefined): EventOf<'IllegalParkingStarted'> {
  const evidence = [...new Set([stop.anchor.eventId, ...(loadingEventId ? [loadingEventId] : []), fix.eventId])];
  return {
    eventId: `${fix.eventId}/IllegalParkingStarted`,
    type: 'IllegalParkingStarted',
    occurredAt: fix.occurredAt,
    data: {
      vehicleId,
      waybillNo: violation.waybillNo,
      carrierId: violation.carrierId,
      lon: stop.anchor.lon,
      lat: stop.anchor.lat,
      stoppedSince: stop.anchor.occurredAt,
      evidence,
    },
  };
}

export function parkingEnded(vehicleId: string, stop: Stop, violation: ParkingViolation, fix: Fix): EventOf<'IllegalParkingEnded'> {
  return {
    eventId: `${fix.eventId}/IllegalParkingEnded`,
    type: 'IllegalParkingEnded',
    occurredAt: fix.occurredAt,
    data: {
      vehicleId,
      waybillNo: violation.waybillNo,
      carrierId: violation.carrierId,
      stoppedSince: stop.anchor.occurredAt,
      endedAt: fix.occurredAt,
      // Whole stop, from its first fix to the fix that ended it.
      durationS: (fix.ms - stop.anchor.ms) / 1000,
      evidence: [fix.eventId],
    },
  };
}

export function segmentEntered(vehicleId: string, zoneId: string, fix: Fix, load: Consignment | undefined): EventOf<'AccidentSegmentEntered'> {
  const data: EventOf<'AccidentSegmentEntered'>['data'] = {
    vehicleId,
    zoneId,
    laden: load !== undefined,
    speedKmh: fix.speedKmh,
    lon: fix.lon,
    lat: fix.lat,
    evidence: [fix.eventId],
  };
  if (load) {
    data.waybillNo = load.waybillNo;
    if (load.carrierId !== undefined) data.carrierId = load.carrierId;
  }
  return {
    eventId: `${fix.eventId}/AccidentSegmentEntered/${zoneId}`,
    type: 'AccidentSegmentEntered',
    occurredAt: fix.occurredAt,
    data,
  };
}

export function segmentExited(vehicleId: string, zoneId: string, firstOutside: Fix, confirmedBy: Fix): EventOf<'AccidentSegmentExited'> {
  return {
    eventId: `${firstOutside.eventId}/AccidentSegmentExited/${zoneId}`,
    type: 'AccidentSegmentExited',
    occurredAt: firstOutside.occurredAt,
    data: { vehicleId, zoneId, evidence: [...new Set([firstOutside.eventId, confirmedBy.eventId])] },
  };
}

export function passageEntered(vehicleId: string, p: Passage, load: Consignment | undefined): EventOf<'AccidentSegmentEntered'> {
  const data: EventOf<'AccidentSegmentEntered'>['data'] = {
    vehicleId,
    zoneId: p.zoneId,
    laden: load !== undefined,
    speedKmh: p.speedKmh,
    lon: p.lon,
    lat: p.lat,
    evidence: [p.from.eventId, p.to.eventId],
    interpolated: true,
  };
  if (load) {
    data.waybillNo = load.waybillNo;
    if (load.carrierId !== undefined) data.carrierId = load.carrierId;
  }
  return { eventId: `${p.to.eventId}/AccidentSegmentEntered/${p.zoneId}`, type: 'AccidentSegmentEntered', occurredAt: p.enteredAt, data };
}

export function passageExited(vehicleId: string, p: Passage): EventOf<'AccidentSegmentExited'> {
  return {
    eventId: `${p.to.eventId}/AccidentSegmentExited/${p.zoneId}`,
    type: 'AccidentSegmentExited',
    occurredAt: p.exitedAt,
    data: { vehicleId, zoneId: p.zoneId, evidence: [p.from.eventId, p.to.eventId], interpolated: true },
  };
}

/** Evidence of a restricted entry: the fix(es) placing the vehicle inside, its loading, the designation that bans it. */
function restrictedEvidence(fixIds: readonly string[], load: Consignment, rules: CompiledRules): string[] {
  return [...new Set([...fixIds, ...(load.loadingEventId ? [load.loadingEventId] : []), rules.eventId])];
}

export function restrictedStarted(vehicleId: string, zoneId: string, rule: RestrictedRule, fix: Fix, load: Consignment, rules: CompiledRules): EventOf<'RestrictedEntryStarted'> {
  return {
    eventId: `${fix.eventId}/RestrictedEntryStarted/${zoneId}`,
    type: 'RestrictedEntryStarted',
    occurredAt: fix.occurredAt,
    data: {
      vehicleId,
      zoneId,
      rule,
      waybillNo: load.waybillNo,
      // Loaded implies assigned, so the carrier is known.
      carrierId: load.carrierId ?? '',
      speedKmh: fix.speedKmh,
      evidence: restrictedEvidence([fix.eventId], load, rules),
    },
  };
}

export function restrictedEnded(vehicleId: string, entry: RestrictedEntry, at: Fix, confirmedBy: Fix): EventOf<'RestrictedEntryEnded'> {
  return {
    eventId: `${at.eventId}/RestrictedEntryEnded/${entry.zoneId}`,
    type: 'RestrictedEntryEnded',
    occurredAt: at.occurredAt,
    data: {
      vehicleId,
      zoneId: entry.zoneId,
      startedAt: entry.startedAt,
      endedAt: at.occurredAt,
      durationS: (at.ms - entry.startedMs) / 1000,
      evidence: [...new Set([at.eventId, confirmedBy.eventId])],
    },
  };
}

/** A restricted entry and its end, both between two fixes. */
export function restrictedPassage(
  vehicleId: string, p: Passage, rule: RestrictedRule, load: Consignment, rules: CompiledRules,
): [EventOf<'RestrictedEntryStarted'>, EventOf<'RestrictedEntryEnded'>] {
  const fixes = [p.from.eventId, p.to.eventId];
  return [
    {
      eventId: `${p.to.eventId}/RestrictedEntryStarted/${p.zoneId}`,
      type: 'RestrictedEntryStarted',
      occurredAt: p.enteredAt,
      data: {
        vehicleId,
        zoneId: p.zoneId,
        rule,
        waybillNo: load.waybillNo,
        carrierId: load.carrierId ?? '',
        speedKmh: p.speedKmh,
        evidence: restrictedEvidence(fixes, load, rules),
        interpolated: true,
        lon: p.lon,
        lat: p.lat,
      },
    },
    {
      eventId: `${p.to.eventId}/RestrictedEntryEnded/${p.zoneId}`,
      type: 'RestrictedEntryEnded',
      occurredAt: p.exitedAt,
      data: {
        vehicleId,
        zoneId: p.zoneId,
        startedAt: p.enteredAt,
        endedAt: p.exitedAt,
        durationS: (p.exitMs - p.enterMs) / 1000,
        evidence: fixes,
        interpolated: true,
      },
    },
  ];
}

export function overspeedStarted(
  vehicleId: string, run: OverspeedRun, fix: Fix, limitKmh: number, zoneId: string | null, load: Consignment | undefined,
): EventOf<'OverspeedStarted'> {
  const data: EventOf<'OverspeedStarted'>['data'] = {
    vehicleId,
    limitKmh,
    zoneId,
    since: run.since,
    speedKmh: fix.speedKmh,
    laden: load !== undefined,
    evidence: [...new Set([run.sinceEventId, fix.eventId, ...(load?.loadingEventId ? [load.loadingEventId] : [])])],
  };
  if (load) {
    data.waybillNo = load.waybillNo;
    if (load.carrierId !== undefined) data.carrierId = load.carrierId;
  }
  return { eventId: `${fix.eventId}/OverspeedStarted`, type: 'OverspeedStarted', occurredAt: fix.occurredAt, data };
}

export function overspeedEnded(vehicleId: string, run: OverspeedRun, fix: Fix): EventOf<'OverspeedEnded'> {
  return {
    eventId: `${fix.eventId}/OverspeedEnded`,
    type: 'OverspeedEnded',
    occurredAt: fix.occurredAt,
    data: {
      vehicleId,
      since: run.since,
      endedAt: fix.occurredAt,
      maxSpeedKmh: run.maxSpeedKmh,
      // The whole run, from its first fix to the fix that ended it.
      durationS: (fix.ms - run.sinceMs) / 1000,
      evidence: [fix.eventId],
    },
  };
}

export function fatigueStarted(vehicleId: string, driving: Driving, fix: Fix, load: Consignment | undefined): EventOf<'FatigueDrivingStarted'> {
  const data: EventOf<'FatigueDrivingStarted'>['data'] = {
    vehicleId,
    drivingSince: driving.since,
    drivenS: (fix.ms - driving.sinceMs) / 1000,
    laden: load !== undefined,
    evidence: [...new Set([driving.sinceEventId, fix.eventId, ...(load?.loadingEventId ? [load.loadingEventId] : [])])],
  };
  if (load) {
    data.waybillNo = load.waybillNo;
    if (load.carrierId !== undefined) data.carrierId = load.carrierId;
  }
  return { eventId: `${fix.eventId}/FatigueDrivingStarted`, type: 'FatigueDrivingStarted', occurredAt: fix.occurredAt, data };
}

/**
 * A rest completed at `at` (a fix, or a ClockTicked: its id is shared by every vehicle, so the
 * vehicle joins the detection's id).
 */
export function fatigueEnded(vehicleId: string, driving: Driving, restStartedAt: string, at: { eventId: string; occurredAt: string }, byClock: boolean): EventOf<'FatigueDrivingEnded'> {
  return {
    eventId: byClock ? `${at.eventId}/FatigueDrivingEnded/${vehicleId}` : `${at.eventId}/FatigueDrivingEnded`,
    type: 'FatigueDrivingEnded',
    occurredAt: at.occurredAt,
    data: { vehicleId, drivingSince: driving.since, restStartedAt, endedAt: at.occurredAt },
  };
}

/** The last fix and the tick that passed its deadline; dated at the deadline, in the last fix's offset. */
export function terminalOffline(vehicleId: string, last: Fix, tickEventId: string, deadlineMs: number, waybill: Consignment | undefined, laden: boolean): EventOf<'TerminalOffline'> {
  const data: EventOf<'TerminalOffline'>['data'] = { vehicleId, lastFixAt: last.occurredAt, lon: last.lon, lat: last.lat, laden, evidence: [last.eventId, tickEventId] };
  if (waybill) {
    data.waybillNo = waybill.waybillNo;
    if (waybill.carrierId !== undefined) data.carrierId = waybill.carrierId;
  }
  return { eventId: `${last.eventId}/TerminalOffline`, type: 'TerminalOffline', occurredAt: isoAtOffsetOf(deadlineMs, last.occurredAt), data };
}

export function terminalOnline(vehicleId: string, last: Fix, back: Fix): EventOf<'TerminalOnline'> {
  return {
    eventId: `${back.eventId}/TerminalOnline`,
    type: 'TerminalOnline',
    occurredAt: back.occurredAt,
    data: {
      vehicleId,
      lastFixAt: last.occurredAt,
      backAt: back.occurredAt,
      gapS: (back.ms - last.ms) / 1000,
      movedM: roundDistance(distanceM(last.lon, last.lat, back.lon, back.lat)),
      evidence: [last.eventId, back.eventId],
    },
  };
}

export function deviationStarted(vehicleId: string, run: DeviationRun, load: Consignment): EventOf<'RouteDeviationStarted'> {
  const first = run.eventIds[0] as string;
  return {
    eventId: `${first}/RouteDeviationStarted`,
    type: 'RouteDeviationStarted',
    occurredAt: run.since,
    data: {
      vehicleId,
      waybillNo: run.waybillNo,
      // Loaded implies assigned, so the carrier is known.
      carrierId: load.carrierId ?? '',
      distanceM: run.firstDistanceM,
      evidence: [...new Set([...run.eventIds, ...(load.loadingEventId ? [load.loadingEventId] : [])])],
      lon: run.lon,
      lat: run.lat,
    },
  };
}

export function deviationEnded(vehicleId: string, run: DeviationRun, fix: Fix): EventOf<'RouteDeviationEnded'> {
  return {
    eventId: `${fix.eventId}/RouteDeviationEnded`,
    type: 'RouteDeviationEnded',
    occurredAt: fix.occurredAt,
    data: { vehicleId, waybillNo: run.waybillNo, startedAt: run.since, endedAt: fix.occurredAt, maxDistanceM: run.maxDistanceM, evidence: [fix.eventId] },
  };
}
