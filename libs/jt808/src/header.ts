import { decodeBcd, encodeBcd } from './bcd.ts';
import { putU16, u16 } from './bytes.ts';
import { Jt808DecodeError, Jt808EncodeError } from './errors.ts';

export type ProtocolFlavour = '2013' | '2019';

export interface SubpacketInfo {
  /** Total number of sub-packages (≥ 1). */
  readonly total: number;
  /** 1-based index of this sub-package. */
  readonly index: number;
}

export interface Jt808Header {
  readonly messageId: number;
  readonly flavour: ProtocolFlavour;
  /** 2019 only: the protocol version byte (1 for the 2019 edition). */
  readonly protocolVersion: number | undefined;
  readonly bodyLength: number;
  /** Raw encryption bits 10–12 (0 = none, bit 10 = RSA). */
  readonly encryption: number;
  /** Terminal phone number as its full BCD digit string (12 digits in 2013, 20 in 2019). */
  readonly phone: string;
  readonly serial: number;
  readonly subpacket: SubpacketInfo | undefined;
  /** Bytes the header occupies (12/16 in 2013, 17/21 in 2019). */
  readonly size: number;
}

const BODY_LENGTH_MASK = 0x03ff;
const ENCRYPTION_SHIFT = 10;
const SUBPACKET_BIT = 1 << 13;
const VERSION_BIT = 1 << 14;

export const MAX_BODY_LENGTH = BODY_LENGTH_MASK;

/**
 * Reads the header at packet[offset] of an unescaped packet whose header + body end at `end`
 * (checksum excluded). Offsets instead of subarrays keep the hot path allocation-free.
 */
export function decodeHeader(packet: Uint8Array, offset = 0, end = packet.length): Jt808Header {
  if (offset + 4 > end) throw new Jt808DecodeError('truncated', `header needs 4 bytes, frame has ${Math.max(0, end - offset)}`);
  const messageId = u16(packet, offset);
  const props = u16(packet, offset + 2);
  const is2019 = (props & VERSION_BIT) !== 0;
  const hasSub = (props & SUBPACKET_BIT) !== 0;
  const phoneLength = is2019 ? 10 : 6;
  const base = is2019 ? 5 + phoneLength : 4 + phoneLength;
  const size = base + 2 + (hasSub ? 4 : 0);
  if (offset + size > end) throw new Jt808DecodeError('truncated', `${is2019 ? '2019' : '2013'} header needs ${size} bytes, frame has ${end - offset}`);
  const protocolVersion = is2019 ? packet[offset + 4]! : undefined;
  const phone = decodeBcd(packet, offset + (is2019 ? 5 : 4), phoneLength);
  const serial = u16(packet, offset + base);
  let subpacket: SubpacketInfo | undefined;
  if (hasSub) {
    const total = u16(packet, offset + base + 2);
    const index = u16(packet, offset + base + 4);
    if (total === 0 || index === 0 || index > total) {
      throw new Jt808DecodeError('bad-value', `sub-package ${index} of ${total} is out of range`);
    }
    subpacket = { total, index };
  }
  return {
    messageId,
    flavour: is2019 ? '2019' : '2013',
    protocolVersion,
    bodyLength: props & BODY_LENGTH_MASK,
    encryption: (props >> ENCRYPTION_SHIFT) & 0x07,
    phone,
    serial,
    subpacket,
    size,
  };
}

export interface HeaderInput {
  readonly messageId: number;
  readonly flavour: ProtocolFlavour;
  /** 2019 protocol version byte; defaults to 1. */
  readonly protocolVersion?: number;
  /** Digits; left-padded with zeros to 12 (2013) or 20 (2019) digits. */
  readonly phone: string;
  readonly serial: number;
  readonly subpacket?: SubpacketInfo;
}

function checkWord(name: string, v: number): void {
  if (!Number.isInteger(v) || v < 0 || v > 0xffff) throw new Jt808EncodeError(`${name} must be a WORD (0–65535), got ${v}`);
}

/** Header bytes for a body of `bodyLength` bytes (no encryption). */
export function encodeHeader(h: HeaderInput, bodyLength: number): Uint8Array {
  checkWord('messageId', h.messageId);
  checkWord('serial', h.serial);
  if (!Number.isInteger(bodyLength) || bodyLength < 0 || bodyLength > MAX_BODY_LENGTH) {
    throw new Jt808EncodeError(`body length ${bodyLength} exceeds ${MAX_BODY_LENGTH}: split it into sub-packages`);
  }
  const is2019 = h.flavour === '2019';
  const phone = encodeBcd(h.phone, is2019 ? 10 : 6);
  const base = is2019 ? 15 : 10;
  const out = new Uint8Array(base + 2 + (h.subpacket ? 4 : 0));
  let props = bodyLength;
  if (h.subpacket) props |= SUBPACKET_BIT;
  if (is2019) props |= VERSION_BIT;
  putU16(out, 0, h.messageId);
  putU16(out, 2, props);
  if (is2019) {
    const v = h.protocolVersion ?? 1;
    if (!Number.isInteger(v) || v < 0 || v > 0xff) throw new Jt808EncodeError(`protocolVersion must be a BYTE, got ${v}`);
    out[4] = v;
  }
  out.set(phone, is2019 ? 5 : 4);
  putU16(out, base, h.serial);
  if (h.subpacket) {
    const { total, index } = h.subpacket;
    checkWord('subpacket.total', total);
    checkWord('subpacket.index', index);
    if (total === 0 || index === 0 || index > total) throw new Jt808EncodeError(`sub-package ${index} of ${total} is out of range`);
    putU16(out, base + 2, total);
    putU16(out, base + 4, index);
  }
  return out;
}
