import { describe, expect, it } from 'vitest';
import { generateApiKey, hashApiKey, isAllowed, keyLookup, parseApiKeys, roleProblem } from '../src/index.ts';

describe('roles: registry and carrier-scoped ingest keys', () => {
  it('resolves ingest:<carrierId> to an ingest principal confined to that carrier, and registry to its own role', () => {
    const scoped = generateApiKey();
    const registry = generateApiKey();
    const lookup = keyLookup(
      parseApiKeys(
        JSON.stringify([
          { id: 'c001-gateway', role: 'ingest:C001', sha256: hashApiKey(scoped) },
          { id: 'bureau-register', role: 'registry', sha256: hashApiKey(registry) },
        ]),
      ),
    );
    expect(lookup(scoped)).toEqual({ keyId: 'c001-gateway', role: 'ingest', carrierId: 'C001' });
    expect(lookup(registry)).toEqual({ keyId: 'bureau-register', role: 'registry' });
  });

  it('lets a scoped ingest key call ingest routes and keeps registry keys off them (and the other way round)', () => {
    const scoped = { keyId: 'k', role: 'ingest', carrierId: 'C001' } as const;
    const registry = { keyId: 'r', role: 'registry' } as const;
    expect(isAllowed(scoped, ['ingest'])).toBe(true);
    expect(isAllowed(scoped, ['bureau', 'enforcement', 'carrier'])).toBe(false);
    expect(isAllowed(registry, ['ingest'])).toBe(false);
    expect(isAllowed(registry, ['ingest', 'registry'])).toBe(true);
  });

  it('names what is wrong with a role precisely', () => {
    expect(roleProblem('registry')).toBeUndefined();
    expect(roleProblem('ingest:C-01.a_b')).toBeUndefined();
    expect(roleProblem('admin')).toMatch(/^unknown role "admin": roles are bureau, enforcement, planner, ingest, registry, metrics, carrier:<carrierId>, ingest:<carrierId>$/);
    expect(roleProblem('registry:C001')).toMatch(/only carrier:<carrierId> and ingest:<carrierId> name a carrier/);
    expect(roleProblem('ingest:')).toMatch(/ingest:<carrierId> needs a carrier id/);
    expect(roleProblem('carrier:a b')).toMatch(/carrier:<carrierId> needs a carrier id/);
  });

  it('refuses a configuration with an unknown role, naming the entry and the roles there are', () => {
    const json = JSON.stringify([{ id: 'x', role: 'ingest:', sha256: hashApiKey('x') }]);
    expect(() => parseApiKeys(json)).toThrow(/\[0\.role\] "ingest:": ingest:<carrierId> needs a carrier id/);
  });
});
