/**
 * The standard's "simple encryption" of message bodies (JT/T 809 §5.x, both editions): a linear
 * congruential key stream seeded by the header's ENCRYPT_KEY, with the link's M1, IA1 and IC1:
 *   key = IA1 × (key mod M1) + IC1;  byte ^= (key >> 20) & 0xFF
 * in unsigned 32-bit arithmetic, as in the standard's C reference (a 0 key or M1 counts as 1).
 * SmallChi/JT809 computes the same (C# uint, unchecked); tucke/java-jtt809-2011 keeps `key` in a
 * Java long, so its stream differs from the standard's as soon as a product exceeds 2^32.
 * It obfuscates; it is not security. Encrypting and decrypting are the same operation.
 */
export interface CipherKeys {
  readonly m1: number;
  readonly ia1: number;
  readonly ic1: number;
}

/** XORs bytes[start, end) in place with the key stream of `key`. */
export function applyBodyCipher(bytes: Uint8Array, start: number, end: number, key: number, keys: CipherKeys): void {
  let k = key >>> 0 || 1;
  const m1 = keys.m1 >>> 0 || 1;
  const ia1 = keys.ia1 >>> 0;
  const ic1 = keys.ic1 >>> 0;
  for (let i = start; i < end; i++) {
    k = (Math.imul(ia1, k % m1) + ic1) >>> 0;
    bytes[i] = bytes[i]! ^ ((k >>> 20) & 0xff);
  }
}
