import type { FrameAddress } from '@dgt/jt808';
import { MessageId, encodeGbk, encodePacket } from '@dgt/jt808';

// Terminal-side frames the codec does not encode (it only needs to decode them).

/** GBK bytes of a text: the codec's encoder, re-exported for callers of this package. */
export { encodeGbk };

function ascii(text: string, width?: number): Uint8Array {
  const out = new Uint8Array(width ?? text.length);
  for (let i = 0; i < Math.min(text.length, out.length); i++) out[i] = text.charCodeAt(i) & 0x7f;
  return out;
}

function fixedWidth(text: string, width: number, field: string): Uint8Array {
  const bytes = encodeGbk(text);
  if (bytes.length > width) throw new RangeError(`${field} "${text}" is ${bytes.length} bytes; the field holds ${width}`);
  const out = new Uint8Array(width); // NUL-padded, as terminals do
  out.set(bytes);
  return out;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

function header(from: FrameAddress, messageId: number) {
  return { messageId, flavour: from.flavour, phone: from.phone, serial: from.serial, ...(from.protocolVersion === undefined ? {} : { protocolVersion: from.protocolVersion }) };
}

/** What a terminal states about itself and its vehicle in 0x0100. */
export interface TerminalIdentity {
  readonly manufacturerId: string;
  readonly terminalModel: string;
  readonly terminalId: string;
  readonly plateColour: number;
  /** Plate (GBK, e.g. 浙J·12345), or the VIN with plate colour 0. */
  readonly plate: string;
}

/** 0x0100 registration: province/city, then the identity at the edition's field widths (2013: 5/20/7, 2019: 11/30/30). */
export function encodeRegister(from: FrameAddress, identity: TerminalIdentity): Uint8Array {
  const w = from.flavour === '2019' ? { manufacturer: 11, model: 30, terminalId: 30 } : { manufacturer: 5, model: 20, terminalId: 7 };
  const head = Uint8Array.of(0x00, 0x21, 0x03, 0xe9); // Zhejiang (33), Taizhou (1001)
  const body = concat([
    head,
    fixedWidth(identity.manufacturerId, w.manufacturer, 'manufacturerId'),
    fixedWidth(identity.terminalModel, w.model, 'terminalModel'),
    fixedWidth(identity.terminalId, w.terminalId, 'terminalId'),
    Uint8Array.of(identity.plateColour),
    encodeGbk(identity.plate),
  ]);
  return encodePacket(header(from, MessageId.register), body);
}

/** 0x0102 authentication (2019 adds IMEI and software version). */
export function encodeAuthenticate(from: FrameAddress, authCode: string, imei = '860000000000000'): Uint8Array {
  const code = ascii(authCode);
  const body = from.flavour === '2019' ? concat([Uint8Array.of(code.length), code, ascii(imei, 15), ascii('dgt-sim-1.0', 20)]) : code;
  return encodePacket(header(from, MessageId.authenticate), body);
}

export function encodeHeartbeat(from: FrameAddress): Uint8Array {
  return encodePacket(header(from, MessageId.heartbeat), new Uint8Array(0));
}

export function encodeLogout(from: FrameAddress): Uint8Array {
  return encodePacket(header(from, MessageId.logout), new Uint8Array(0));
}
