import { Jt809DecodeError } from './errors.ts';
import type { Edition, Jt809Header } from './header.ts';
import { MessageId } from './messageIds.ts';
import type { LinkMessage } from './messages/link.ts';
import {
  decodeDownLoginRequest,
  decodeDownLoginResponse,
  decodeEmpty,
  decodeLoginRequest,
  decodeLoginResponse,
  decodeLogoutRequest,
  decodeNotice,
  encodeLoginRequest,
  encodeLoginResponse,
  encodeLogoutRequest,
  encodeU32,
  encodeU8,
} from './messages/link.ts';
import type { AlarmExchange, VehicleDynamic, VehicleDynamicInput } from './messages/vehicleDynamic.ts';
import { decodeAlarmExchange, decodeVehicleDynamic, encodeAlarmExchange, encodeVehicleDynamic } from './messages/vehicleDynamic.ts';

export type Jt809Message = LinkMessage | VehicleDynamic | AlarmExchange;
/** What `encodeFrame` takes: decoded messages, or inputs whose fixes are described rather than decoded. */
export type Jt809MessageInput = LinkMessage | VehicleDynamic | VehicleDynamicInput | Omit<AlarmExchange, 'subType'>;

/** The message id of each message type (one table, used both ways). */
export const messageIdOf = {
  'login-request': MessageId.loginRequest,
  'login-response': MessageId.loginResponse,
  'logout-request': MessageId.logoutRequest,
  'logout-response': MessageId.logoutResponse,
  heartbeat: MessageId.heartbeat,
  'heartbeat-response': MessageId.heartbeatResponse,
  'main-link-broken': MessageId.mainLinkBroken,
  'vehicle-dynamic': MessageId.vehicleDynamic,
  alarm: MessageId.alarm,
  'down-login-request': MessageId.downLoginRequest,
  'down-login-response': MessageId.downLoginResponse,
  'down-heartbeat': MessageId.downHeartbeat,
  'down-heartbeat-response': MessageId.downHeartbeatResponse,
  'down-link-broken': MessageId.downLinkBroken,
  'close-link': MessageId.closeLink,
} as const satisfies Record<Jt809Message['type'], number>;

/** The message a (decrypted) body at bytes[start, end) holds. Throws only Jt809DecodeError. */
export function decodeBody(header: Jt809Header, b: Uint8Array, start: number, end: number): Jt809Message {
  const e: Edition = header.edition;
  const id = header.messageId;
  switch (id) {
    case MessageId.vehicleDynamic:
      return decodeVehicleDynamic(b, start, end, e);
    case MessageId.heartbeat:
      return decodeEmpty('heartbeat', id, start, end);
    case MessageId.heartbeatResponse:
      return decodeEmpty('heartbeat-response', id, start, end);
    case MessageId.alarm:
      return decodeAlarmExchange(b, start, end, e);
    case MessageId.loginRequest:
      return decodeLoginRequest(b, start, end, e);
    case MessageId.loginResponse:
      return decodeLoginResponse(b, start, end);
    case MessageId.logoutRequest:
      return decodeLogoutRequest(b, start, end);
    case MessageId.logoutResponse:
      return decodeEmpty('logout-response', id, start, end);
    case MessageId.mainLinkBroken:
      return decodeNotice('main-link-broken', id, b, start, end);
    case MessageId.downLoginRequest:
      return decodeDownLoginRequest(b, start, end);
    case MessageId.downLoginResponse:
      return decodeDownLoginResponse(b, start, end);
    case MessageId.downHeartbeat:
      return decodeEmpty('down-heartbeat', id, start, end);
    case MessageId.downHeartbeatResponse:
      return decodeEmpty('down-heartbeat-response', id, start, end);
    case MessageId.downLinkBroken:
      return decodeNotice('down-link-broken', id, b, start, end);
    case MessageId.closeLink:
      return decodeNotice('close-link', id, b, start, end);
    default:
      throw new Jt809DecodeError('unknown-message', `message id 0x${id.toString(16).padStart(4, '0')} is not decoded`, header);
  }
}

const EMPTY = new Uint8Array(0);

/** Body bytes of a message in an edition's layout. Throws Jt809EncodeError on out-of-range fields. */
export function encodeBody(m: Jt809MessageInput, edition: Edition): Uint8Array {
  switch (m.type) {
    case 'login-request':
      return encodeLoginRequest(m, edition);
    case 'login-response':
      return encodeLoginResponse(m);
    case 'logout-request':
      return encodeLogoutRequest(m);
    case 'logout-response':
    case 'heartbeat':
    case 'heartbeat-response':
    case 'down-heartbeat':
    case 'down-heartbeat-response':
      return EMPTY;
    case 'main-link-broken':
    case 'down-link-broken':
    case 'close-link':
      return encodeU8('code', m.code);
    case 'down-login-request':
      return encodeU32('verifyCode', m.verifyCode);
    case 'down-login-response':
      return encodeU8('result', m.result);
    case 'vehicle-dynamic':
      return encodeVehicleDynamic(m as VehicleDynamicInput, edition);
    case 'alarm':
      return encodeAlarmExchange(m, edition);
    default: {
      const never: never = m;
      return never;
    }
  }
}
