import type { DecodeResult } from './errors.ts';
import { Jt808DecodeError } from './errors.ts';
import type { Jt808Header } from './header.ts';
import { MessageId } from './messageIds.ts';
import type { AuthenticateMessage } from './messages/authenticate.ts';
import { decodeAuthenticate } from './messages/authenticate.ts';
import type { BatchUploadMessage } from './messages/batchUpload.ts';
import { decodeBatchUpload } from './messages/batchUpload.ts';
import type { GeneralAckMessage } from './messages/generalAck.ts';
import { decodeGeneralAck } from './messages/generalAck.ts';
import type { HeartbeatMessage } from './messages/heartbeat.ts';
import { decodeHeartbeat } from './messages/heartbeat.ts';
import type { LocationReport } from './messages/location.ts';
import { decodeLocation, decodeLocationBody } from './messages/location.ts';
import type { LogoutMessage } from './messages/logout.ts';
import { decodeLogout } from './messages/logout.ts';
import type { RegisterMessage } from './messages/register.ts';
import { decodeRegister } from './messages/register.ts';
import type { RegisterAckMessage } from './messages/registerAck.ts';
import { decodeRegisterAck } from './messages/registerAck.ts';
import type { TerminalAckMessage } from './messages/terminalAck.ts';
import { decodeTerminalAck } from './messages/terminalAck.ts';
import { locatePacket } from './packet.ts';

export type TerminalMessage = RegisterMessage | AuthenticateMessage | HeartbeatMessage | LogoutMessage | LocationReport | BatchUploadMessage | TerminalAckMessage;
export type PlatformMessage = GeneralAckMessage | RegisterAckMessage;
export type Jt808Message = TerminalMessage | PlatformMessage;

export type DecodedFrame =
  | { readonly kind: 'message'; readonly header: Jt808Header; readonly message: Jt808Message }
  /** One part of a sub-packaged message: feed it to a SubpacketAssembler. */
  | { readonly kind: 'fragment'; readonly header: Jt808Header; readonly body: Uint8Array };

function decodeKnownBody(header: Jt808Header, body: Uint8Array): Jt808Message {
  switch (header.messageId) {
    case MessageId.locationReport:
      return decodeLocation(body);
    case MessageId.batchUpload:
      return decodeBatchUpload(body);
    case MessageId.heartbeat:
      return decodeHeartbeat(body);
    case MessageId.register:
      return decodeRegister(body, header.flavour);
    case MessageId.authenticate:
      return decodeAuthenticate(body, header.flavour);
    case MessageId.logout:
      return decodeLogout(body);
    case MessageId.terminalAck:
      return decodeTerminalAck(body);
    case MessageId.generalAck:
      return decodeGeneralAck(body);
    case MessageId.registerAck:
      return decodeRegisterAck(body);
    default:
      throw new Jt808DecodeError('unknown-message', `message id 0x${header.messageId.toString(16).padStart(4, '0')} is not decoded`, header);
  }
}

/** The message carried by a complete body (single frame or reassembled). Throws only Jt808DecodeError. */
export function decodeBody(header: Jt808Header, body: Uint8Array): Jt808Message {
  try {
    return decodeKnownBody(header, body);
  } catch (e) {
    throw withHeader(e, header);
  }
}

function withHeader(e: unknown, header: Jt808Header): unknown {
  return e instanceof Jt808DecodeError && e.header === undefined ? new Jt808DecodeError(e.kind, e.detail, header) : e;
}

/**
 * Decode one frame (with or without its 0x7E flags). Throws only Jt808DecodeError; any other
 * exception would be a codec bug, and the fuzz tests assert there is none.
 */
export function decodeFrameOrThrow(frame: Uint8Array): DecodedFrame {
  const { header, bytes, bodyStart, bodyEnd } = locatePacket(frame);
  if (header.subpacket !== undefined) return { kind: 'fragment', header, body: bytes.subarray(bodyStart, bodyEnd) };
  if (header.messageId === MessageId.locationReport) {
    // Hot path: decode in place, no body view.
    try {
      return { kind: 'message', header, message: decodeLocationBody(bytes, bodyStart, bodyEnd, false) };
    } catch (e) {
      throw withHeader(e, header);
    }
  }
  return { kind: 'message', header, message: decodeBody(header, bytes.subarray(bodyStart, bodyEnd)) };
}

/**
 * Decode one frame into a result union: malformed input is `{ ok: false, error }`, never an
 * exception. Only Jt808DecodeError is converted; anything else is a bug and propagates.
 */
export function decodeFrame(frame: Uint8Array): DecodeResult<DecodedFrame> {
  try {
    return { ok: true, value: decodeFrameOrThrow(frame) };
  } catch (e) {
    if (e instanceof Jt808DecodeError) return { ok: false, error: e };
    throw e;
  }
}
