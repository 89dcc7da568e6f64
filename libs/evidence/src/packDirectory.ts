/**
 * Packs on disk (`@dgt/evidence/fs`): the only module of the package that does I/O. Everything it
 * decides — what is listed, signed, altered — is the pure modules'; this reads and writes bytes.
 */
import type { KeyObject } from 'node:crypto';
import type { Dirent } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { assemblePack, type PackMeta, type SignedPack } from './assemblePack.ts';
import { comparePaths, type PackFile, packFileNames } from './packLayout.ts';
import { parsePublicKey, type SigningKey } from './signingKey.ts';
import { type PackProblem, type PackVerification, verifyPack } from './verifyPack.ts';

/** The pack directory cannot be read or written (absent, not a directory, not empty …). */
export class PackDirectoryError extends Error {
  constructor(
    readonly dir: string,
    reason: string,
  ) {
    super(`${dir}: ${reason}`);
    this.name = 'PackDirectoryError';
  }
}

/** Signs `payload` (see assemblePack) and writes the pack into `dir`; returns what was written. */
export async function writePack(dir: string, payload: readonly PackFile[], meta: PackMeta, key: SigningKey): Promise<SignedPack> {
  const pack = assemblePack(payload, meta, key);
  await writeSignedPack(dir, pack);
  return pack;
}

/**
 * Writes a signed pack (from writePack or buildEvidencePack) into `dir`, which must be absent or
 * empty: a file left from something else would be an extra file and fail verification. Files are
 * created exclusively, so nothing is overwritten.
 */
export async function writeSignedPack(dir: string, pack: SignedPack): Promise<void> {
  await mkdir(dir, { recursive: true });
  const present = await readdir(dir);
  if (present.length > 0) throw new PackDirectoryError(dir, `is not empty (${present.length} entries); write a pack into a new directory`);
  for (const file of pack.files) {
    const target = join(dir, ...file.path.split('/'));
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, file.bytes, { flag: 'wx' });
  }
}

/** A pack directory as read: the signing files apart, every other regular file, and what is not a file. */
export interface PackDirectory {
  /** Every regular file except manifest.json and manifest.sig, paths `/`-separated, sorted. */
  readonly files: readonly PackFile[];
  readonly manifestBytes?: Uint8Array;
  /** manifest.sig's text. */
  readonly signature?: string;
  /** Entries that are neither folders nor regular files (symlinks are not followed). */
  readonly notFiles: readonly { path: string; what: string }[];
}

/** Reads every file under `dir` (recursively; symlinks are reported, never followed). */
export async function readPackDir(dir: string): Promise<PackDirectory> {
  const files: PackFile[] = [];
  const notFiles: { path: string; what: string }[] = [];
  let manifestBytes: Uint8Array | undefined;
  let signature: string | undefined;
  const walk = async (folder: string, prefix: string): Promise<void> => {
    for (const entry of await entries(dir, folder)) {
      const path = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
      const onDisk = join(folder, entry.name);
      if (entry.isDirectory()) await walk(onDisk, path);
      else if (!entry.isFile()) notFiles.push({ path, what: describeEntry(entry) });
      else if (path === packFileNames.manifest) manifestBytes = await readFile(onDisk);
      else if (path === packFileNames.signature) signature = await readFile(onDisk, 'utf8');
      else files.push({ path, bytes: await readFile(onDisk) });
    }
  };
  await walk(dir, '');
  files.sort((a, b) => comparePaths(a.path, b.path));
  return { files, notFiles, ...(manifestBytes === undefined ? {} : { manifestBytes }), ...(signature === undefined ? {} : { signature }) };
}

export interface PackDirVerification extends PackVerification {
  /** True when no key was given and the pack's own public-key.pem was used: integrity, not origin. */
  readonly usedPackKey: boolean;
}

/**
 * Verifies the pack in `dir` with `publicKey` — the key the verifier trusts — or, when none is
 * given, with the pack's own public-key.pem. A key carried inside the pack proves the files are
 * unchanged since signing, not who signed them: `usedPackKey` says which was used.
 */
export async function verifyPackDir(dir: string, publicKey?: KeyObject): Promise<PackDirVerification> {
  const pack = await readPackDir(dir);
  let key = publicKey;
  let noKeyReason: string | undefined;
  if (key === undefined) {
    const pem = pack.files.find((f) => f.path === packFileNames.publicKey);
    if (pem === undefined) noKeyReason = `no public key given and the pack has no ${packFileNames.publicKey}`;
    else {
      try {
        key = parsePublicKey(new TextDecoder().decode(pem.bytes), packFileNames.publicKey);
      } catch (err) {
        noKeyReason = `no public key given and ${(err as Error).message}`;
      }
    }
  }
  const verification = verifyPack(pack.files, pack.manifestBytes, pack.signature, key);
  const problems: PackProblem[] = verification.problems.map((p) => (p.kind === 'signature-unchecked' && noKeyReason !== undefined ? { ...p, reason: noKeyReason } : p));
  for (const entry of pack.notFiles) problems.push({ kind: 'not-a-file', path: entry.path, what: entry.what });
  return { ...verification, ok: problems.length === 0, problems, usedPackKey: publicKey === undefined && key !== undefined };
}

async function entries(root: string, folder: string): Promise<Dirent[]> {
  try {
    const list = await readdir(folder, { withFileTypes: true });
    return list.sort((a, b) => comparePaths(a.name, b.name));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (folder === root && code === 'ENOENT') throw new PackDirectoryError(root, 'no such directory');
    if (folder === root && code === 'ENOTDIR') throw new PackDirectoryError(root, 'is not a directory');
    throw new PackDirectoryError(root, `cannot read ${folder} (${(err as Error).message})`);
  }
}

function describeEntry(entry: Dirent): string {
  if (entry.isSymbolicLink()) return 'a symbolic link';
  if (entry.isFIFO()) return 'a named pipe';
  if (entry.isSocket()) return 'a socket';
  if (entry.isBlockDevice() || entry.isCharacterDevice()) return 'a device';
  return 'not a regular file';
}
