import type { DecodedFrame, HeaderInput, Jt808Message } from '../../src/index.ts';
import { decodeFrame, encodeHeader, escapeFrame, fromHex, Jt808DecodeError, xorChecksum } from '../../src/index.ts';

/** Frame with a correct checksum around arbitrary header + body bytes (lets tests build malformed-but-checksummed frames). */
export function frameAround(content: Uint8Array): Uint8Array {
  const raw = new Uint8Array(content.length + 1);
  raw.set(content);
  raw[content.length] = xorChecksum(content, 0, content.length);
  return escapeFrame(raw);
}

export function frameWith(header: HeaderInput, body: Uint8Array, declaredLength = body.length): Uint8Array {
  const head = encodeHeader(header, declaredLength);
  const content = new Uint8Array(head.length + body.length);
  content.set(head);
  content.set(body, head.length);
  return frameAround(content);
}

export function decodeOk(frame: Uint8Array | string): Extract<DecodedFrame, { kind: 'message' }> {
  const r = decodeFrame(typeof frame === 'string' ? fromHex(frame) : frame);
  if (!r.ok) throw new Error(`expected a decoded frame, got ${r.error.message}`);
  if (r.value.kind !== 'message') throw new Error('expected a whole message, got a fragment');
  return r.value;
}

export function messageOf<T extends Jt808Message['type']>(frame: Uint8Array | string, type: T): Extract<Jt808Message, { type: T }> {
  const m = decodeOk(frame).message;
  if (m.type !== type) throw new Error(`expected ${type}, got ${m.type}`);
  return m as Extract<Jt808Message, { type: T }>;
}

export function decodeError(frame: Uint8Array | string): Jt808DecodeError {
  const r = decodeFrame(typeof frame === 'string' ? fromHex(frame) : frame);
  if (r.ok) throw new Error('expected a decode error');
  if (!(r.error instanceof Jt808DecodeError)) throw new Error('error is not a Jt808DecodeError');
  return r.error;
}
