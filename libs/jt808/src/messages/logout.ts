import { Jt808DecodeError } from '../errors.ts';

export interface LogoutMessage {
  readonly type: 'logout';
}

/** 0x0003: empty body. */
export function decodeLogout(body: Uint8Array): LogoutMessage {
  if (body.length !== 0) throw new Jt808DecodeError('length-mismatch', `logout body must be empty, has ${body.length} byte(s)`);
  return { type: 'logout' };
}
