import { Jt808DecodeError, Jt808EncodeError } from '../errors.ts';
import type { HeaderInput, Jt808Header, ProtocolFlavour } from '../header.ts';
import { MAX_BODY_LENGTH } from '../header.ts';
import { MessageId } from '../messageIds.ts';
import { encodePacket, parsePacket } from '../packet.ts';
import { decodeGbk, encodeGbk } from '../text.ts';

/**
 * 0x8300 文本信息下发 flag bits. Bit 4 (advertising screen) and bit 5 (0 = centre navigation
 * information, 1 = CAN fault code) are 2013 meanings that some 2019 terminals ignore; bits 1, 6
 * and 7 are reserved and passed through on decode.
 */
export const TextFlag = { emergency: 0x01, display: 0x04, tts: 0x08, advertisingScreen: 0x10, canFaultCode: 0x20 } as const;

/** 2019 only: the byte after the flags. */
export const TextType = { notice: 1, service: 2 } as const;
export type TextType = (typeof TextType)[keyof typeof TextType];

export interface TextMessageInput {
  /** GBK-encodable text; its bytes must fit the body (see `maxTextBytes`). */
  readonly text: string;
  readonly emergency?: boolean;
  /** Show on the terminal's display. */
  readonly display?: boolean;
  /** Read aloud by the terminal's TTS. */
  readonly tts?: boolean;
  readonly advertisingScreen?: boolean;
  readonly canFaultCode?: boolean;
  /** 2019 bodies only (default 1 notice); refused for a 2013 body, which has no such byte. */
  readonly textType?: TextType;
}

export interface TextMessage {
  readonly type: 'text-message';
  /** The flags byte as sent, reserved bits included. */
  readonly flags: number;
  readonly emergency: boolean;
  readonly display: boolean;
  readonly tts: boolean;
  readonly advertisingScreen: boolean;
  readonly canFaultCode: boolean;
  /** 2019: 1 notice, 2 service (other values passed through); undefined in a 2013 body. */
  readonly textType: number | undefined;
  readonly text: string;
}

/** Bytes before the text: the flags, plus the text type in 2019. */
function prefixLength(flavour: ProtocolFlavour): number {
  return flavour === '2019' ? 2 : 1;
}

/**
 * Most GBK bytes of text one 0x8300 carries. The body length field has 10 bits (1023 bytes) and
 * the gateway does not split a text into sub-packages, so a longer text must be refused, not cut.
 */
export function maxTextBytes(flavour: ProtocolFlavour): number {
  return MAX_BODY_LENGTH - prefixLength(flavour);
}

function flagsOf(input: TextMessageInput): number {
  let flags = 0;
  if (input.emergency === true) flags |= TextFlag.emergency;
  if (input.display === true) flags |= TextFlag.display;
  if (input.tts === true) flags |= TextFlag.tts;
  if (input.advertisingScreen === true) flags |= TextFlag.advertisingScreen;
  if (input.canFaultCode === true) flags |= TextFlag.canFaultCode;
  return flags;
}

/** 0x8300 body: flags BYTE, (2019) text type BYTE, then the GBK text up to the end of the body. */
export function encodeTextMessageBody(input: TextMessageInput, flavour: ProtocolFlavour): Uint8Array {
  if (input.text.length === 0) throw new Jt808EncodeError('text: must not be empty');
  if (flavour === '2013' && input.textType !== undefined) throw new Jt808EncodeError('textType: a 2013 0x8300 body has no text type (2019 only)');
  const textType = input.textType ?? TextType.notice;
  if (flavour === '2019' && textType !== TextType.notice && textType !== TextType.service) throw new Jt808EncodeError(`textType: must be 1 (notice) or 2 (service), got ${String(textType)}`);
  let text: Uint8Array;
  try {
    text = encodeGbk(input.text);
  } catch (e) {
    throw new Jt808EncodeError(`text: ${(e as Error).message}`, { cause: e });
  }
  // A NUL would end the text early on terminals that treat it as a C string, and decodeGbk drops trailing ones.
  if (text.includes(0)) throw new Jt808EncodeError('text: must not contain NUL characters');
  const max = maxTextBytes(flavour);
  if (text.length > max) throw new Jt808EncodeError(`text: is ${text.length} GBK bytes; a ${flavour} 0x8300 body holds at most ${max}`);
  const prefix = prefixLength(flavour);
  const body = new Uint8Array(prefix + text.length);
  body[0] = flagsOf(input);
  if (flavour === '2019') body[1] = textType;
  body.set(text, prefix);
  return body;
}

/** 0x8300 body as a terminal reads it (simulated terminals, tests). */
export function decodeTextMessageBody(body: Uint8Array, flavour: ProtocolFlavour): TextMessage {
  const prefix = prefixLength(flavour);
  if (body.length < prefix) throw new Jt808DecodeError('truncated', `text message body: need ${prefix} byte(s) before the text, have ${body.length}`);
  const flags = body[0]!;
  return {
    type: 'text-message',
    flags,
    emergency: (flags & TextFlag.emergency) !== 0,
    display: (flags & TextFlag.display) !== 0,
    tts: (flags & TextFlag.tts) !== 0,
    advertisingScreen: (flags & TextFlag.advertisingScreen) !== 0,
    canFaultCode: (flags & TextFlag.canFaultCode) !== 0,
    textType: flavour === '2019' ? body[1]! : undefined,
    text: decodeGbk(body, prefix, body.length),
  };
}

/** Header fields of an outgoing 0x8300 (the same shape as `FrameAddress`). */
export interface TextMessageAddress {
  readonly flavour: ProtocolFlavour;
  readonly phone: string;
  readonly serial: number;
  readonly protocolVersion?: number;
}

/** 0x8300 frame, escaped and flagged; the terminal answers it with a 0x0001 naming `serial` and 0x8300. */
export function encodeTextMessage(to: TextMessageAddress, input: TextMessageInput): Uint8Array {
  const header: HeaderInput = { messageId: MessageId.textMessage, flavour: to.flavour, phone: to.phone, serial: to.serial, ...(to.protocolVersion === undefined ? {} : { protocolVersion: to.protocolVersion }) };
  return encodePacket(header, encodeTextMessageBody(input, to.flavour));
}

/**
 * A terminal's reading of one 0x8300 frame (flags optional). Throws Jt808DecodeError for a bad
 * frame or another message id. A separate entry point rather than a case of `decodeFrame`, which
 * decodes what a platform receives plus its own acks.
 */
export function decodeTextMessageFrame(frame: Uint8Array): { readonly header: Jt808Header; readonly message: TextMessage } {
  const { header, body } = parsePacket(frame);
  if (header.messageId !== MessageId.textMessage) {
    throw new Jt808DecodeError('unknown-message', `expected a 0x8300 text message, got 0x${header.messageId.toString(16).padStart(4, '0')}`, header);
  }
  if (header.subpacket !== undefined) throw new Jt808DecodeError('bad-value', 'a 0x8300 text message is never sub-packaged', header);
  try {
    return { header, message: decodeTextMessageBody(body, header.flavour) };
  } catch (e) {
    if (e instanceof Jt808DecodeError && e.header === undefined) throw new Jt808DecodeError(e.kind, e.detail, header);
    throw e;
  }
}
