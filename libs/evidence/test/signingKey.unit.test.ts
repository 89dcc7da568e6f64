import { createHash, createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { EvidenceKeyError, keyIdOf, parsePublicKey, parseSigningKey, publicKeyJwk, publicKeyPem } from '../src/index.ts';

const field = 'DGT_EVIDENCE_SIGNING_KEY';
const ed25519 = () => generateKeyPairSync('ed25519');
const pkcs8Pem = (key: ReturnType<typeof ed25519>['privateKey']) => key.export({ type: 'pkcs8', format: 'pem' }) as string;
const pkcs8Base64 = (key: ReturnType<typeof ed25519>['privateKey']) => key.export({ type: 'pkcs8', format: 'der' }).toString('base64');

function keyError(make: () => unknown): EvidenceKeyError {
  try {
    make();
  } catch (err) {
    expect(err).toBeInstanceOf(EvidenceKeyError);
    return err as EvidenceKeyError;
  }
  throw new Error('no error thrown');
}

describe('parseSigningKey', () => {
  it('reads a PEM PKCS#8 Ed25519 key and the same key as one line of base64 DER, to the same key id', () => {
    const { privateKey, publicKey } = ed25519();
    const fromPem = parseSigningKey(pkcs8Pem(privateKey), field);
    const fromDer = parseSigningKey(`  ${pkcs8Base64(privateKey)}\n`, field);
    expect(fromPem.keyId).toBe(fromDer.keyId);
    expect(publicKeyPem(fromPem.publicKey)).toBe(publicKeyPem(publicKey));
  });

  it('derives the key id from the SHA-256 of the public key in SPKI DER (first 16 hex digits)', () => {
    const { privateKey, publicKey } = ed25519();
    const expected = createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex').slice(0, 16);
    expect(parseSigningKey(pkcs8Pem(privateKey)).keyId).toBe(expected);
    expect(keyIdOf(publicKey)).toBe(expected);
  });

  it('refuses RSA, EC and X25519 keys, naming the setting and the type', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey;
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    const x25519 = generateKeyPairSync('x25519').privateKey;
    expect(keyError(() => parseSigningKey(pkcs8Pem(rsa), field)).message).toMatch(/^DGT_EVIDENCE_SIGNING_KEY: has key type rsa; evidence packs are signed with Ed25519 only/);
    expect(keyError(() => parseSigningKey(pkcs8Base64(ec), field)).message).toMatch(/^DGT_EVIDENCE_SIGNING_KEY: has key type ec; evidence packs are signed with Ed25519 only/);
    expect(keyError(() => parseSigningKey(pkcs8Pem(x25519), field)).message).toMatch(/has key type x25519;/);
  });

  it('refuses a public key, an encrypted key, a traditional PEM block, garbage and nothing, each with its reason', () => {
    const { privateKey, publicKey } = ed25519();
    expect(keyError(() => parseSigningKey(publicKeyPem(publicKey), field)).message).toMatch(/is a public key; signing needs the private key/);
    const encrypted = privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'secret' }) as string;
    expect(keyError(() => parseSigningKey(encrypted, field)).message).toMatch(/is an encrypted private key/);
    const rsaTraditional = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs1', format: 'pem' }) as string;
    expect(keyError(() => parseSigningKey(rsaTraditional, field)).message).toMatch(/is a "RSA PRIVATE KEY" PEM block; give a PKCS#8 Ed25519 key/);
    expect(keyError(() => parseSigningKey('not a key!', field)).message).toBe('DGT_EVIDENCE_SIGNING_KEY: is neither PEM ("-----BEGIN PRIVATE KEY-----") nor base64 DER');
    expect(keyError(() => parseSigningKey('AAAA', field)).message).toMatch(/^DGT_EVIDENCE_SIGNING_KEY: is base64 but not a PKCS#8 private key in DER/);
    expect(keyError(() => parseSigningKey(' \n', field)).message).toMatch(/^DGT_EVIDENCE_SIGNING_KEY: is empty; make one with: openssl genpkey -algorithm ed25519/);
  });
});

describe('parsePublicKey and the published forms', () => {
  it('reads the published PEM, base64 SPKI DER and JWK to the same key', () => {
    const key = parseSigningKey(pkcs8Pem(ed25519().privateKey));
    const der = key.publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
    for (const text of [publicKeyPem(key.publicKey), der, JSON.stringify(publicKeyJwk(key.publicKey))]) expect(keyIdOf(parsePublicKey(text))).toBe(key.keyId);
  });

  it('publishes a JWK that names its key id and verifies what the private key signed', () => {
    const key = parseSigningKey(pkcs8Pem(ed25519().privateKey));
    const jwk = publicKeyJwk(key.publicKey);
    expect(jwk).toMatchObject({ kty: 'OKP', crv: 'Ed25519', kid: key.keyId, alg: 'EdDSA', use: 'sig' });
    expect(jwk.x).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const data = new TextEncoder().encode('manifest');
    expect(verify(null, data, createPublicKey({ key: jwk, format: 'jwk' }), sign(null, data, key.privateKey))).toBe(true);
  });

  it('refuses a private key offered for verification, and keys of other types', () => {
    const { privateKey } = ed25519();
    expect(keyError(() => parsePublicKey(pkcs8Pem(privateKey), '--public-key k.pem')).message).toBe('--public-key k.pem: is a private key; verify with the public key (never hand out the private key)');
    const jwkPrivate = JSON.stringify(privateKey.export({ format: 'jwk' }));
    expect(keyError(() => parsePublicKey(jwkPrivate)).message).toMatch(/is a private JWK/);
    const rsaPublic = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ type: 'spki', format: 'pem' }) as string;
    expect(keyError(() => parsePublicKey(rsaPublic)).message).toMatch(/^public key: has key type rsa; evidence packs are signed with Ed25519 only/);
  });
});

