/**
 * HMAC-SHA256 of a message under one secret key. Injected so this package stays pure: the API
 * builds it from `node:crypto` with the configured secret; tests may do the same with a fixed one.
 */
export type Mac = (message: Uint8Array) => Uint8Array;

/**
 * The keys codes are signed with, by version (1–255). New codes are signed with `current`; codes
 * of any version still in `macs` verify. Rotating: add a new version and make it current; dropping
 * an old version retires every code signed with it at once (one revocation event retires one code).
 */
export interface Keyring {
  readonly current: number;
  readonly macs: ReadonlyMap<number, Mac>;
}

export class SafetyCodeKeyError extends Error {
  override readonly name = 'SafetyCodeKeyError';
}

/** Checks a keyring once, where it is built, so minting never meets a missing key. */
export function keyring(current: number, macs: ReadonlyMap<number, Mac>): Keyring {
  for (const version of macs.keys()) {
    if (!Number.isInteger(version) || version < 1 || version > 255)
      throw new SafetyCodeKeyError(`key version ${version} must be an integer 1–255`);
  }
  if (!macs.has(current))
    throw new SafetyCodeKeyError(`the current key version ${current} has no key`);
  return { current, macs };
}

/** Secrets shorter than this are refused: a guessable key would let anyone mint codes. */
export const MIN_SECRET_BYTES = 32;
