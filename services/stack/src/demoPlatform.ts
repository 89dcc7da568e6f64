import { randomBytes, randomInt } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { passwordSha256, type PlatformAccountEntry } from '@dgt/jt809-gateway';
import { StackError } from './stackError.ts';

export const DEMO_PLATFORM_FILE = 'demo-jt809-platform.json';

/** The demo's subordinate JT/T 809 platform: what it logs in with (secrets included) and what the gateway is configured with. */
export interface DemoPlatform {
  readonly path: string;
  readonly created: boolean;
  readonly platformId: string;
  readonly accessCode: number;
  readonly userId: number;
  /** The 0x1001 password itself (8 characters): only the simulator uses it; the gateway gets its SHA-256. */
  readonly password: string;
  readonly keys: { readonly m1: number; readonly ia1: number; readonly ic1: number };
  /** The gateway's account for it: carriers as given, the password as SHA-256 only. */
  readonly account: PlatformAccountEntry;
}

interface PlatformFile {
  readonly note: string;
  readonly platformId: string;
  readonly accessCode: number;
  readonly userId: number;
  readonly password: string;
  readonly keys: { m1: number; ia1: number; ic1: number };
}

const note = 'The demo JT/T 809 platform of this data directory, generated on first start. Its password and keys are secrets: keep this file private (mode 0600).';

/**
 * The demo platform's account: read from `<dataDir>/demo-jt809-platform.json`, or generated (a random
 * 8-character password and random M1/IA1/IC1, written with mode 0600) when missing — like the demo
 * API keys, so an operator can point `dgt jt809 simulate` at the running demo with the same account.
 * `carriers` are the carriers it may speak for; they follow the simulation, so they are not stored.
 */
export function loadOrCreateDemoPlatform(dataDir: string, carriers: readonly string[], listenHost = '127.0.0.1'): DemoPlatform {
  const path = join(dataDir, DEMO_PLATFORM_FILE);
  const created = !existsSync(path);
  const file = created ? newPlatform() : readPlatformFile(path);
  if (created) writePlatformFile(dataDir, path, file);
  else if (process.platform !== 'win32' && (statSync(path).mode & 0o077) !== 0) chmodSync(path, 0o600);
  return {
    path,
    created,
    platformId: file.platformId,
    accessCode: file.accessCode,
    userId: file.userId,
    password: file.password,
    keys: file.keys,
    account: {
      platformId: file.platformId,
      name: 'dgt demo subordinate platform (npm start)',
      accessCode: file.accessCode,
      userId: file.userId,
      passwordSha256: passwordSha256(file.password),
      // The simulator runs in the same process: it connects over loopback, or to the one address the stack listens on.
      allowedIps: [...new Set(['127.0.0.1', '::1', ...(isIP(listenHost) !== 0 && listenHost !== '0.0.0.0' && listenHost !== '::' ? [listenHost] : [])])],
      edition: '2019',
      encryption: file.keys,
      carriers: [...carriers],
      // The demo platform serves no down link: nothing for the gateway to connect to.
      downLink: 'off',
    },
  };
}

function newPlatform(): PlatformFile {
  // 8 bytes is all 0x1001 PASSWORD holds; base64url keeps it printable for `dgt jt809 simulate --password`.
  const password = randomBytes(6).toString('base64url');
  const key = () => randomInt(1, 0x7fff_ffff);
  return { note, platformId: 'demo-platform', accessCode: 33_100_001, userId: 7001, password, keys: { m1: key(), ia1: key(), ic1: key() } };
}

function readPlatformFile(path: string): PlatformFile {
  let raw: Partial<PlatformFile> | null;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8')) as Partial<PlatformFile> | null;
  } catch (error) {
    throw new StackError('DEMO_KEYS_INVALID', `${path} is not valid JSON (${(error as Error).message}): delete it to generate a new demo platform account`, { cause: error });
  }
  const u32 = (n: unknown): boolean => Number.isInteger(n) && (n as number) >= 0 && (n as number) <= 0xffff_ffff;
  const k = raw?.keys;
  const valid =
    typeof raw?.platformId === 'string' && /^[A-Za-z0-9._-]{1,64}$/.test(raw.platformId) && u32(raw.accessCode) && u32(raw.userId) &&
    typeof raw.password === 'string' && raw.password.length >= 1 && Buffer.byteLength(raw.password) <= 8 && u32(k?.m1) && u32(k?.ia1) && u32(k?.ic1);
  if (!valid) throw new StackError('DEMO_KEYS_INVALID', `${path} does not hold {"platformId","accessCode","userId","password" (≤ 8 bytes),"keys":{"m1","ia1","ic1"}}: delete it to generate a new demo platform account`);
  return raw as PlatformFile;
}

/** Written to a temporary file created with mode 0600, then renamed: the password is never world-readable. */
function writePlatformFile(dataDir: string, path: string, file: PlatformFile): void {
  mkdirSync(dataDir, { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600, flag: 'w' });
  chmodSync(tmp, 0o600);
  renameSync(tmp, path);
}
