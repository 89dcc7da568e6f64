import { z } from 'zod';
import { identifier } from './primitives.ts';

/*
 * Messages to drivers (文本信息下发) over JT/T 808, and what became of each. One message is up to
 * four events, all in the vehicle's `driver-messages-<vehicleId>` stream and all keyed by the
 * vehicle on the bus:
 *
 *   DriverMessageRequested  the desk (an officer) or a policy asked for it     (API)
 *   DriverMessageSent       a gateway wrote the 0x8300 to the terminal         (JT/T 808 gateway)
 *   DriverMessageDelivered  the terminal answered 0x0001 result 0             (JT/T 808 gateway)
 *   DriverMessageUndeliverable  not sent, not answered, or refused             (JT/T 808 gateway)
 *
 * Each event id is `dm:<messageId>:<step>` (step: requested, sent, delivered, undeliverable, or
 * not-connected for that one reason), so a step published twice (a restart, several gateways
 * giving up on a terminal none of them holds) is recorded once. `not-connected` has its own step
 * because it is each gateway's own claim: a gateway that held the terminal may still send, and
 * its later outcome must not be taken for a duplicate. Never posted over HTTP ingest.
 */

/** A driver message's id: `dm-<uuid>` from the desk, `dm-p-<hash of the detection id>` from a policy. */
export const driverMessageId = z.string().regex(/^dm-[A-Za-z0-9-]{1,100}$/, 'must be "dm-" followed by 1–100 letters, digits or "-"');

/** Longest text an event may carry: 500 Han characters are 1000 GBK bytes, within one 0x8300 body. */
export const DRIVER_MESSAGE_MAX_CHARS = 500;

const requestedCommon = {
  messageId: driverMessageId,
  vehicleId: identifier,
  text: z.string().min(1, 'must not be empty').max(DRIVER_MESSAGE_MAX_CHARS, `must be at most ${DRIVER_MESSAGE_MAX_CHARS} characters`),
  /** 0x8300 flag bit 2: shown on the terminal's display. */
  display: z.boolean(),
  /** 0x8300 flag bit 3: read aloud by the terminal's TTS. */
  tts: z.boolean(),
  /** 0x8300 flag bit 0. */
  emergency: z.boolean(),
  /** Who asked: the API key principal's id, or the policy's name. */
  by: identifier,
};

/**
 * Someone asked for a message to a vehicle's driver. `occurredAt` is the server time of the
 * request. `reason` says who: an officer at the desk, or a configured policy — then `policyRule`
 * names the rule and `detectionId` the detection event that set it off.
 */
export const driverMessageRequestedData = z.discriminatedUnion('reason', [
  z.looseObject({ ...requestedCommon, reason: z.literal('officer') }),
  z.looseObject({ ...requestedCommon, reason: z.literal('policy'), policyRule: identifier, detectionId: z.string().min(1).max(512) }),
]);

const terminalPhone = z.string().regex(/^\d{1,20}$/, 'must be 1–20 digits');
/** The platform serial of the 0x8300, which the terminal's 0x0001 names. */
const jt808Serial = z.number().int().min(0).max(0xffff);

/** A gateway wrote the 0x8300 to the terminal holding the connection (`occurredAt`: the gateway's clock). */
export const driverMessageSentData = z.looseObject({
  messageId: driverMessageId,
  vehicleId: identifier,
  /** Normalised terminal phone (no leading zeros). */
  terminalPhone,
  serial: jt808Serial,
  /** Which gateway instance holds the connection (`JT808_GATEWAY_ID`). */
  gatewayId: identifier,
});

/** The terminal confirmed the message with 0x0001 result 0 (success). */
export const driverMessageDeliveredData = z.looseObject({
  messageId: driverMessageId,
  vehicleId: identifier,
  terminalPhone,
  serial: jt808Serial,
  gatewayId: identifier,
});

/**
 * Why a message did not reach the driver:
 * - `not-connected`: no gateway held the vehicle's terminal within the connect timeout;
 * - `no-reply`: sent, but no 0x0001 within the reply timeout (or the connection dropped first);
 * - `refused`: the terminal answered 0x0001 with `terminalResult` 1 failure, 2 bad message, 3 unsupported;
 * - `not-encodable`: the text has a character without a GBK code or is too long for one 0x8300
 *   (the API refuses such texts; only a request from elsewhere can get here).
 */
export const driverMessageUndeliverableReasons = ['not-connected', 'no-reply', 'refused', 'not-encodable'] as const;
export type DriverMessageUndeliverableReason = (typeof driverMessageUndeliverableReasons)[number];

export const driverMessageUndeliverableData = z.looseObject({
  messageId: driverMessageId,
  vehicleId: identifier,
  reason: z.enum(driverMessageUndeliverableReasons),
  /** The 0x0001 result, with `refused` only (as sent: 1–3 in the standard). */
  terminalResult: z.number().int().min(0).max(255).optional(),
  terminalPhone: terminalPhone.optional(),
  serial: jt808Serial.optional(),
  gatewayId: identifier,
  /** The timeout that ran out, with `not-connected` and `no-reply`. */
  timeoutMs: z.number().int().min(0).optional(),
});

export type DriverMessageRequestedData = z.infer<typeof driverMessageRequestedData>;
export type DriverMessageSentData = z.infer<typeof driverMessageSentData>;
export type DriverMessageDeliveredData = z.infer<typeof driverMessageDeliveredData>;
export type DriverMessageUndeliverableData = z.infer<typeof driverMessageUndeliverableData>;

/** The event id of one step of a message: the same step is one event however often it is published. */
export type DriverMessageStep = 'requested' | 'sent' | 'delivered' | 'undeliverable' | 'not-connected';

export function driverMessageEventId(messageId: string, step: DriverMessageStep): string {
  return `dm:${messageId}:${step}`;
}
