import type { KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { describeProblem, EvidenceKeyError, parsePublicKey, printable } from '@dgt/evidence';
import { PackDirectoryError, verifyPackDir } from '@dgt/evidence/fs';
import { type Io, UsageError } from '../io.ts';

/** Exit code of a pack that is not intact (altered, missing, added, badly signed). */
export const packNotIntact = 3;

/** `dgt evidence verify <dir> [--public-key <file>]`: problems on stdout, one a line; the verdict on stderr. */
export async function evidenceVerify(dir: string, publicKeyFile: string | undefined, io: Io, givenKey?: KeyObject): Promise<number> {
  const publicKey = givenKey ?? (publicKeyFile === undefined ? undefined : await readPublicKey(publicKeyFile));
  let result;
  try {
    result = await verifyPackDir(dir, publicKey);
  } catch (err) {
    if (err instanceof PackDirectoryError) throw new UsageError(err.message);
    throw err;
  }
  if (result.usedPackKey) {
    io.stderr.write(
      'warning: verified with the pack’s own public-key.pem: this proves the files are unchanged since they were signed, not who signed them. ' +
        'Pass --public-key with the bureau’s published key to prove the origin.\n',
    );
  }
  for (const problem of result.problems) io.stdout.write(`${describeProblem(problem)}\n`);
  if (!result.ok) {
    io.stderr.write(`dgt evidence verify: ${printable(dir)}: NOT INTACT (${result.problems.length} problem${result.problems.length === 1 ? '' : 's'})\n`);
    return packNotIntact;
  }
  const meta = result.manifest?.meta;
  const files = result.manifest?.files.length ?? 0;
  const about = meta === undefined ? '' : ` (case ${meta.caseId}, built ${meta.createdAt} by ${meta.operator.keyId} [${meta.operator.role}], ${meta.toolVersion})`;
  io.stdout.write(`${printable(`intact: ${files} files and their manifest, signed by key ${result.verifyingKeyId}${about}`)}\n`);
  return 0;
}

async function readPublicKey(file: string): Promise<KeyObject> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new UsageError(`--public-key: cannot read ${file} (${(err as Error).message})`);
  }
  try {
    return parsePublicKey(text, `--public-key ${file}`);
  } catch (err) {
    if (err instanceof EvidenceKeyError) throw new UsageError(err.message);
    throw err;
  }
}
