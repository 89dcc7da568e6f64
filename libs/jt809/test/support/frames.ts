import type { CipherKeys, DecodedFrame, Edition, Jt809Message } from '../../src/index.ts';
import { crc16, decodeFrame, escapeFrame, fromHex, Jt809DecodeError } from '../../src/index.ts';
import type { Vector } from '../vectors/vectors.ts';

export interface Link {
  readonly edition: Edition;
  readonly keys?: CipherKeys | undefined;
}

function bytesOf(frame: Uint8Array | string): Uint8Array {
  return typeof frame === 'string' ? fromHex(frame) : frame;
}

/** Header + body bytes wrapped with a correct CRC, escaped and flagged (lets tests build malformed-but-checked frames). */
export function frameAround(content: Uint8Array): Uint8Array {
  const raw = new Uint8Array(content.length + 2);
  raw.set(content);
  const c = crc16(content);
  raw[content.length] = c >> 8;
  raw[content.length + 1] = c & 0xff;
  return escapeFrame(raw);
}

/** A frame its sender forgot to escape, escaped as the standard requires (same header, body and CRC). */
export function escapedAsTheStandardSays(hex: string): Uint8Array {
  const raw = fromHex(hex);
  return escapeFrame(raw.subarray(1, raw.length - 1));
}

export function decodeOk(frame: Uint8Array | string, link: Link): DecodedFrame {
  const r = decodeFrame(bytesOf(frame), link);
  if (!r.ok) throw new Error(`expected a decoded frame, got ${r.error.message}`);
  return r.value;
}

export function decodeVector(v: Vector): DecodedFrame {
  return decodeOk(v.hex, v);
}

export function messageOf<T extends Jt809Message['type']>(frame: Uint8Array | string, link: Link, type: T): Extract<Jt809Message, { type: T }> {
  const m = decodeOk(frame, link).message;
  if (m.type !== type) throw new Error(`expected ${type}, got ${m.type}`);
  return m as Extract<Jt809Message, { type: T }>;
}

export function decodeError(frame: Uint8Array | string, link: Link): Jt809DecodeError {
  const r = decodeFrame(bytesOf(frame), link);
  if (r.ok) throw new Error('expected a decode error');
  if (!(r.error instanceof Jt809DecodeError)) throw new Error('error is not a Jt809DecodeError');
  return r.error;
}
