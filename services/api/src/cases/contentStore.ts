import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Files of cases, addressed by their content: uploaded attachments (photos, documents) and the
 * archived evidence reports. The SHA-256 of the bytes is the address, so a stored file can never
 * change under its address (the events cite it), and storing the same bytes twice stores them once.
 */
export interface ContentStore {
  /** Stores `bytes` (idempotent) and answers their address and size. `type` is the media type the caller vouches for; the address is the bytes' alone. */
  put(bytes: Uint8Array, type: string): Promise<{ sha256: string; size: number }>;
  /** The bytes stored under `sha256`, or undefined when there are none. */
  get(sha256: string): Promise<Uint8Array | undefined>;
}

const sha256Pattern = /^[0-9a-f]{64}$/;

export function sha256Of(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** In this process only: tests, demos, and an API configured without a directory (it says so at start). */
export function memoryContentStore(): ContentStore {
  const files = new Map<string, Uint8Array>();
  return {
    put: async (bytes) => {
      const sha256 = sha256Of(bytes);
      if (!files.has(sha256)) files.set(sha256, Uint8Array.from(bytes));
      return { sha256, size: bytes.byteLength };
    },
    get: async (sha256) => {
      const stored = files.get(sha256);
      return stored === undefined ? undefined : Uint8Array.from(stored);
    },
  };
}

/**
 * Files named by their SHA-256 in `dir` (created 0700). Each is written to a temporary name and
 * renamed into place, so a reader never sees half a file; an address already present is never
 * written again (the bytes are the same by definition). Owner-only (0600): they show vehicles,
 * places and people.
 */
export function directoryContentStore(dir: string): ContentStore {
  let made: Promise<unknown> | undefined;
  const ensureDir = () => (made ??= mkdir(dir, { recursive: true, mode: 0o700 }));
  return {
    put: async (bytes) => {
      const sha256 = sha256Of(bytes);
      await ensureDir();
      const target = join(dir, sha256);
      if (await exists(target)) return { sha256, size: bytes.byteLength };
      const temp = join(dir, `.${sha256}.${randomBytes(6).toString('hex')}.tmp`);
      const handle = await open(temp, 'wx', 0o600);
      try {
        await handle.writeFile(bytes);
        await handle.sync();
      } finally {
        await handle.close();
      }
      try {
        // Another writer may have put the same bytes meanwhile: the rename then replaces equal bytes with equal bytes.
        await rename(temp, target);
      } catch (error) {
        await rm(temp, { force: true });
        throw error;
      }
      return { sha256, size: bytes.byteLength };
    },
    get: async (sha256) => {
      // Only an address ever becomes a path: nothing else can name a file.
      if (!sha256Pattern.test(sha256)) return undefined;
      try {
        return new Uint8Array(await readFile(join(dir, sha256)));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw error;
      }
    },
  };
}

async function exists(path: string): Promise<boolean> {
  try {
    const handle = await open(path, 'r');
    await handle.close();
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

/** The configured store: a directory, or (without one) memory, which loses every file on restart — said once at start. */
export function contentStoreFor(dir: string | undefined, log: { warn(message: string): void }): ContentStore {
  if (dir !== undefined) return directoryContentStore(dir);
  log.warn('API_CASES_CONTENT_DIR is not set: case attachments and evidence reports are kept in memory and lost on restart');
  return memoryContentStore();
}
