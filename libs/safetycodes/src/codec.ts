import type { Keyring } from './keyring.ts';
import type { CodeSubject } from './subject.ts';

/*
 * A code is base64url of: format (1) | key version | kind (1 product, 2 vehicle) | generation
 * (2 bytes, big-endian) | each id as length byte + UTF-8 | tag. The tag is the first 16 bytes
 * (128 bits) of HMAC-SHA256 over a domain label and everything before it, so a code cannot be
 * guessed, altered or made for another subject without the key. The ids inside are no secret
 * (the label is stuck on that product or that truck); holders must treat the code as opaque.
 */

const FORMAT = 1;
const TAG_BYTES = 16;
const HEADER_BYTES = 5;
const domainLabel = new TextEncoder().encode('dgt-safety-code\u0000');
const utf8 = new TextEncoder();
const utf8Strict = new TextDecoder('utf-8', { fatal: true });
/** Longer text is no code of ours; refusing it early keeps the work per scan small. */
export const MAX_CODE_LENGTH = 400;

const kindByte = { product: 1, vehicle: 2 } as const;

export class SafetyCodeError extends Error {
  override readonly name = 'SafetyCodeError';
}

function idsOf(subject: CodeSubject): readonly string[] {
  return subject.kind === 'product' ? [subject.firmId, subject.productId] : [subject.vehicleId];
}

function signed(mac: (m: Uint8Array) => Uint8Array, body: Uint8Array): Uint8Array {
  const message = new Uint8Array(domainLabel.length + body.length);
  message.set(domainLabel, 0);
  message.set(body, domainLabel.length);
  return mac(message).subarray(0, TAG_BYTES);
}

/** The code of `subject`, signed with the keyring's current key. Deterministic: the same subject and key give the same code. */
export function mintCode(subject: CodeSubject, keys: Keyring): string {
  if (
    !Number.isInteger(subject.generation) ||
    subject.generation < 1 ||
    subject.generation > 0xffff
  )
    throw new SafetyCodeError('generation must be an integer 1–65535');
  const ids = idsOf(subject).map((id) => utf8.encode(id));
  for (const id of ids)
    if (id.length === 0 || id.length > 255)
      throw new SafetyCodeError('each id must be 1–255 UTF-8 bytes');
  const body = new Uint8Array(HEADER_BYTES + ids.reduce((n, id) => n + 1 + id.length, 0));
  body[0] = FORMAT;
  body[1] = keys.current;
  body[2] = kindByte[subject.kind];
  body[3] = subject.generation >> 8;
  body[4] = subject.generation & 0xff;
  let at = HEADER_BYTES;
  for (const id of ids) {
    body[at++] = id.length;
    body.set(id, at);
    at += id.length;
  }
  const mac = keys.macs.get(keys.current);
  if (mac === undefined) throw new SafetyCodeError('the keyring has no current key');
  return Buffer.concat([body, signed(mac, body)]).toString('base64url');
}

/** Why a text is not a valid code. All of them are answered alike (not found) to whoever scans. */
export type CodeRefusal = 'malformed' | 'unknown_key' | 'bad_signature';

export type ReadCode =
  | { readonly ok: true; readonly subject: CodeSubject; readonly keyVersion: number }
  | { readonly ok: false; readonly reason: CodeRefusal };

/** Compares two tags in time that depends on their length only, so timing tells a forger nothing. */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

/**
 * Verifies a code and says what it stands for. Checks the tag before trusting any field (the
 * key version only selects the key to check with). Whether the subject exists or its code was
 * revoked is the caller's question (see `codeStatus`).
 */
export function readCode(code: string, keys: Keyring): ReadCode {
  if (code.length === 0 || code.length > MAX_CODE_LENGTH || !/^[A-Za-z0-9_-]+$/.test(code))
    return { ok: false, reason: 'malformed' };
  const bytes = new Uint8Array(Buffer.from(code, 'base64url'));
  // base64url decoding is lenient: a code must be the canonical spelling of its bytes.
  if (Buffer.from(bytes).toString('base64url') !== code) return { ok: false, reason: 'malformed' };
  if (bytes.length < HEADER_BYTES + 2 + TAG_BYTES || bytes[0] !== FORMAT)
    return { ok: false, reason: 'malformed' };
  const mac = keys.macs.get(bytes[1]!);
  if (mac === undefined) return { ok: false, reason: 'unknown_key' };
  const body = bytes.subarray(0, bytes.length - TAG_BYTES);
  if (!constantTimeEqual(signed(mac, body), bytes.subarray(bytes.length - TAG_BYTES)))
    return { ok: false, reason: 'bad_signature' };
  const ids: string[] = [];
  let at = HEADER_BYTES;
  while (at < body.length) {
    const length = body[at++]!;
    if (length === 0 || at + length > body.length) return { ok: false, reason: 'malformed' };
    try {
      ids.push(utf8Strict.decode(body.subarray(at, at + length)));
    } catch {
      return { ok: false, reason: 'malformed' };
    }
    at += length;
  }
  const generation = (body[3]! << 8) | body[4]!;
  if (body[2] === kindByte.product && ids.length === 2)
    return {
      ok: true,
      keyVersion: bytes[1]!,
      subject: { kind: 'product', firmId: ids[0]!, productId: ids[1]!, generation },
    };
  if (body[2] === kindByte.vehicle && ids.length === 1)
    return {
      ok: true,
      keyVersion: bytes[1]!,
      subject: { kind: 'vehicle', vehicleId: ids[0]!, generation },
    };
  return { ok: false, reason: 'malformed' };
}
