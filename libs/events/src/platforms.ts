import { z } from 'zod';
import { identifier, timestamp } from './primitives.ts';
import { plateColour } from './registry.ts';

/*
 * What a JT/T 809 monitoring platform (a carrier's, a service provider's or a province's) tells
 * the bureau about its vehicles besides their positions. Written by the JT/T 809 gateway only,
 * never posted over HTTP; recorded in the platform's stream (`platform-<platformId>`).
 */

/** Plates as a platform sends them (GBK text, as printed); the register is looked up by `plateKey`. */
const platformPlate = z.string().min(1, 'must not be empty').max(32, 'must be at most 32 characters');
const platformText = (max: number) => z.string().max(max, `must be at most ${max} characters`);

/**
 * An alarm a platform reported (0x1400/0x1402) for a vehicle registered to one of its carriers.
 * `occurredAt` is the alarm's own time (WARN_TIME).
 */
export const vehicleAlarmReportedData = z.looseObject({
  vehicleId: identifier,
  /** The reporting platform's id in the gateway's configuration. */
  platformId: identifier,
  plateNo: platformPlate,
  plateColour,
  /** JT/T 809 WARN_TYPE, e.g. 0x0001 overspeed, 0x0002 fatigue driving, 0x0003 emergency, 0xA001 parking timeout. */
  warnType: z.number().int().min(0).max(0xffff),
  /** The WARN_TYPE's name (`overspeed`, `fatigue`, …), `other` for a code the gateway does not name. */
  warnName: platformText(64),
  /** 2011: WARN_SRC (`terminal`, `carrier-platform`, `government-platform`, `other`); 2019: the source platform's code. */
  source: platformText(32),
  /** 2019 only: when the alarm condition started and ended. */
  startedAt: timestamp.optional(),
  endedAt: timestamp.optional(),
  /** INFO_CONTENT as sent (GBK decoded), at most 1024 characters. */
  info: platformText(1024),
});

/** Why a platform's vehicle registration (0x1201) does not match the register. */
export const platformMismatchReasons = ['unknown-vehicle', 'other-carrier', 'terminal-sim'] as const;

/**
 * A platform declared a vehicle (0x1201: plate, terminal, SIM) that does not match the register:
 * a plate nobody registered, a vehicle of a carrier the platform may not speak for, or a SIM other
 * than the registered terminal's. `occurredAt` is when the gateway received the declaration.
 */
export const platformRegistrationMismatchedData = z.looseObject({
  platformId: identifier,
  plateNo: platformPlate,
  plateColour,
  reason: z.enum(platformMismatchReasons),
  /** The registered vehicle holding that plate, if any. */
  vehicleId: identifier.optional(),
  /** What the platform declared, as sent. */
  reported: z.looseObject({
    platformCode: platformText(32),
    producerId: platformText(32),
    terminalModel: platformText(64),
    terminalId: platformText(64),
    simCode: platformText(32),
    imei: platformText(32).optional(),
  }),
  /** What the register says, where it says anything. */
  registered: z
    .looseObject({
      carrierId: identifier.optional(),
      terminalPhone: platformText(32).optional(),
    })
    .optional(),
});

export type VehicleAlarmReportedData = z.infer<typeof vehicleAlarmReportedData>;
export type PlatformRegistrationMismatchedData = z.infer<typeof platformRegistrationMismatchedData>;
export type PlatformMismatchReason = (typeof platformMismatchReasons)[number];
