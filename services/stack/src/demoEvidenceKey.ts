import { generateKeyPairSync } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writePrivateFile } from '@dgt/datadir';
import { EvidenceKeyError, parseSigningKey, type SigningKey } from '@dgt/evidence';
import { StackError } from './stackError.ts';

export const DEMO_EVIDENCE_KEY_FILE = 'evidence-signing-key.pem';

/**
 * The demo's evidence key: an Ed25519 private key made on first start in the data directory (mode
 * 0600) and kept, so packs signed yesterday still verify against today's published key. A real
 * bureau configures its own (DGT_EVIDENCE_SIGNING_KEY_FILE) and keeps it off the API host's disk
 * backups; this one is for trying the case workflow.
 */
export function loadOrCreateDemoEvidenceKey(dataDir: string): { key: SigningKey; path: string; created: boolean } {
  const path = join(dataDir, DEMO_EVIDENCE_KEY_FILE);
  let created = false;
  if (!existsSync(path)) {
    const { privateKey } = generateKeyPairSync('ed25519');
    writePrivateFile(path, privateKey.export({ type: 'pkcs8', format: 'pem' }) as string);
    created = true;
  }
  try {
    return { key: parseSigningKey(readFileSync(path, 'utf8'), path), path, created };
  } catch (error) {
    if (error instanceof EvidenceKeyError) throw new StackError('START_FAILED', `${path}: ${error.message} (delete it to make a new demo key)`, { cause: error });
    throw error;
  }
}
