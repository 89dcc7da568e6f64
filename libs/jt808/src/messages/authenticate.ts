import { need } from '../bytes.ts';
import type { ProtocolFlavour } from '../header.ts';
import { decodeGbk } from '../text.ts';
import { Jt808DecodeError } from '../errors.ts';

export interface AuthenticateMessage {
  readonly type: 'authenticate';
  readonly authCode: string;
  /** 2019 only. */
  readonly imei: string | undefined;
  /** 2019 only. */
  readonly softwareVersion: string | undefined;
}

const IMEI_LENGTH = 15;
const SOFTWARE_VERSION_LENGTH = 20;

/** 0x0102: 2013 = the auth code is the whole body; 2019 = BYTE length + code + IMEI[15] + version[20]. */
export function decodeAuthenticate(body: Uint8Array, flavour: ProtocolFlavour): AuthenticateMessage {
  if (flavour === '2013') {
    return { type: 'authenticate', authCode: decodeGbk(body, 0, body.length), imei: undefined, softwareVersion: undefined };
  }
  need(body, 0, 1, 'auth code length');
  const n = body[0]!;
  const expected = 1 + n + IMEI_LENGTH + SOFTWARE_VERSION_LENGTH;
  need(body, 0, expected, 'authenticate body');
  if (body.length !== expected) {
    throw new Jt808DecodeError('length-mismatch', `2019 authenticate body should be ${expected} bytes, is ${body.length}`);
  }
  const imeiAt = 1 + n;
  return {
    type: 'authenticate',
    authCode: decodeGbk(body, 1, imeiAt),
    imei: decodeGbk(body, imeiAt, imeiAt + IMEI_LENGTH),
    softwareVersion: decodeGbk(body, imeiAt + IMEI_LENGTH, expected),
  };
}
