import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultCasePolicy } from '@dgt/cases';
import { describe, expect, it } from 'vitest';
import { readApiConfig } from '../src/env.ts';

const base = { DGT_API_KEYS: JSON.stringify([{ id: 'k', role: 'bureau', sha256: 'a'.repeat(64) }]) };
const pem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;

describe('the evidence key and the case policy from the environment', () => {
  it('reads the evidence key inline or from a file, and none by default', () => {
    expect(readApiConfig(base).evidenceSigningKey).toBeNull();
    const inline = readApiConfig({ ...base, DGT_EVIDENCE_SIGNING_KEY: pem }).evidenceSigningKey;
    expect(inline?.keyId).toMatch(/^[0-9a-f]{16}$/);
    const file = join(mkdtempSync(join(tmpdir(), 'dgt-key-')), 'key.pem');
    writeFileSync(file, pem);
    expect(readApiConfig({ ...base, DGT_EVIDENCE_SIGNING_KEY_FILE: file }).evidenceSigningKey?.keyId).toBe(inline?.keyId);
  });

  it('refuses a key that is not Ed25519, an unreadable file, and both settings, naming the setting', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    expect(() => readApiConfig({ ...base, DGT_EVIDENCE_SIGNING_KEY: rsa })).toThrow(/DGT_EVIDENCE_SIGNING_KEY.*Ed25519/);
    expect(() => readApiConfig({ ...base, DGT_EVIDENCE_SIGNING_KEY_FILE: '/nonexistent/key.pem' })).toThrow(/DGT_EVIDENCE_SIGNING_KEY_FILE: cannot read/);
    expect(() => readApiConfig({ ...base, DGT_EVIDENCE_SIGNING_KEY: pem, DGT_EVIDENCE_SIGNING_KEY_FILE: '/x' })).toThrow(/not both/);
  });

  it('keeps the case list in memory unless API_CASES_DB_PATH names a file', () => {
    expect(readApiConfig(base).casesDbPath).toBeUndefined();
    expect(readApiConfig({ ...base, API_CASES_DB_PATH: '/var/lib/dgt/api-cases.sqlite' }).casesDbPath).toBe('/var/lib/dgt/api-cases.sqlite');
  });

  it('runs no case policy unless asked: off, default, or a JSON policy checked with its path', () => {
    expect(readApiConfig(base).casePolicy).toBeNull();
    expect(readApiConfig({ ...base, API_CASE_POLICY: 'off' }).casePolicy).toBeNull();
    expect(readApiConfig({ ...base, API_CASE_POLICY: 'default' }).casePolicy).toEqual(defaultCasePolicy);
    expect(readApiConfig({ ...base, API_CASE_POLICY: '{"rules":[{"name":"any-overspeed","kind":"overspeed"}]}' }).casePolicy?.rules).toEqual([{ name: 'any-overspeed', kind: 'overspeed' }]);
    expect(() => readApiConfig({ ...base, API_CASE_POLICY: '{"rules":[{"name":"x","kind":"segment-passage"}]}' })).toThrow(/API_CASE_POLICY: rules\.0\.kind/);
    expect(() => readApiConfig({ ...base, API_CASE_POLICY: 'sometimes' })).toThrow(/API_CASE_POLICY: not JSON/);
  });
});
