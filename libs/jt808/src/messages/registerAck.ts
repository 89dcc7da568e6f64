import { need, putU16, u16 } from '../bytes.ts';
import { Jt808DecodeError, Jt808EncodeError } from '../errors.ts';
import { decodeGbk } from '../text.ts';

export const RegisterAckResult = {
  ok: 0,
  vehicleAlreadyRegistered: 1,
  noSuchVehicle: 2,
  terminalAlreadyRegistered: 3,
  noSuchTerminal: 4,
} as const;
export type RegisterAckResult = (typeof RegisterAckResult)[keyof typeof RegisterAckResult];

export interface RegisterAckMessage {
  readonly type: 'register-ack';
  readonly repliedSerial: number;
  readonly result: RegisterAckResult;
  /** Present only with result 0. */
  readonly authCode: string | undefined;
}

function isResult(v: number): v is RegisterAckResult {
  return v >= 0 && v <= 4;
}

/** 0x8100 register response (decoded so the simulator and tests can read our replies). */
export function decodeRegisterAck(body: Uint8Array): RegisterAckMessage {
  need(body, 0, 3, 'register ack body');
  const result = body[2]!;
  if (!isResult(result)) throw new Jt808DecodeError('bad-value', `register ack result ${result} is not 0–4`);
  if (result !== RegisterAckResult.ok && body.length !== 3) {
    throw new Jt808DecodeError('length-mismatch', `register ack with result ${result} carries ${body.length - 3} auth code byte(s)`);
  }
  return {
    type: 'register-ack',
    repliedSerial: u16(body, 0),
    result,
    authCode: result === RegisterAckResult.ok ? decodeGbk(body, 3, body.length) : undefined,
  };
}

/**
 * The auth code is sent only with result 0 and must be printable ASCII (GBK text would need an
 * encoder table this pure codec does not carry).
 */
export function encodeRegisterAckBody(ack: { repliedSerial: number; result: RegisterAckResult; authCode?: string }): Uint8Array {
  if (!Number.isInteger(ack.result) || !isResult(ack.result)) throw new Jt808EncodeError(`register ack result ${ack.result} is not 0–4`);
  if (!Number.isInteger(ack.repliedSerial) || ack.repliedSerial < 0 || ack.repliedSerial > 0xffff) {
    throw new Jt808EncodeError(`repliedSerial must be a WORD (0–65535), got ${ack.repliedSerial}`);
  }
  let code = '';
  if (ack.result === RegisterAckResult.ok) {
    code = ack.authCode ?? '';
    if (!/^[\x20-\x7e]+$/.test(code)) throw new Jt808EncodeError('register ack with result 0 needs a non-empty printable-ASCII auth code');
  } else if (ack.authCode !== undefined) {
    throw new Jt808EncodeError('an auth code is only sent with result 0');
  }
  const body = new Uint8Array(3 + code.length);
  putU16(body, 0, ack.repliedSerial);
  body[2] = ack.result;
  for (let i = 0; i < code.length; i++) body[3 + i] = code.charCodeAt(i);
  return body;
}
