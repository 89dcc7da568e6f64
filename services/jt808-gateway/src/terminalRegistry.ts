import { createHmac, timingSafeEqual } from 'node:crypto';
import type { TerminalEntry } from './gatewayConfig.ts';

export interface KnownTerminal {
  /** Phone digits without leading zeros: the same terminal in 2013 (12 digits) and 2019 (20 digits) headers. */
  readonly phone: string;
  readonly plate: string;
  readonly authCode: string;
}

export interface TerminalRegistry {
  lookup(phone: string): KnownTerminal | undefined;
  /** Constant-time comparison of a presented auth code. */
  checkAuthCode(terminal: KnownTerminal, presented: string): boolean;
  readonly size: number;
}

export type TerminalRegistryErrorCode = 'BAD_PHONE' | 'DUPLICATE_PHONE' | 'NO_AUTH_CODE' | 'BAD_AUTH_CODE';

export class TerminalRegistryError extends Error {
  override readonly name = 'TerminalRegistryError';
  constructor(
    readonly code: TerminalRegistryErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** Header phones are BCD padded with zeros to 12 or 20 digits; compare without the padding. */
export function normalizePhone(digits: string): string {
  const stripped = digits.replace(/^0+/, '');
  return stripped === '' ? '0' : stripped;
}

/** Deterministic per-terminal code, so no code table has to be stored: HMAC-SHA256(secret, phone), 16 hex chars. */
export function deriveAuthCode(secret: string, phone: string): string {
  return createHmac('sha256', secret).update(normalizePhone(phone)).digest('hex').slice(0, 16);
}

export function createTerminalRegistry(options: { terminals: readonly TerminalEntry[]; authSecret?: string | undefined }): TerminalRegistry {
  const byPhone = new Map<string, KnownTerminal>();
  for (const t of options.terminals) {
    if (!/^\d{1,20}$/.test(t.phone)) throw new TerminalRegistryError('BAD_PHONE', `terminal phone "${t.phone}" must be 1–20 digits`);
    const phone = normalizePhone(t.phone);
    if (byPhone.has(phone)) throw new TerminalRegistryError('DUPLICATE_PHONE', `terminal phone ${t.phone} is configured twice`);
    let authCode = t.authCode;
    if (authCode === undefined) {
      if (options.authSecret === undefined || options.authSecret === '') {
        throw new TerminalRegistryError('NO_AUTH_CODE', `terminal ${t.phone} has no authCode and no auth secret is configured to derive one`);
      }
      authCode = deriveAuthCode(options.authSecret, phone);
    }
    // The 0x8100 reply carries the code as ASCII (the codec has no GBK encoder).
    if (!/^[\x20-\x7e]{1,64}$/.test(authCode)) throw new TerminalRegistryError('BAD_AUTH_CODE', `terminal ${t.phone}: authCode must be 1–64 printable ASCII characters`);
    byPhone.set(phone, { phone, plate: t.plate, authCode });
  }
  return {
    size: byPhone.size,
    lookup: (phone) => byPhone.get(normalizePhone(phone)),
    checkAuthCode: (terminal, presented) => {
      const a = Buffer.from(terminal.authCode);
      const b = Buffer.from(presented);
      return a.length === b.length && timingSafeEqual(a, b);
    },
  };
}
