import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * A fresh auth code for one registration: 16 random bytes as base64url (22 printable ASCII
 * characters, which every terminal can store and the 0x8100 reply can carry without GBK).
 */
export function issueAuthCode(): string {
  return randomBytes(16).toString('base64url');
}

/**
 * What the state store keeps instead of the code. A plain SHA-256 suffices: the code is 128
 * random bits, so there is no dictionary to try, and the hash only has to make a copied state
 * file useless for authenticating.
 */
export function hashAuthCode(code: string): string {
  return createHash('sha256').update(code, 'utf8').digest('hex');
}

/** Constant-time comparison of a presented code with a stored hash. */
export function authCodeMatches(storedSha256: string, presented: string): boolean {
  const a = Buffer.from(storedSha256, 'hex');
  const b = Buffer.from(hashAuthCode(presented), 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}
