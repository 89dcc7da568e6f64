import { createHash, createPrivateKey, createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import { strictBase64 } from './strictBase64.ts';

/** A key from configuration could not be used; the message starts with the field it came from. */
export class EvidenceKeyError extends Error {
  constructor(
    readonly field: string,
    reason: string,
  ) {
    super(`${field}: ${reason}`);
    this.name = 'EvidenceKeyError';
  }
}

/** The key that signs packs, and what verifiers need to know about it. */
export interface SigningKey {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  readonly keyId: string;
}

const makeOne = 'make one with: openssl genpkey -algorithm ed25519 -out evidence-key.pem';

/**
 * The signing key from its configured text: a PEM PKCS#8 private key (`-----BEGIN PRIVATE KEY-----`)
 * or the same key as base64 DER on one line (`openssl pkey -in key.pem -outform DER | base64 -w0`,
 * handy in an environment variable). Only Ed25519 is accepted: other key types are refused rather
 * than signed with, so every pack is verifiable by the same rule. `field` names the setting in
 * errors (e.g. `DGT_EVIDENCE_SIGNING_KEY`); the caller reads the setting, this never does.
 */
export function parseSigningKey(text: string, field = 'signing key'): SigningKey {
  const trimmed = text.trim();
  if (trimmed === '') throw new EvidenceKeyError(field, `is empty; ${makeOne}`);
  let privateKey: KeyObject;
  if (trimmed.startsWith('-----BEGIN')) {
    const label = pemLabel(trimmed);
    if (label === 'ENCRYPTED PRIVATE KEY') throw new EvidenceKeyError(field, 'is an encrypted private key; give the unencrypted PKCS#8 key (keep it in a secret store instead)');
    if (label === 'PUBLIC KEY') throw new EvidenceKeyError(field, 'is a public key; signing needs the private key (PKCS#8, "-----BEGIN PRIVATE KEY-----")');
    if (label !== 'PRIVATE KEY') throw new EvidenceKeyError(field, `is a "${label ?? 'unlabelled'}" PEM block; give a PKCS#8 Ed25519 key ("-----BEGIN PRIVATE KEY-----"); ${makeOne}`);
    privateKey = attempt(field, 'not a readable PKCS#8 private key', () => createPrivateKey({ key: trimmed, format: 'pem' }));
  } else {
    const der = strictBase64(trimmed.replace(/\s+/g, ''));
    if (der === undefined) throw new EvidenceKeyError(field, 'is neither PEM ("-----BEGIN PRIVATE KEY-----") nor base64 DER');
    privateKey = attempt(field, 'is base64 but not a PKCS#8 private key in DER', () => createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }));
  }
  requireEd25519(privateKey, field);
  const publicKey = createPublicKey(privateKey);
  return { privateKey, publicKey, keyId: keyIdOf(publicKey) };
}

/**
 * A verifier's public key: PEM SPKI (`-----BEGIN PUBLIC KEY-----`, as published and as in a pack's
 * public-key.pem), base64 SPKI DER, or the published JWK (JSON). A private key is refused: a
 * verifier never needs one, and a private key passed around to verify with is a leaked key.
 */
export function parsePublicKey(text: string, field = 'public key'): KeyObject {
  const trimmed = text.trim();
  if (trimmed === '') throw new EvidenceKeyError(field, 'is empty');
  let key: KeyObject;
  if (trimmed.startsWith('-----BEGIN')) {
    const label = pemLabel(trimmed);
    if (label !== undefined && label.endsWith('PRIVATE KEY')) throw new EvidenceKeyError(field, 'is a private key; verify with the public key (never hand out the private key)');
    if (label !== 'PUBLIC KEY') throw new EvidenceKeyError(field, `is a "${label ?? 'unlabelled'}" PEM block; give an Ed25519 public key ("-----BEGIN PUBLIC KEY-----")`);
    key = attempt(field, 'not a readable public key', () => createPublicKey({ key: trimmed, format: 'pem' }));
  } else if (trimmed.startsWith('{')) {
    let jwk: JsonWebKey;
    try {
      jwk = JSON.parse(trimmed) as JsonWebKey;
    } catch (err) {
      throw new EvidenceKeyError(field, `looks like a JWK but is not JSON (${(err as Error).message})`);
    }
    if (typeof jwk !== 'object' || jwk === null) throw new EvidenceKeyError(field, 'is not a JWK object');
    if ('d' in jwk) throw new EvidenceKeyError(field, 'is a private JWK (it has "d"); verify with the public key');
    key = attempt(field, 'not a usable JWK', () => createPublicKey({ key: jwk, format: 'jwk' }));
  } else {
    const der = strictBase64(trimmed.replace(/\s+/g, ''));
    if (der === undefined) throw new EvidenceKeyError(field, 'is neither PEM ("-----BEGIN PUBLIC KEY-----"), a JWK nor base64 DER');
    key = attempt(field, 'is base64 but not an SPKI public key in DER', () => createPublicKey({ key: der, format: 'der', type: 'spki' }));
  }
  requireEd25519(key, field);
  return key;
}

/** The key's id: the first 16 hex digits of the SHA-256 of its SPKI DER encoding. */
export function keyIdOf(publicKey: KeyObject): string {
  return createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex').slice(0, 16);
}

/** The public key as PEM (SPKI), the form of a pack's public-key.pem and of the published key. */
export function publicKeyPem(publicKey: KeyObject): string {
  return publicKey.export({ type: 'spki', format: 'pem' }) as string;
}

/** The public key as a JWK (RFC 8037 OKP) with its id, for publication at an API route. */
export function publicKeyJwk(publicKey: KeyObject): { kty: 'OKP'; crv: 'Ed25519'; x: string; kid: string; alg: 'EdDSA'; use: 'sig' } {
  const { x } = publicKey.export({ format: 'jwk' });
  return { kty: 'OKP', crv: 'Ed25519', x: x as string, kid: keyIdOf(publicKey), alg: 'EdDSA', use: 'sig' };
}

function requireEd25519(key: KeyObject, field: string): void {
  if (key.asymmetricKeyType !== 'ed25519') throw new EvidenceKeyError(field, `has key type ${key.asymmetricKeyType ?? 'unknown'}; evidence packs are signed with Ed25519 only (${makeOne})`);
}

function pemLabel(pem: string): string | undefined {
  return /^-----BEGIN ([A-Z0-9 ]+)-----/.exec(pem)?.[1];
}

function attempt<T>(field: string, reason: string, make: () => T): T {
  try {
    return make();
  } catch (err) {
    throw new EvidenceKeyError(field, `${reason} (${(err as Error).message})`);
  }
}
