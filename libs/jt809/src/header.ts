import { checkInt, need, putU16, putU32, putU64, u16, u32, u64 } from './bytes.ts';
import { Jt809DecodeError, Jt809EncodeError } from './errors.ts';

/** JT/T 809-2011 or -2019: the 2019 header adds an 8-byte UTC time; several bodies differ too. */
export type Edition = '2011' | '2019';

export interface Jt809Header {
  readonly edition: Edition;
  /** MSG_LENGTH: the whole frame, flags included, unescaped. */
  readonly length: number;
  /** MSG_SN: the sender's own counter. */
  readonly serial: number;
  readonly messageId: number;
  /** MSG_GNSSCENTERID: the subordinate platform's access code (接入码). */
  readonly centreId: number;
  /** VERSION_FLAG as `major.minor.patch`. Not an edition marker: 2019 frames in the wild say 1.0.0 as well as 1.2.15. */
  readonly version: string;
  /** ENCRYPT_FLAG: the body is encrypted with the link's M1/IA1/IC1 and `encryptKey`. */
  readonly encrypted: boolean;
  readonly encryptKey: number;
  /** 2019 only: the sender's UTC time, seconds since 1970. */
  readonly timeSeconds: number | undefined;
  /** Bytes the header occupies: 22 (2011) or 30 (2019). */
  readonly size: number;
}

export const HEADER_SIZE: Readonly<Record<Edition, number>> = { '2011': 22, '2019': 30 };
/** Flags (2) and CRC (2) around header and body. */
export const FRAME_OVERHEAD = 4;

// VERSION_FLAG text of the last header read: a link sends the same version in every frame.
let lastVersion = -1;
let lastVersionText = '';

function versionText(packet: Uint8Array): string {
  const v = (packet[14]! << 16) | (packet[15]! << 8) | packet[16]!;
  if (v !== lastVersion) {
    lastVersionText = `${packet[14]}.${packet[15]}.${packet[16]}`;
    lastVersion = v;
  }
  return lastVersionText;
}

/** The header at packet[0] of an unescaped packet (flags excluded) whose header + body end at `end`. */
export function decodeHeader(packet: Uint8Array, edition: Edition, end: number): Jt809Header {
  const size = HEADER_SIZE[edition];
  if (size > end) need(packet, 0, size, end, `${edition} header`);
  const flag = packet[17]!;
  if (flag > 1) throw new Jt809DecodeError('bad-value', `encrypt flag ${flag} is neither 0 nor 1`);
  return {
    edition,
    length: u32(packet, 0),
    serial: u32(packet, 4),
    messageId: u16(packet, 8),
    centreId: u32(packet, 10),
    version: versionText(packet),
    encrypted: flag === 1,
    encryptKey: u32(packet, 18),
    timeSeconds: edition === '2019' ? u64(packet, 22) : undefined,
    size,
  };
}

/** The access code of a frame before its edition is known (same offset in both): finds the link's configuration. */
export function peekCentreId(packet: Uint8Array): number | undefined {
  return packet.length >= 14 ? u32(packet, 10) : undefined;
}

export interface HeaderInput {
  readonly edition: Edition;
  readonly serial: number;
  readonly messageId: number;
  readonly centreId: number;
  /** Default 1.0.0 (2011) / 1.2.15 (2019). */
  readonly version?: readonly [number, number, number];
  /** 2019: the sender's UTC seconds (required: the codec reads no clock). */
  readonly timeSeconds?: number;
}

const DEFAULT_VERSION: Readonly<Record<Edition, readonly [number, number, number]>> = { '2011': [1, 0, 0], '2019': [1, 2, 15] };

/** Header bytes for a body of `bodyLength` bytes. */
export function encodeHeader(h: HeaderInput, bodyLength: number, encrypted: boolean, encryptKey: number): Uint8Array {
  const size = HEADER_SIZE[h.edition];
  const out = new Uint8Array(size);
  putU32(out, 0, checkInt('frame length', 1 + size + bodyLength + 3, 0xffffffff));
  putU32(out, 4, checkInt('serial', h.serial, 0xffffffff));
  putU16(out, 8, checkInt('messageId', h.messageId, 0xffff));
  putU32(out, 10, checkInt('centreId', h.centreId, 0xffffffff));
  const v = h.version ?? DEFAULT_VERSION[h.edition];
  for (let i = 0; i < 3; i++) out[14 + i] = checkInt('version', v[i]!, 0xff);
  out[17] = encrypted ? 1 : 0;
  putU32(out, 18, checkInt('encryptKey', encryptKey, 0xffffffff));
  if (h.edition === '2019') {
    if (h.timeSeconds === undefined) throw new Jt809EncodeError('a 2019 header needs timeSeconds (the sender\'s UTC time)');
    putU64(out, 22, checkInt('timeSeconds', h.timeSeconds, Number.MAX_SAFE_INTEGER));
  }
  return out;
}
