export { assemblePack, type PackMeta, type SignedPack } from './assemblePack.ts';
export { attachmentPath, buildEvidencePack, type EvidenceAttachment, type EvidenceContent } from './buildEvidencePack.ts';
export { canonicalJson, CanonicalJsonError } from './canonicalJson.ts';
export {
  type Manifest,
  manifest,
  manifestBytes,
  type ManifestEntry,
  ManifestError,
  manifestFormat,
  type ManifestMeta,
  type ManifestOperator,
  packManifest,
  type PackedManifest,
  parseManifest,
  sha256Hex,
} from './manifest.ts';
export { comparePaths, type PackFile, packFileNames, packPathProblem, signingFiles } from './packLayout.ts';
export { printable } from './printable.ts';
export { checkSignature, signatureFileText, signManifest } from './signature.ts';
export { EvidenceKeyError, keyIdOf, parsePublicKey, parseSigningKey, publicKeyJwk, publicKeyPem, type SigningKey } from './signingKey.ts';
export { describeProblem, type PackProblem, type PackVerification, verifyPack, verifyPackFiles } from './verifyPack.ts';
