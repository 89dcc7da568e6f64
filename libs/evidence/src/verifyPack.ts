import type { KeyObject } from 'node:crypto';
import { type Manifest, parseManifest, sha256Hex } from './manifest.ts';
import { comparePaths, type PackFile, packFileNames, signingFiles } from './packLayout.ts';
import { printable } from './printable.ts';
import { checkSignature } from './signature.ts';
import { keyIdOf, parsePublicKey } from './signingKey.ts';

/** One thing wrong with a pack. A pack is intact exactly when there is none. */
export type PackProblem =
  /** A listed file whose bytes are not those the manifest was signed with. */
  | { kind: 'altered'; path: string; expectedSha256: string; actualSha256: string; expectedSize: number; actualSize: number }
  /** A listed file (or manifest.json / manifest.sig) that is not there. */
  | { kind: 'missing'; path: string }
  /** A file that the manifest does not list: added after signing. */
  | { kind: 'extra'; path: string }
  /** An entry that is not a regular file (a symlink, a device …): packs hold files only. */
  | { kind: 'not-a-file'; path: string; what: string }
  | { kind: 'manifest-invalid'; reason: string }
  | { kind: 'signature-invalid'; reason: string; keyId: string }
  /** No key to check the signature with (none given and the pack's own is missing or unreadable). */
  | { kind: 'signature-unchecked'; reason: string }
  /** The manifest names another signing key than the one verifying: tells which key signed it. */
  | { kind: 'key-mismatch'; manifestKeyId: string; verifyingKeyId: string }
  /** public-key.pem is not the key the manifest names. */
  | { kind: 'pack-key-mismatch'; packKeyId: string | undefined; manifestKeyId: string; reason: string };

export interface PackVerification {
  /** True when nothing is altered, missing or extra and the signature verifies with the key given. */
  readonly ok: boolean;
  readonly problems: readonly PackProblem[];
  /** The manifest, when manifest.json could be read (even if the signature does not verify). */
  readonly manifest?: Manifest;
  /** The id of the key the signature was checked with. */
  readonly verifyingKeyId?: string;
}

/**
 * Checks a pack: manifest.sig against manifest.json's exact bytes with `publicKey`, then every
 * file against its manifest entry. Lists every problem rather than stopping at the first, so a
 * verifier sees everything that was changed. `files` are the pack's files other than manifest.json
 * and manifest.sig (whose contents come separately; undefined when absent). `publicKey` is the key
 * the verifier trusts; undefined when there is none, which is reported (`signature-unchecked`).
 * Without a readable manifest the files cannot be checked: only that is reported about them.
 */
export function verifyPack(files: readonly PackFile[], manifestBytes: Uint8Array | undefined, signature: string | undefined, publicKey: KeyObject | undefined): PackVerification {
  const byPath = new Map<string, PackFile>();
  for (const file of files) {
    if (signingFiles.includes(file.path)) throw new TypeError(`verifyPack: pass ${file.path} as its own argument, not among the files (or use verifyPackFiles)`);
    if (byPath.has(file.path)) throw new TypeError(`verifyPack: "${file.path}" is given twice`);
    byPath.set(file.path, file);
  }
  const problems: PackProblem[] = [];
  const verifyingKeyId = publicKey === undefined ? undefined : keyIdOf(publicKey);

  if (manifestBytes === undefined) problems.push({ kind: 'missing', path: packFileNames.manifest });
  if (signature === undefined) problems.push({ kind: 'missing', path: packFileNames.signature });
  if (manifestBytes !== undefined && signature !== undefined) {
    if (publicKey === undefined || verifyingKeyId === undefined) problems.push({ kind: 'signature-unchecked', reason: 'no public key to verify the signature with' });
    else {
      const checked = checkSignature(manifestBytes, signature, publicKey);
      if (!checked.ok) problems.push({ kind: 'signature-invalid', reason: checked.reason, keyId: verifyingKeyId });
    }
  }

  const parsed = manifestBytes === undefined ? undefined : parseManifest(manifestBytes);
  if (parsed !== undefined && !parsed.ok) problems.push({ kind: 'manifest-invalid', reason: parsed.reason });
  const manifest = parsed?.ok === true ? parsed.manifest : undefined;
  if (manifest !== undefined) {
    if (verifyingKeyId !== undefined && manifest.meta.keyId !== verifyingKeyId) problems.push({ kind: 'key-mismatch', manifestKeyId: manifest.meta.keyId, verifyingKeyId });
    problems.push(...fileProblems(manifest, byPath));
    const packKey = packKeyProblem(manifest, byPath.get(packFileNames.publicKey));
    if (packKey !== undefined) problems.push(packKey);
  }
  return { ok: problems.length === 0, problems, ...(manifest === undefined ? {} : { manifest }), ...(verifyingKeyId === undefined ? {} : { verifyingKeyId }) };
}

