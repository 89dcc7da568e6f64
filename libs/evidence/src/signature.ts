import { type KeyObject, sign, verify } from 'node:crypto';
import { strictBase64 } from './strictBase64.ts';

/** Length of an Ed25519 signature in bytes. */
const signatureLength = 64;

/**
 * Signs manifest.json's exact bytes with Ed25519; returns the signature in base64, the content of
 * manifest.sig (written with one trailing newline). Ed25519 signatures are deterministic: the same
 * manifest and key always give the same signature, so a rebuilt pack is byte-identical.
 */
export function signManifest(manifestBytes: Uint8Array, privateKey: KeyObject): string {
  if (privateKey.type !== 'private' || privateKey.asymmetricKeyType !== 'ed25519') throw new TypeError(`signManifest needs an Ed25519 private key, got a ${privateKey.type} key of type ${privateKey.asymmetricKeyType ?? 'none'}`);
  return sign(null, manifestBytes, privateKey).toString('base64');
}

/** manifest.sig's text as written: the base64 signature and a newline. */
export function signatureFileText(signatureBase64: string): string {
  return `${signatureBase64}\n`;
}

/**
 * Whether manifest.sig's text is a valid signature of the manifest bytes by `publicKey`, and if not
 * why. The text must be the canonical base64 of 64 bytes, optionally followed by one newline:
 * anything else is refused, so no byte of the file can change without the check failing.
 */
export function checkSignature(manifestBytes: Uint8Array, signatureText: string, publicKey: KeyObject): { ok: true } | { ok: false; reason: string } {
  const body = signatureText.endsWith('\n') ? signatureText.slice(0, -1) : signatureText;
  const signature = strictBase64(body);
  if (signature === undefined) return { ok: false, reason: 'manifest.sig is not a base64 signature (canonical base64 and at most one trailing newline)' };
  if (signature.byteLength !== signatureLength) return { ok: false, reason: `manifest.sig holds ${signature.byteLength} bytes, an Ed25519 signature has ${signatureLength}` };
  return verify(null, manifestBytes, publicKey, signature) ? { ok: true } : { ok: false, reason: 'manifest.sig is not a valid signature of manifest.json by this key' };
}
