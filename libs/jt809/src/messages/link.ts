import { checkInt, need, putText, putU16, putU32, text, u16, u32 } from '../bytes.ts';
import { Jt809DecodeError } from '../errors.ts';
import type { Edition } from '../header.ts';

/** 0x1001: the subordinate's credentials and where its down-link server listens. */
export interface LoginRequest {
  readonly type: 'login-request';
  readonly userId: number;
  /** 8 bytes on the wire, in clear text (the link is plain TCP): the gateway keeps only a hash. */
  readonly password: string;
  /** 2019 only: the platform's access code, repeated in the body (2011 has it in the header only). */
  readonly accessCode: number | undefined;
  readonly downLinkIp: string;
  readonly downLinkPort: number;
}

export interface LoginResponse {
  readonly type: 'login-response';
  /** `LoginResult`. */
  readonly result: number;
  /** What the superior presents in 0x9001 when it opens the down link. */
  readonly verifyCode: number;
}

/** 0x1003: logout with the same credentials. */
export interface LogoutRequest {
  readonly type: 'logout-request';
  readonly userId: number;
  readonly password: string;
}

/** Messages without a body. */
export interface EmptyMessage {
  readonly type: 'logout-response' | 'heartbeat' | 'heartbeat-response' | 'down-heartbeat' | 'down-heartbeat-response';
}

/** 0x1007 (error code), 0x9007 (reason), 0x9008 (reason): one byte each. */
export interface LinkNotice {
  readonly type: 'main-link-broken' | 'down-link-broken' | 'close-link';
  readonly code: number;
}

export interface DownLoginRequest {
  readonly type: 'down-login-request';
  readonly verifyCode: number;
}

export interface DownLoginResponse {
  readonly type: 'down-login-response';
  /** `DownLoginResult`. */
  readonly result: number;
}

export type LinkMessage = LoginRequest | LoginResponse | LogoutRequest | EmptyMessage | LinkNotice | DownLoginRequest | DownLoginResponse;

const LOGIN_BYTES: Readonly<Record<Edition, number>> = { '2011': 46, '2019': 50 };

function exactly(what: string, expected: number, actual: number): void {
  if (actual !== expected) throw new Jt809DecodeError(actual < expected ? 'truncated' : 'length-mismatch', `${what} needs ${expected} bytes, has ${actual}`);
}

export function decodeLoginRequest(b: Uint8Array, start: number, end: number, edition: Edition): LoginRequest {
  exactly(`0x1001 (${edition})`, LOGIN_BYTES[edition], end - start);
  const ip = edition === '2019' ? start + 16 : start + 12;
  return {
    type: 'login-request',
    userId: u32(b, start),
    password: text(b, start + 4, 8),
    accessCode: edition === '2019' ? u32(b, start + 12) : undefined,
    downLinkIp: text(b, ip, 32),
    downLinkPort: u16(b, ip + 32),
  };
}

export function encodeLoginRequest(m: LoginRequest, edition: Edition): Uint8Array {
  const out = new Uint8Array(LOGIN_BYTES[edition]);
  putU32(out, 0, checkInt('userId', m.userId, 0xffffffff));
  putText(out, 4, 8, m.password, 'password');
  let ip = 12;
  if (edition === '2019') {
    putU32(out, 12, checkInt('accessCode', m.accessCode ?? 0, 0xffffffff));
    ip = 16;
  }
  putText(out, ip, 32, m.downLinkIp, 'downLinkIp');
  putU16(out, ip + 32, checkInt('downLinkPort', m.downLinkPort, 0xffff));
  return out;
}

export function decodeLoginResponse(b: Uint8Array, start: number, end: number): LoginResponse {
  exactly('0x1002', 5, end - start);
  return { type: 'login-response', result: b[start]!, verifyCode: u32(b, start + 1) };
}

export function encodeLoginResponse(m: LoginResponse): Uint8Array {
  const out = new Uint8Array(5);
  out[0] = checkInt('result', m.result, 0xff);
  putU32(out, 1, checkInt('verifyCode', m.verifyCode, 0xffffffff));
  return out;
}

/**
 * 0x1003: USERID and PASSWORD (12 bytes). Longer bodies are read for their first 12 bytes: one
 * public implementation (zboyco/jtt809) sends its 50-byte login layout here, and a logout is
 * worth honouring whatever else it carries.
 */
export function decodeLogoutRequest(b: Uint8Array, start: number, end: number): LogoutRequest {
  need(b, start, 12, end, '0x1003');
  return { type: 'logout-request', userId: u32(b, start), password: text(b, start + 4, 8) };
}

export function encodeLogoutRequest(m: LogoutRequest): Uint8Array {
  const out = new Uint8Array(12);
  putU32(out, 0, checkInt('userId', m.userId, 0xffffffff));
  putText(out, 4, 8, m.password, 'password');
  return out;
}

export function decodeEmpty(type: EmptyMessage['type'], id: number, start: number, end: number): EmptyMessage {
  exactly(`0x${id.toString(16)}`, 0, end - start);
  return { type };
}

export function decodeNotice(type: LinkNotice['type'], id: number, b: Uint8Array, start: number, end: number): LinkNotice {
  exactly(`0x${id.toString(16)}`, 1, end - start);
  return { type, code: b[start]! };
}

export function decodeDownLoginRequest(b: Uint8Array, start: number, end: number): DownLoginRequest {
  exactly('0x9001', 4, end - start);
  return { type: 'down-login-request', verifyCode: u32(b, start) };
}

export function decodeDownLoginResponse(b: Uint8Array, start: number, end: number): DownLoginResponse {
  exactly('0x9002', 1, end - start);
  return { type: 'down-login-response', result: b[start]! };
}

export function encodeU8(name: string, v: number): Uint8Array {
  return Uint8Array.of(checkInt(name, v, 0xff));
}

export function encodeU32(name: string, v: number): Uint8Array {
  const out = new Uint8Array(4);
  putU32(out, 0, checkInt(name, v, 0xffffffff));
  return out;
}
