import { createHmac } from 'node:crypto';
import { keyring, MIN_SECRET_BYTES, type Keyring } from '@dgt/safetycodes';

/** The secrets safety codes are signed with, by key version; `current` signs new codes. */
export interface SafetyCodeSecrets {
  readonly current: number;
  readonly secrets: ReadonlyMap<number, Uint8Array>;
}

export class SafetyCodeKeyConfigError extends Error {
  override readonly name = 'SafetyCodeKeyConfigError';
}

function secretBytes(text: string, label: string): Uint8Array {
  const bytes =
    /^[0-9a-fA-F]+$/.test(text) && text.length % 2 === 0
      ? Buffer.from(text, 'hex')
      : /^[A-Za-z0-9+/_-]+={0,2}$/.test(text)
        ? Buffer.from(text, 'base64')
        : null;
  if (bytes === null)
    throw new SafetyCodeKeyConfigError(
      `${label}: must be hex or base64 (e.g. openssl rand -base64 32)`,
    );
  if (bytes.length < MIN_SECRET_BYTES)
    throw new SafetyCodeKeyConfigError(
      `${label}: must be at least ${MIN_SECRET_BYTES} bytes, got ${bytes.length}`,
    );
  return new Uint8Array(bytes);
}

/**
 * API_SAFETY_CODE_KEY: `<secret>` (key version 1), or `<version>:<secret>[,<version>:<secret>…]`
 * to rotate: the first entry signs new codes, the others still verify the codes printed with
 * them; dropping an entry retires every code of that version. Secrets are hex or base64, ≥ 32 bytes.
 * Empty or absent: null (the safety-code routes answer 503).
 */
export function parseSafetyCodeSecrets(text: string | undefined): SafetyCodeSecrets | null {
  if (text === undefined || text.trim() === '') return null;
  const entries = text.split(',').map((e) => e.trim());
  const secrets = new Map<number, Uint8Array>();
  let current: number | undefined;
  for (const [i, entry] of entries.entries()) {
    const m = /^(\d{1,3}):(.+)$/.exec(entry);
    if (m === null && entries.length > 1)
      throw new SafetyCodeKeyConfigError(
        `API_SAFETY_CODE_KEY[${i}]: with several keys each is <version>:<secret>`,
      );
    const version = m === null ? 1 : Number(m[1]);
    if (version < 1 || version > 255)
      throw new SafetyCodeKeyConfigError(`API_SAFETY_CODE_KEY[${i}]: key version must be 1–255`);
    if (secrets.has(version))
      throw new SafetyCodeKeyConfigError(
        `API_SAFETY_CODE_KEY[${i}]: key version ${version} given twice`,
      );
    secrets.set(version, secretBytes(m === null ? entry : m[2]!, `API_SAFETY_CODE_KEY[${i}]`));
    current ??= version;
  }
  return { current: current!, secrets };
}

/** The keyring of the configured secrets, each as HMAC-SHA256 from node:crypto (the pure library only gets the functions). */
export function safetyCodeKeyring(config: SafetyCodeSecrets): Keyring {
  return keyring(
    config.current,
    new Map(
      [...config.secrets].map(([version, secret]) => [
        version,
        (message: Uint8Array) =>
          new Uint8Array(createHmac('sha256', secret).update(message).digest()),
      ]),
    ),
  );
}
