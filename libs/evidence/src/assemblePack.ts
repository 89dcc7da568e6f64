import { type Manifest, ManifestError, type ManifestMeta, packManifest } from './manifest.ts';
import { comparePaths, type PackFile, packFileNames } from './packLayout.ts';
import { signatureFileText, signManifest } from './signature.ts';
import { publicKeyPem, type SigningKey } from './signingKey.ts';

/** Everything a pack directory holds, ready to be written or served. */
export interface SignedPack {
  /** Every file, manifest.json, manifest.sig and public-key.pem included, sorted by path. */
  readonly files: readonly PackFile[];
  readonly manifest: Manifest;
}

/** What the caller says about a pack; the key id is filled in from the key that signs it. */
export type PackMeta = Omit<ManifestMeta, 'keyId'>;

/**
 * Signs `payload` into a pack: adds public-key.pem (so the pack can be checked for integrity
 * offline), lists every file in the manifest with its digest, signs the manifest's bytes.
 * Deterministic: the same payload, meta and key give the same bytes.
 */
export function assemblePack(payload: readonly PackFile[], meta: PackMeta, key: SigningKey): SignedPack {
  if (payload.some((f) => f.path === packFileNames.publicKey)) {
    throw new ManifestError([`${packFileNames.publicKey}: is added by the pack from the signing key; leave it out of the payload`], 'evidence pack input');
  }
  const listed: PackFile[] = [...payload, { path: packFileNames.publicKey, bytes: new TextEncoder().encode(publicKeyPem(key.publicKey)) }];
  const packed = packManifest(listed, { ...meta, keyId: key.keyId });
  const signature = signatureFileText(signManifest(packed.bytes, key.privateKey));
  const files = [...listed, { path: packFileNames.manifest, bytes: packed.bytes }, { path: packFileNames.signature, bytes: new TextEncoder().encode(signature) }];
  files.sort((a, b) => comparePaths(a.path, b.path));
  return { files, manifest: packed.manifest };
}
