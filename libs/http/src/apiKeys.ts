import { hash, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { configuredRole, principalFor, type Principal } from './roles.ts';

/**
 * One configured key. Only the SHA-256 of the key is stored: keys are 32 random bytes, so
 * brute-forcing a pre-image is infeasible and a slow password hash (bcrypt/scrypt), which
 * exists to protect low-entropy passwords, would only add ~100 ms of CPU to every request
 * and turn authentication into a denial-of-service lever.
 */
export const apiKeyEntry = z.strictObject({
  id: z.string().min(1, 'must not be empty').max(128, 'must be at most 128 characters'),
  role: configuredRole,
  sha256: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, 'must be the SHA-256 of the key as 64 hex characters')
    .transform((h) => h.toLowerCase()),
});
export type ApiKeyEntry = z.infer<typeof apiKeyEntry>;

const apiKeyList = z
  .array(apiKeyEntry)
  .min(1, 'needs at least one key')
  .superRefine((entries, ctx) => {
    const ids = new Set<string>();
    const hashes = new Set<string>();
    entries.forEach((e, i) => {
      if (ids.has(e.id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `duplicate id "${e.id}"` });
      if (hashes.has(e.sha256)) ctx.addIssue({ code: 'custom', path: [i, 'sha256'], message: 'the same key is configured twice' });
      ids.add(e.id);
      hashes.add(e.sha256);
    });
  });

export class ApiKeyConfigError extends Error {
  override readonly name = 'ApiKeyConfigError';
  readonly code = 'API_KEYS_INVALID';
}

const hashHelp =
  'expected a JSON array like [{"id":"ingest-1","role":"ingest","sha256":"<sha256 hex of the key>"}]';

/** Parses the API-key configuration (a JSON string), with errors naming the entry and field. */
export function parseApiKeys(json: string): ApiKeyEntry[] {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (error) {
    throw new ApiKeyConfigError(`API keys are not valid JSON (${(error as Error).message}); ${hashHelp}`);
  }
  const parsed = apiKeyList.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  [${i.path.map(String).join('.')}] ${i.message}`);
    throw new ApiKeyConfigError(`API keys are invalid:\n${lines.join('\n')}\n${hashHelp}`);
  }
  return parsed.data;
}

export function hashApiKey(key: string): string {
  return hash('sha256', key, 'hex');
}

/** A new random key: 32 bytes from the OS CSPRNG, base64url, with a recognisable prefix. */
export function generateApiKey(): string {
  return `dgt_${randomBytes(32).toString('base64url')}`;
}

export type KeyLookup = (presentedKey: string) => Principal | undefined;

/**
 * Compares the presented key's hash with every configured hash in constant time, without
 * stopping at the first match, so response timing says nothing about which hashes exist.
 */
export function keyLookup(entries: readonly ApiKeyEntry[]): KeyLookup {
  const table = entries.map((e) => ({ hash: Buffer.from(e.sha256, 'hex'), principal: principalFor(e.id, e.role) }));
  return (presentedKey) => {
    // One-shot hashing (crypto.hash): about half the time of a createHash object for a short key, on every request.
    const digest = hash('sha256', presentedKey, 'buffer');
    let found: Principal | undefined;
    for (const row of table) {
      if (timingSafeEqual(row.hash, digest) && found === undefined) found = row.principal;
    }
    return found;
  };
}
