import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixedRoles, generateApiKey, hashApiKey, parseApiKeys, type ApiKeyEntry } from '@dgt/http';
import { StackError } from './stackError.ts';

export const DEMO_KEYS_FILE = 'demo-keys.json';

/** Carriers that get a demo key unless told otherwise: the owners of the first simulated vehicles. */
export const defaultDemoCarriers: readonly string[] = ['C001', 'C002'];

export interface DemoKey {
  readonly id: string;
  /** `bureau`, `enforcement`, `planner` (the planning routes and zones), `ingest`, `registry` (the register and zones: the seeds), `metrics` or `carrier:<carrierId>`. */
  readonly role: string;
  /** The secret itself: shown to the person running the demo, never put in a config. */
  readonly key: string;
}

export interface DemoKeys {
  readonly path: string;
  /** True when this call generated at least one key (first start, or a carrier added). */
  readonly created: boolean;
  readonly keys: readonly DemoKey[];
  /** What the apps are configured with: ids, roles and SHA-256 hashes only. */
  readonly entries: readonly ApiKeyEntry[];
  /** The key of a role; throws when there is none. */
  keyFor(role: string): string;
}

interface KeyFile {
  readonly note: string;
  readonly keys: DemoKey[];
}

const note = 'Demo API keys of this data directory, generated on first start. Secrets: keep this file private (mode 0600), never commit it.';

/** Roles of the demo, in display order: every fixed role (a data directory made before `registry` existed gets that key added) and the carriers'. */
export function demoRoles(carrierIds: readonly string[]): string[] {
  return [...fixedRoles, ...carrierIds.map((c) => `carrier:${c}`)];
}

/**
 * The demo's keys, one per role: read from `<dataDir>/demo-keys.json`, or generated randomly
 * (and written there with mode 0600) when missing, so a restart on the same data keeps the keys
 * the user already pasted into a browser.
 */
export function loadOrCreateDemoKeys(dataDir: string, carrierIds: readonly string[] = defaultDemoCarriers): DemoKeys {
  const path = join(dataDir, DEMO_KEYS_FILE);
  const existing = existsSync(path) ? readKeyFile(path) : [];
  const byRole = new Map(existing.map((k) => [k.role, k]));
  let created = false;
  for (const role of demoRoles(carrierIds)) {
    if (byRole.has(role)) continue;
    byRole.set(role, { id: `demo-${role.replace(':', '-')}`, role, key: generateApiKey() });
    created = true;
  }
  const keys = [...byRole.values()];
  if (created) writeKeyFile(dataDir, path, keys);
  else if (process.platform !== 'win32' && (statSync(path).mode & 0o077) !== 0) chmodSync(path, 0o600);
  const entries = toEntries(keys, path);
  return {
    path,
    created,
    keys,
    entries,
    keyFor(role) {
      const found = byRole.get(role);
      if (found === undefined) throw new StackError('DEMO_KEYS_INVALID', `no demo key of role ${role} in ${path}`);
      return found.key;
    },
  };
}

function readKeyFile(path: string): DemoKey[] {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new StackError('DEMO_KEYS_INVALID', `${path} is not valid JSON (${(error as Error).message}): delete it to generate new demo keys`, { cause: error });
  }
  const keys = (raw as Partial<KeyFile> | null)?.keys;
  const valid =
    Array.isArray(keys) &&
    keys.every((k: unknown) => {
      const c = k as Partial<DemoKey> | null;
      return typeof c?.id === 'string' && typeof c.role === 'string' && typeof c.key === 'string' && c.key.length >= 32;
    });
  if (!valid) throw new StackError('DEMO_KEYS_INVALID', `${path} does not hold {"keys":[{"id","role","key"}]}: delete it to generate new demo keys`);
  return keys;
}

/** Written to a temporary file created with mode 0600, then renamed: the secret is never world-readable. */
function writeKeyFile(dataDir: string, path: string, keys: readonly DemoKey[]): void {
  mkdirSync(dataDir, { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  const body: KeyFile = { note, keys: [...keys] };
  writeFileSync(tmp, `${JSON.stringify(body, null, 2)}\n`, { mode: 0o600, flag: 'w' });
  chmodSync(tmp, 0o600);
  renameSync(tmp, path);
}

function toEntries(keys: readonly DemoKey[], path: string): ApiKeyEntry[] {
  try {
    // The same validation as DGT_API_KEYS: roles, unique ids and hashes.
    return parseApiKeys(JSON.stringify(keys.map((k) => ({ id: k.id, role: k.role, sha256: hashApiKey(k.key) }))));
  } catch (error) {
    throw new StackError('DEMO_KEYS_INVALID', `${path}: ${(error as Error).message}\nDelete the file to generate new demo keys.`, { cause: error });
  }
}
