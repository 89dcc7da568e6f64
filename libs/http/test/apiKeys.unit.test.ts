import { describe, expect, it } from 'vitest';
import { ApiKeyConfigError, generateApiKey, hashApiKey, keyLookup, parseApiKeys } from '../src/index.ts';

describe('API keys', () => {
  it('generates prefixed base64url keys carrying 32 random bytes', () => {
    const a = generateApiKey();
    const b = generateApiKey();
    expect(a).toMatch(/^dgt_[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(a.slice(4), 'base64url')).toHaveLength(32);
    expect(a).not.toBe(b);
  });

  it('hashes a key to the SHA-256 hex digest', () => {
    // SHA-256("abc") from FIPS 180-2, appendix B.1.
    expect(hashApiKey('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('parses a configuration and resolves keys to principals, carriers with their id', () => {
    const ingestKey = generateApiKey();
    const carrierKey = generateApiKey();
    const entries = parseApiKeys(
      JSON.stringify([
        { id: 'gw', role: 'ingest', sha256: hashApiKey(ingestKey).toUpperCase() },
        { id: 'acme', role: 'carrier:ACME-01', sha256: hashApiKey(carrierKey) },
      ]),
    );
    const lookup = keyLookup(entries);
    expect(lookup(ingestKey)).toEqual({ keyId: 'gw', role: 'ingest' });
    expect(lookup(carrierKey)).toEqual({ keyId: 'acme', role: 'carrier', carrierId: 'ACME-01' });
    expect(lookup(generateApiKey())).toBeUndefined();
    expect(lookup('')).toBeUndefined();
  });

  it('rejects invalid configurations with messages naming the entry and field', () => {
    const bad = JSON.stringify([
      { id: 'a', role: 'admin', sha256: hashApiKey('x') },
      { id: 'a', role: 'ingest', sha256: 'not-hex' },
    ]);
    expect(() => parseApiKeys(bad)).toThrow(ApiKeyConfigError);
    const message = (() => {
      try {
        parseApiKeys(bad);
        return '';
      } catch (error) {
        return (error as Error).message;
      }
    })();
    expect(message).toContain('[0.role]');
    expect(message).toContain('[1.sha256] must be the SHA-256 of the key as 64 hex characters');
    expect(message).toContain('[1.id] duplicate id "a"');
  });

  it('rejects non-JSON, empty lists and the same key configured twice', () => {
    expect(() => parseApiKeys('{nope')).toThrow(/not valid JSON/);
    expect(() => parseApiKeys('[]')).toThrow(/at least one key/);
    const h = hashApiKey('same');
    expect(() =>
      parseApiKeys(JSON.stringify([{ id: 'a', role: 'bureau', sha256: h }, { id: 'b', role: 'metrics', sha256: h }])),
    ).toThrow(/configured twice/);
  });
});