/** `verifyPack` for a pack given as all its files, manifest.json and manifest.sig included. */
export function verifyPackFiles(files: readonly PackFile[], publicKey: KeyObject | undefined): PackVerification {
  const manifest = files.find((f) => f.path === packFileNames.manifest);
  const signature = files.find((f) => f.path === packFileNames.signature);
  const payload = files.filter((f) => !signingFiles.includes(f.path));
  return verifyPack(payload, manifest?.bytes, signature === undefined ? undefined : new TextDecoder().decode(signature.bytes), publicKey);
}

function fileProblems(manifest: Manifest, byPath: ReadonlyMap<string, PackFile>): PackProblem[] {
  const problems: PackProblem[] = [];
  const listed = new Set<string>();
  for (const entry of manifest.files) {
    listed.add(entry.path);
    const file = byPath.get(entry.path);
    if (file === undefined) {
      problems.push({ kind: 'missing', path: entry.path });
      continue;
    }
    const actualSha256 = sha256Hex(file.bytes);
    if (actualSha256 !== entry.sha256 || file.bytes.byteLength !== entry.size) {
      problems.push({ kind: 'altered', path: entry.path, expectedSha256: entry.sha256, actualSha256, expectedSize: entry.size, actualSize: file.bytes.byteLength });
    }
  }
  for (const path of [...byPath.keys()].sort(comparePaths)) if (!listed.has(path)) problems.push({ kind: 'extra', path });
  return problems;
}

/**
 * public-key.pem is listed in the manifest like any file, so a change to it is already `altered`;
 * this adds the case of a pack signed with one key that carries another (a mistake when building
 * it, or a swap before signing), which would mislead anyone verifying with the pack's own key.
 */
function packKeyProblem(manifest: Manifest, pem: PackFile | undefined): PackProblem | undefined {
  if (pem === undefined) return undefined;
  const manifestKeyId = manifest.meta.keyId;
  let packKeyId: string;
  try {
    packKeyId = keyIdOf(parsePublicKey(new TextDecoder().decode(pem.bytes), packFileNames.publicKey));
  } catch (err) {
    return { kind: 'pack-key-mismatch', packKeyId: undefined, manifestKeyId, reason: (err as Error).message };
  }
  return packKeyId === manifestKeyId ? undefined : { kind: 'pack-key-mismatch', packKeyId, manifestKeyId, reason: `${packFileNames.publicKey} is key ${packKeyId}, the manifest names key ${manifestKeyId}` };
}

/** One line saying what is wrong, for a terminal or a log (control characters escaped). */
export function describeProblem(problem: PackProblem): string {
  return printable(problemText(problem));
}

function problemText(problem: PackProblem): string {
  switch (problem.kind) {
    case 'altered':
      return `altered: ${problem.path} (sha256 ${problem.actualSha256}, ${problem.actualSize} bytes; the manifest says ${problem.expectedSha256}, ${problem.expectedSize} bytes)`;
    case 'missing':
      return `missing: ${problem.path}`;
    case 'extra':
      return `extra: ${problem.path} (not in the manifest)`;
    case 'not-a-file':
      return `not a file: ${problem.path} (${problem.what}; a pack holds regular files only)`;
    case 'manifest-invalid':
      return `manifest invalid: ${problem.reason}`;
    case 'signature-invalid':
      return `signature invalid: ${problem.reason} (key ${problem.keyId})`;
    case 'signature-unchecked':
      return `signature not checked: ${problem.reason}`;
    case 'key-mismatch':
      return `wrong key: the manifest says it was signed by key ${problem.manifestKeyId}, verifying with key ${problem.verifyingKeyId}`;
    case 'pack-key-mismatch':
      return `pack key: ${problem.reason}`;
    default: {
      const never: never = problem;
      throw new Error(`unknown problem ${JSON.stringify(never)}`);
    }
  }
}
