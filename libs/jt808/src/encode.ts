import type { HeaderInput, ProtocolFlavour } from './header.ts';
import { MessageId } from './messageIds.ts';
import type { BatchType } from './messages/batchUpload.ts';
import { encodeBatchUploadBody } from './messages/batchUpload.ts';
import type { GeneralAckResult } from './messages/generalAck.ts';
import { encodeGeneralAckBody } from './messages/generalAck.ts';
import type { LocationInput } from './messages/location.ts';
import { encodeLocationBody } from './messages/location.ts';
import type { RegisterAckResult } from './messages/registerAck.ts';
import { encodeRegisterAckBody } from './messages/registerAck.ts';
import { encodeTerminalAckBody } from './messages/terminalAck.ts';
import { encodePacket } from './packet.ts';

/** Header fields of an outgoing frame: edition, terminal phone, and the sender's own serial. */
export interface FrameAddress {
  readonly flavour: ProtocolFlavour;
  readonly phone: string;
  /** The sender's serial for this frame (the caller keeps the counter). */
  readonly serial: number;
  /** 2019 protocol version byte; defaults to 1. */
  readonly protocolVersion?: number;
}

function header(to: FrameAddress, messageId: number): HeaderInput {
  return { messageId, flavour: to.flavour, phone: to.phone, serial: to.serial, ...(to.protocolVersion === undefined ? {} : { protocolVersion: to.protocolVersion }) };
}

/** 0x8001 platform general response, escaped and flagged. */
export function encodeGeneralAck(to: FrameAddress, ack: { repliedSerial: number; repliedMessageId: number; result: GeneralAckResult }): Uint8Array {
  return encodePacket(header(to, MessageId.generalAck), encodeGeneralAckBody(ack));
}

/** 0x8100 register response, escaped and flagged; `authCode` only (and required) with result 0. */
export function encodeRegisterAck(to: FrameAddress, ack: { repliedSerial: number; result: RegisterAckResult; authCode?: string }): Uint8Array {
  return encodePacket(header(to, MessageId.registerAck), encodeRegisterAckBody(ack));
}

/** 0x0200 frame as a terminal sends it (simulator, tests). */
export function encodeLocationReport(from: FrameAddress, location: LocationInput): Uint8Array {
  return encodePacket(header(from, MessageId.locationReport), encodeLocationBody(location));
}

/** 0x0704 frame as a terminal sends it (simulator, tests). */
export function encodeBatchUpload(from: FrameAddress, batchType: BatchType, locations: readonly LocationInput[]): Uint8Array {
  return encodePacket(header(from, MessageId.batchUpload), encodeBatchUploadBody(batchType, locations));
}

/** 0x0001 frame as a terminal sends it in answer to a platform command (simulator, tests). */
export function encodeTerminalAck(from: FrameAddress, ack: { repliedSerial: number; repliedMessageId: number; result: number }): Uint8Array {
  return encodePacket(header(from, MessageId.terminalAck), encodeTerminalAckBody(ack));
}
