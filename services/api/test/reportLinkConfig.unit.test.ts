import { describe, expect, it } from 'vitest';
import { ApiConfigError, readApiConfig } from '../src/env.ts';

const base = { DGT_API_KEYS: JSON.stringify([{ id: 'k', role: 'bureau', sha256: 'a'.repeat(64) }]) };

describe('API_REPORT_LINK_SECRET and API_REPORT_LINK_TTL_S', () => {
  it('reads a secret of at least 32 bytes as hex or base64, and the lifetime of a link (default 15 min)', () => {
    const hex = readApiConfig({ ...base, API_REPORT_LINK_SECRET: 'ab'.repeat(32), API_REPORT_LINK_TTL_S: '60' });
    expect(hex.reportLinks).toEqual({ secret: new Uint8Array(32).fill(0xab), ttlMs: 60_000 });
    const b64 = readApiConfig({ ...base, API_REPORT_LINK_SECRET: Buffer.alloc(48, 1).toString('base64') });
    expect(b64.reportLinks?.secret?.length).toBe(48);
    expect(b64.reportLinks?.ttlMs).toBe(900_000);
    expect(readApiConfig(base).reportLinks?.secret).toBeNull();
  });

  it('refuses a short secret, one that is neither hex nor base64, and a lifetime out of range, naming the setting', () => {
    expect(() => readApiConfig({ ...base, API_REPORT_LINK_SECRET: 'ab'.repeat(16) })).toThrow(/API_REPORT_LINK_SECRET: must be at least 32 bytes, got 16/);
    expect(() => readApiConfig({ ...base, API_REPORT_LINK_SECRET: 'not a secret!' })).toThrow(ApiConfigError);
    expect(() => readApiConfig({ ...base, API_REPORT_LINK_TTL_S: '5' })).toThrow(/API_REPORT_LINK_TTL_S/);
  });
});
