import type { PlatformAccountEntry } from '../src/index.ts';
import { passwordSha256 } from '../src/index.ts';

/** Keys of a link with encryption on (values from the standard's examples are as good as any). */
export const keys = { m1: 10_000_000, ia1: 20_000_000, ic1: 30_000_000 };

export function platformEntry(overrides: Partial<PlatformAccountEntry> & { password?: string } = {}): PlatformAccountEntry {
  const { password = 'pass1234', ...rest } = overrides;
  return {
    platformId: 'carrier-a',
    accessCode: 33010001,
    userId: 7001,
    passwordSha256: passwordSha256(password),
    allowedIps: ['127.0.0.1'],
    edition: '2019',
    carriers: ['C-A'],
    downLink: 'off',
    ...rest,
  };
}

export const T0 = Date.parse('2025-03-01T00:00:00Z');
