import type { CipherKeys } from './bodyCipher.ts';
import { applyBodyCipher } from './bodyCipher.ts';
import { putU16, u16, u32 } from './bytes.ts';
import { crc16 } from './crc16.ts';
import type { DecodeResult } from './errors.ts';
import { Jt809DecodeError, Jt809EncodeError } from './errors.ts';
import { HEAD_FLAG, TAIL_FLAG, escapeFrame, firstEscape, unescapeInto } from './escape.ts';
import type { Edition, HeaderInput, Jt809Header } from './header.ts';
import { HEADER_SIZE, decodeHeader, encodeHeader } from './header.ts';
import type { Jt809Message, Jt809MessageInput } from './message.ts';
import { decodeBody, encodeBody, messageIdOf } from './message.ts';

export interface DecodeOptions {
  /** The link's edition (configured per platform: the version bytes do not tell it reliably). */
  readonly edition: Edition;
  /** The link's M1 / IA1 / IC1, needed only for frames whose ENCRYPT_FLAG is set. */
  readonly keys?: CipherKeys | undefined;
}

export interface DecodedFrame {
  readonly header: Jt809Header;
  readonly message: Jt809Message;
}

/** A checked, decrypted packet: where its body lies in `bytes` (flags, header and CRC excluded). */
export interface Jt809Packet {
  readonly header: Jt809Header;
  readonly bytes: Uint8Array;
  readonly bodyStart: number;
  readonly bodyEnd: number;
}

/**
 * Unescape, check MSG_LENGTH and the CRC, read the header and decrypt the body of one frame
 * (0x5B / 0x5D flags optional). Without escapes or encryption nothing is copied. Throws only
 * Jt809DecodeError.
 */
export function parsePacket(frame: Uint8Array, options: DecodeOptions): Jt809Packet {
  return openPacket(frame, options, false);
}

/*
 * decodeFrame unescapes and decrypts into this one buffer instead of a new array per frame (an
 * array over 64 bytes costs an off-heap allocation, more than decoding a fix): what it returns
 * never refers to the packet's bytes (texts and numbers are read out; kept raw bodies are
 * copied), and decoding runs to completion before the next frame, so nothing sees it reused.
 * Frames larger than SCRATCH_MAX get an array of their own, so one odd frame does not pin memory.
 */
const SCRATCH_MAX = 65_536;
let scratch = new Uint8Array(4_096);

function bufferFor(size: number, reuse: boolean): Uint8Array {
  if (!reuse || size > SCRATCH_MAX) return new Uint8Array(size);
  if (scratch.length < size) scratch = new Uint8Array(SCRATCH_MAX);
  return scratch;
}

/** parsePacket, with `reuse`: the packet may live in the shared scratch buffer (valid until the next call). */
function openPacket(frame: Uint8Array, options: DecodeOptions, reuse: boolean): Jt809Packet {
  let start = 0;
  let end = frame.length;
  if (frame[0] === HEAD_FLAG) start = 1;
  if (end > start && frame[end - 1] === TAIL_FLAG) end--;
  const first = firstEscape(frame, start, end);
  let bytes: Uint8Array;
  let copied = false;
  if (first === end) bytes = frame.subarray(start, end);
  else {
    const out = bufferFor(end - start, reuse);
    bytes = out.subarray(0, unescapeInto(frame, start, first, end, out));
    copied = true;
  }
  const size = HEADER_SIZE[options.edition];
  if (bytes.length < size + 2) throw new Jt809DecodeError('truncated', `frame of ${bytes.length} byte(s) between the flags cannot hold a ${options.edition} header and a CRC`);
  const declared = u32(bytes, 0);
  // MSG_LENGTH counts the flags too: unescaped content + 2.
  if (declared !== bytes.length + 2) {
    throw new Jt809DecodeError(declared > bytes.length + 2 ? 'truncated' : 'length-mismatch', `MSG_LENGTH ${declared}, frame holds ${bytes.length + 2} byte(s)`);
  }
  const last = bytes.length - 2;
  const expected = crc16(bytes, 0, last);
  const actual = u16(bytes, last);
  if (expected !== actual) throw new Jt809DecodeError('bad-crc', `CRC 0x${actual.toString(16).padStart(4, '0')} but header and body give 0x${expected.toString(16).padStart(4, '0')}`);
  const header = decodeHeader(bytes, options.edition, last);
  if (header.encrypted) {
    if (options.keys === undefined) throw new Jt809DecodeError('no-cipher-keys', 'the body is encrypted and this link has no M1/IA1/IC1 configured', header);
    // Decrypt a copy when `bytes` is still the caller's buffer; an unescaped copy is ours already.
    if (!copied) {
      const out = bufferFor(bytes.length, reuse);
      out.set(bytes);
      bytes = out;
    }
    bytes = bytes.subarray(0, last);
    applyBodyCipher(bytes, size, last, header.encryptKey, options.keys);
  }
  return { header, bytes, bodyStart: size, bodyEnd: last };
}

/**
 * Decode one frame: `{ok: true, value}` or `{ok: false, error}` for malformed input, never an
 * exception. Errors found in the body carry the header. Only Jt809DecodeError is converted;
 * anything else is a codec bug and propagates (the fuzz tests assert there is none).
 */
export function decodeFrame(frame: Uint8Array, options: DecodeOptions): DecodeResult<DecodedFrame> {
  try {
    return { ok: true, value: decodeFrameOrThrow(frame, options) };
  } catch (e) {
    if (e instanceof Jt809DecodeError) return { ok: false, error: e };
    throw e;
  }
}

/** As decodeFrame, throwing the Jt809DecodeError instead. */
export function decodeFrameOrThrow(frame: Uint8Array, options: DecodeOptions): DecodedFrame {
  const p = openPacket(frame, options, true);
  try {
    return { header: p.header, message: decodeBody(p.header, p.bytes, p.bodyStart, p.bodyEnd) };
  } catch (e) {
    if (e instanceof Jt809DecodeError && e.header === undefined) throw new Jt809DecodeError(e.kind, e.detail, p.header);
    throw e;
  }
}

export interface FrameInput extends Omit<HeaderInput, 'messageId'> {
  /** Encrypt the body with these keys and `encryptKey` (ENCRYPT_FLAG 1). */
  readonly keys?: CipherKeys | undefined;
  /** The header's ENCRYPT_KEY; required with `keys` (the codec draws no randomness). */
  readonly encryptKey?: number;
}

/** Header + body (encrypted when keys are given) + CRC, escaped and flagged: a frame for the wire. */
export function encodeFrame(h: FrameInput, message: Jt809MessageInput): Uint8Array {
  const body = encodeBody(message, h.edition);
  const encrypted = h.keys !== undefined;
  if (encrypted && h.encryptKey === undefined) throw new Jt809EncodeError('an encrypted frame needs an encryptKey');
  const head = encodeHeader({ ...h, messageId: messageIdOf[message.type] }, body.length, encrypted, h.encryptKey ?? 0);
  const raw = new Uint8Array(head.length + body.length + 2);
  raw.set(head, 0);
  raw.set(body, head.length);
  if (h.keys !== undefined) applyBodyCipher(raw, head.length, head.length + body.length, h.encryptKey ?? 0, h.keys);
  putU16(raw, raw.length - 2, crc16(raw, 0, raw.length - 2));
  return escapeFrame(raw);
}
