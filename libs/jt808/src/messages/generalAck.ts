import { need, putU16, u16 } from '../bytes.ts';
import { Jt808DecodeError, Jt808EncodeError } from '../errors.ts';

export const GeneralAckResult = { success: 0, failure: 1, badMessage: 2, unsupported: 3, alarmConfirmed: 4 } as const;
export type GeneralAckResult = (typeof GeneralAckResult)[keyof typeof GeneralAckResult];

export interface GeneralAckMessage {
  readonly type: 'general-ack';
  readonly repliedSerial: number;
  readonly repliedMessageId: number;
  readonly result: GeneralAckResult;
}

function isResult(v: number): v is GeneralAckResult {
  return v >= 0 && v <= 4;
}

/** 0x8001 platform general response (decoded so the simulator and tests can read our replies). */
export function decodeGeneralAck(body: Uint8Array): GeneralAckMessage {
  need(body, 0, 5, 'general ack body');
  if (body.length !== 5) throw new Jt808DecodeError('length-mismatch', `general ack body must be 5 bytes, is ${body.length}`);
  const result = body[4]!;
  if (!isResult(result)) throw new Jt808DecodeError('bad-value', `general ack result ${result} is not 0–4`);
  return { type: 'general-ack', repliedSerial: u16(body, 0), repliedMessageId: u16(body, 2), result };
}

function word(name: string, v: number): number {
  if (!Number.isInteger(v) || v < 0 || v > 0xffff) throw new Jt808EncodeError(`${name} must be a WORD (0–65535), got ${v}`);
  return v;
}

export function encodeGeneralAckBody(ack: { repliedSerial: number; repliedMessageId: number; result: GeneralAckResult }): Uint8Array {
  if (!Number.isInteger(ack.result) || !isResult(ack.result)) throw new Jt808EncodeError(`general ack result ${ack.result} is not 0–4`);
  const body = new Uint8Array(5);
  putU16(body, 0, word('repliedSerial', ack.repliedSerial));
  putU16(body, 2, word('repliedMessageId', ack.repliedMessageId));
  body[4] = ack.result;
  return body;
}
