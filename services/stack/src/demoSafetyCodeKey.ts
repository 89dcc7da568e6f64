import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writePrivateFile } from '@dgt/datadir';
import { parseSafetyCodeSecrets, SafetyCodeKeyConfigError, type SafetyCodeSecrets } from '@dgt/api';
import { StackError } from './stackError.ts';

export const DEMO_SAFETY_CODE_KEY_FILE = 'safety-code-key.txt';

/**
 * The demo's safety-code secret: 32 random bytes made on first start in the data directory
 * (mode 0600) and kept, so labels printed yesterday still scan today. A real deployment sets
 * API_SAFETY_CODE_KEY from its secret store; this one is for trying 一企一品一码 locally.
 */
export function loadOrCreateDemoSafetyCodeKey(dataDir: string): {
  secrets: SafetyCodeSecrets;
  path: string;
  created: boolean;
} {
  const path = join(dataDir, DEMO_SAFETY_CODE_KEY_FILE);
  let created = false;
  if (!existsSync(path)) {
    writePrivateFile(path, `${randomBytes(32).toString('base64')}\n`);
    created = true;
  }
  try {
    const secrets = parseSafetyCodeSecrets(readFileSync(path, 'utf8').trim());
    if (secrets === null) throw new SafetyCodeKeyConfigError('the file is empty');
    return { secrets, path, created };
  } catch (error) {
    if (error instanceof SafetyCodeKeyConfigError)
      throw new StackError(
        'START_FAILED',
        `${path}: ${error.message} (delete it to make a new demo key)`,
        { cause: error },
      );
    throw error;
  }
}
