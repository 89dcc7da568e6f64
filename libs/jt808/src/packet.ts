import { xorChecksum } from './checksum.ts';
import { Jt808DecodeError } from './errors.ts';
import { ESC, FLAG, escapeFrame, unescapeFrame } from './escape.ts';
import type { HeaderInput, Jt808Header } from './header.ts';
import { decodeHeader, encodeHeader } from './header.ts';

/** A checked frame: header plus the raw (unescaped, possibly one sub-package's) body. */
export interface Jt808Packet {
  readonly header: Jt808Header;
  readonly body: Uint8Array;
}

/** Where a checked packet's body lies; `bytes` is the input frame itself when nothing was escaped. */
export interface PacketLocation {
  readonly header: Jt808Header;
  readonly bytes: Uint8Array;
  readonly bodyStart: number;
  readonly bodyEnd: number;
}

/**
 * Unescape, verify the checksum and read the header of one frame (0x7E flags optional).
 * Hot path: one pass finds flags/escapes and XORs; without escapes nothing is copied or viewed.
 * Throws only Jt808DecodeError.
 */
export function locatePacket(frame: Uint8Array): PacketLocation {
  let start = 0;
  let end = frame.length;
  if (frame[0] === FLAG) start = 1;
  if (end > start && frame[end - 1] === FLAG) end--;
  let x = 0;
  let i = start;
  for (; i < end; i++) {
    const b = frame[i]!;
    if (b === FLAG || b === ESC) break;
    x ^= b;
  }
  let bytes = frame;
  if (i < end) {
    bytes = unescapeFrame(frame, start, end);
    start = 0;
    end = bytes.length;
    x = xorChecksum(bytes, 0, end);
  }
  if (end - start < 2) throw new Jt808DecodeError('truncated', `frame of ${Math.max(0, end - start)} byte(s) has no header`);
  const last = end - 1;
  // XOR over content and check code is 0 exactly when the check code is right.
  if (x !== 0) {
    const expected = x ^ bytes[last]!;
    throw new Jt808DecodeError('bad-checksum', `check code 0x${bytes[last]!.toString(16)} but bytes XOR to 0x${expected.toString(16)}`);
  }
  const header = decodeHeader(bytes, start, last);
  if (header.encryption !== 0) {
    throw new Jt808DecodeError('unsupported-encryption', `encryption bits 0b${header.encryption.toString(2).padStart(3, '0')} set`, header);
  }
  const bodyStart = start + header.size;
  const actual = last - bodyStart;
  if (actual < header.bodyLength) {
    throw new Jt808DecodeError('truncated', `header declares a ${header.bodyLength}-byte body, frame carries ${actual}`, header);
  }
  if (actual > header.bodyLength) {
    throw new Jt808DecodeError('length-mismatch', `header declares a ${header.bodyLength}-byte body, frame carries ${actual}`, header);
  }
  return { header, bytes, bodyStart, bodyEnd: last };
}

/** Checked header + body of one frame. Throws only Jt808DecodeError. */
export function parsePacket(frame: Uint8Array): Jt808Packet {
  const p = locatePacket(frame);
  return { header: p.header, body: p.bytes.subarray(p.bodyStart, p.bodyEnd) };
}

/** Header + body + checksum, escaped and flagged: a frame ready for the wire. */
export function encodePacket(header: HeaderInput, body: Uint8Array): Uint8Array {
  const head = encodeHeader(header, body.length);
  const raw = new Uint8Array(head.length + body.length + 1);
  raw.set(head, 0);
  raw.set(body, head.length);
  raw[raw.length - 1] = xorChecksum(raw, 0, raw.length - 1);
  return escapeFrame(raw);
}
