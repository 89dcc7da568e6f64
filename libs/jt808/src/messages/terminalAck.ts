import { need, putU16, u16 } from '../bytes.ts';
import { Jt808DecodeError, Jt808EncodeError } from '../errors.ts';

/** Results a terminal gives in 0x0001: 0 success/confirmed, 1 failure, 2 bad message, 3 unsupported. */
export const TerminalAckResult = { success: 0, failure: 1, badMessage: 2, unsupported: 3 } as const;

export interface TerminalAckMessage {
  readonly type: 'terminal-ack';
  /** Serial of the platform message being answered. */
  readonly repliedSerial: number;
  readonly repliedMessageId: number;
  /** As sent (0–3 in the standard; anything else is passed through for the caller to count). */
  readonly result: number;
}

/**
 * 0x0001 terminal general response: reply serial WORD, reply id WORD, result BYTE (the same
 * layout as the platform's 0x8001). It answers a platform command and is never answered itself.
 */
export function decodeTerminalAck(body: Uint8Array): TerminalAckMessage {
  need(body, 0, 5, 'terminal ack body');
  if (body.length !== 5) throw new Jt808DecodeError('length-mismatch', `terminal ack body must be 5 bytes, is ${body.length}`);
  return { type: 'terminal-ack', repliedSerial: u16(body, 0), repliedMessageId: u16(body, 2), result: body[4]! };
}

/** 0x0001 body as a terminal writes it (simulator, tests). */
export function encodeTerminalAckBody(ack: { repliedSerial: number; repliedMessageId: number; result: number }): Uint8Array {
  for (const [name, v, max] of [['repliedSerial', ack.repliedSerial, 0xffff], ['repliedMessageId', ack.repliedMessageId, 0xffff], ['result', ack.result, 0xff]] as const) {
    if (!Number.isInteger(v) || v < 0 || v > max) throw new Jt808EncodeError(`${name} ${v} is out of range 0–${max}`);
  }
  const body = new Uint8Array(5);
  putU16(body, 0, ack.repliedSerial);
  putU16(body, 2, ack.repliedMessageId);
  body[4] = ack.result;
  return body;
}
