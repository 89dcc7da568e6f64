import type { CipherKeys, DecodedFrame, Edition, Jt809DecodeError } from '@dgt/jt809';
import { decodeFrame, escapeFrame, peekCentreId, unescapeFrame } from '@dgt/jt809';

export interface LinkCodec {
  readonly edition: Edition;
  readonly keys: CipherKeys | undefined;
  /** The platform's unescaped-frame policy (`acceptUnescaped`). */
  readonly acceptUnescaped: boolean;
}

export type ReadOutcome =
  | { readonly ok: true; readonly frame: DecodedFrame; readonly unescaped: boolean }
  | { readonly ok: false; readonly error: Jt809DecodeError; readonly unescaped: boolean };

/**
 * One frame (the bytes between 0x5B and 0x5D) with a platform's unescaped-frame policy.
 *
 * JT/T 809 §4.4.5 escapes 0x5A and 0x5E inside a frame; some links — national supervision links
 * among them — send them raw, and the codec refuses such a frame (`bad-escape`) rather than
 * guess. By default so does the gateway: refused, counted per platform
 * (dgt_jt809_unescaped_frames_total{outcome="refused"}) and, like any undecodable frame, towards
 * closing the connection as garbage. A platform configured with `acceptUnescaped` gets a second
 * reading of such a frame, its bytes taken literally: it is accepted only when MSG_LENGTH and the
 * CRC then agree, which a frame damaged in transit practically never does. (0x5B and 0x5D cannot
 * be repaired: they already cut the stream.)
 */
export function readFrame(bytes: Uint8Array, codec: LinkCodec): ReadOutcome {
  const first = decodeFrame(bytes, codec);
  if (first.ok) return { ok: true, frame: first.value, unescaped: false };
  if (first.error.kind !== 'bad-escape') return { ok: false, error: first.error, unescaped: false };
  if (!codec.acceptUnescaped) return { ok: false, error: first.error, unescaped: true };
  const literal = decodeFrame(escapeFrame(bytes), codec);
  return literal.ok ? { ok: true, frame: literal.value, unescaped: true } : { ok: false, error: first.error, unescaped: true };
}

/** The access code (MSG_GNSSCENTERID) of a frame before its platform — and so its edition — is known. */
export function peekAccessCode(bytes: Uint8Array): number | undefined {
  let packet: Uint8Array;
  try {
    packet = unescapeFrame(bytes);
  } catch {
    // An unescaped frame: its header is read as sent.
    packet = bytes;
  }
  return peekCentreId(packet);
}

/** MSG_LENGTH of a 0x1001 in each edition (flags + header + 46 / 50-byte body + CRC). */
const LOGIN_FRAME_LENGTH: Readonly<Record<number, Edition>> = { 72: '2011', 84: '2019' };

/** The edition of a login from a platform nobody configured, to refuse it in its own edition. */
export function guessLoginEdition(bytes: Uint8Array): Edition {
  let packet: Uint8Array;
  try {
    packet = unescapeFrame(bytes);
  } catch {
    packet = bytes;
  }
  if (packet.length < 4) return '2011';
  const length = ((packet[0]! << 24) | (packet[1]! << 16) | (packet[2]! << 8) | packet[3]!) >>> 0;
  return LOGIN_FRAME_LENGTH[length] ?? '2011';
}
