import type { GeneralAckMessage, Jt808Header, RegisterAckMessage } from '@dgt/jt808';
import { MessageId, decodeBody, decodeGbk, parsePacket } from '@dgt/jt808';

/** JT/T 808 0x8300: platform text message (flags BYTE, then GBK text). */
export const TEXT_MESSAGE_ID = 0x8300;

/** What a terminal does with one frame from the platform. */
export type PlatformFrame =
  /** The platform's reply to one of the terminal's requests (0x8001, 0x8100). */
  | { readonly kind: 'reply'; readonly reply: GeneralAckMessage | RegisterAckMessage }
  /**
   * A platform message the terminal answers with 0x0001 (its serial and id). `text` is set for
   * 0x8300 when its body reads as flags + GBK text; the answer never depends on it.
   */
  | { readonly kind: 'command'; readonly header: Jt808Header; readonly text: string | undefined }
  /** Not a platform frame (a terminal id), or not a frame at all: nothing to answer. */
  | { readonly kind: 'ignored'; readonly reason: string };

/**
 * Classifies one frame (as the splitter cut it) the way a terminal must: replies are matched to
 * requests, and every other platform message is acknowledged from its header alone — the id and
 * serial are all a 0x0001 needs, so a command whose body the codec cannot decode (0x8300 today,
 * anything newer tomorrow) is still answered, and the platform does not re-send it.
 */
export function platformFrame(frame: Uint8Array): PlatformFrame {
  let header: Jt808Header;
  let body: Uint8Array;
  try {
    ({ header, body } = parsePacket(frame));
  } catch (error) {
    return { kind: 'ignored', reason: (error as Error).message };
  }
  if (header.messageId === MessageId.generalAck || header.messageId === MessageId.registerAck) {
    try {
      const reply = decodeBody(header, body);
      if (reply.type === 'general-ack' || reply.type === 'register-ack') return { kind: 'reply', reply };
    } catch (error) {
      return { kind: 'ignored', reason: (error as Error).message };
    }
  }
  // Platform messages are 0x8xxx; a terminal's own ids (0x0xxx) echoed back are not commands.
  if ((header.messageId & 0x8000) === 0) return { kind: 'ignored', reason: `0x${header.messageId.toString(16).padStart(4, '0')} is not a platform message` };
  return { kind: 'command', header, text: header.messageId === TEXT_MESSAGE_ID ? textOf(body) : undefined };
}

function textOf(body: Uint8Array): string | undefined {
  if (body.length < 1) return undefined;
  try {
    return decodeGbk(body, 1, body.length);
  } catch {
    return undefined;
  }
}
