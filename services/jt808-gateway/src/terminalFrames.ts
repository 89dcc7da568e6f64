import type { FrameAddress } from '@dgt/jt808';
import { MessageId, encodePacket } from '@dgt/jt808';

// Terminal-side frames the codec does not encode (it only needs to decode them). ASCII text
// fields only: the codec carries no GBK encoder, and a simulator needs none.

function ascii(text: string, width?: number): Uint8Array {
  const out = new Uint8Array(width ?? text.length);
  for (let i = 0; i < Math.min(text.length, out.length); i++) out[i] = text.charCodeAt(i) & 0x7f;
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

/** 0x0100 registration; `plate` is sent with colour 2 (yellow, as on hazmat trucks). */
export function encodeRegister(from: FrameAddress, terminal: { terminalId: string; plate: string }): Uint8Array {
  const w = from.flavour === '2019' ? { manufacturer: 11, model: 30, terminalId: 30 } : { manufacturer: 5, model: 20, terminalId: 7 };
  const head = Uint8Array.of(0x00, 0x21, 0x03, 0xe9); // Zhejiang (33), Taizhou (1001)
  const body = concat([head, ascii('DGTSM', w.manufacturer), ascii('DGT-SIM-808', w.model), ascii(terminal.terminalId, w.terminalId), Uint8Array.of(2), ascii(terminal.plate)]);
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
