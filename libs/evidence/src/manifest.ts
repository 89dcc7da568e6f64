import { createHash } from 'node:crypto';
import { z } from 'zod';
import { canonicalJson } from './canonicalJson.ts';
import { comparePaths, type PackFile, packPathProblem, signingFiles } from './packLayout.ts';

/** Names the manifest format, so a later layout can be told apart from this one. */
export const manifestFormat = 'dgt-evidence-pack/1';

const sha256Digest = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex digits (SHA-256)');

const packPath = z.string().superRefine((path, ctx) => {
  const problem = packPathProblem(path);
  if (problem !== undefined) ctx.addIssue({ code: 'custom', message: `"${path}" ${problem}` });
  else if (signingFiles.includes(path)) ctx.addIssue({ code: 'custom', message: `"${path}" signs the pack and cannot be listed in its manifest` });
});

const text = z.string().min(1, 'must not be empty').max(256, 'must be at most 256 characters');

/** Who built the pack: the API key's principal (the shape of @dgt/http's `Principal`). */
export const manifestOperator = z.object({ keyId: text, role: text, carrierId: text.optional() }).strict();

/** What a manifest says about its pack besides the files. */
export const manifestMeta = z
  .object({
    caseId: text,
    operator: manifestOperator,
    /** When the pack was built: passed in by the caller (server time), never read here. */
    createdAt: z.iso.datetime({ offset: true, message: 'must be an ISO-8601 date-time with offset, e.g. 2026-03-01T08:00:00+08:00' }),
    /** The software that built it, e.g. `dgt 0.1.0`. */
    toolVersion: text,
    /** The signing key's id (`keyIdOf`): which key a verifier needs. */
    keyId: z.string().regex(/^[0-9a-f]{16}$/, 'must be 16 lowercase hex digits (keyIdOf the public key)'),
  })
  .strict();

export const manifestEntry = z.object({ path: packPath, sha256: sha256Digest, size: z.number().int().nonnegative() }).strict();

export const manifest = z
  .object({ format: z.literal(manifestFormat), meta: manifestMeta, files: z.array(manifestEntry) })
  .strict()
  .superRefine((m, ctx) => {
    for (let i = 1; i < m.files.length; i++) {
      const path = (m.files[i] as ManifestEntry).path;
      const order = comparePaths((m.files[i - 1] as ManifestEntry).path, path);
      if (order >= 0) ctx.addIssue({ code: 'custom', path: ['files', i, 'path'], message: order === 0 ? `"${path}" is listed twice` : `"${path}" is out of order (paths are sorted by their UTF-8 bytes)` });
    }
  });

export type ManifestOperator = z.infer<typeof manifestOperator>;
export type ManifestMeta = z.infer<typeof manifestMeta>;
export type ManifestEntry = z.infer<typeof manifestEntry>;
export type Manifest = z.infer<typeof manifest>;

/** A manifest or its input failed validation; the message names each field (`meta.createdAt: …`). */
export class ManifestError extends Error {
  constructor(
    readonly issues: readonly string[],
    what = 'manifest',
  ) {
    super(`invalid ${what}: ${issues.join('; ')}`);
    this.name = 'ManifestError';
  }
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** A manifest and the exact bytes that are signed and written as manifest.json. */
export interface PackedManifest {
  readonly manifest: Manifest;
  readonly bytes: Uint8Array;
}

/**
 * The manifest of `files`: each path with its SHA-256 and size, sorted by path, and `meta`.
 * The bytes are canonical JSON plus one newline: the same files and meta give the same bytes in
 * whatever order the files or the meta's keys come, so a signature over them is reproducible.
 * Refuses (naming the field) a path that is invalid, listed twice or a signing file, and bad meta.
 */
export function packManifest(files: readonly PackFile[], meta: ManifestMeta): PackedManifest {
  const entries = files.map((f) => ({ path: f.path, sha256: sha256Hex(f.bytes), size: f.bytes.byteLength }));
  entries.sort((a, b) => comparePaths(a.path, b.path));
  const parsed = manifest.safeParse({ format: manifestFormat, meta, files: entries });
  if (!parsed.success) throw new ManifestError(issueLines(parsed.error, (path) => renameSortedIndex(path, files, entries)), 'evidence pack input');
  return { manifest: parsed.data, bytes: manifestBytes(parsed.data) };
}

/** The canonical bytes of a manifest (what is signed). */
export function manifestBytes(m: Manifest): Uint8Array {
  return new TextEncoder().encode(`${canonicalJson(m)}\n`);
}

/**
 * Reads manifest.json's bytes: strict UTF-8, JSON, then the schema. Returns the reason it is not a
 * manifest instead of throwing: a damaged manifest is one of the problems a verification reports.
 */
export function parseManifest(bytes: Uint8Array): { ok: true; manifest: Manifest } | { ok: false; reason: string } {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (err) {
    return { ok: false, reason: err instanceof SyntaxError ? `not JSON (${err.message})` : 'not UTF-8 text' };
  }
  const parsed = manifest.safeParse(value);
  return parsed.success ? { ok: true, manifest: parsed.data } : { ok: false, reason: issueLines(parsed.error).join('; ') };
}

function issueLines(error: z.ZodError, rename: (path: PropertyKey[]) => PropertyKey[] = (p) => p): string[] {
  return error.issues.map((issue) => {
    const path = rename(issue.path).map(String).join('.');
    return `${path === '' ? '(root)' : path}: ${issue.message}`;
  });
}

/**
 * Zod names a file by its index in the sorted list; the caller knows it by its index in `files`.
 * Duplicates map to the first with that path, which is as good a name as any.
 */
function renameSortedIndex(path: PropertyKey[], files: readonly PackFile[], sorted: readonly { path: string }[]): PropertyKey[] {
  if (path[0] !== 'files' || typeof path[1] !== 'number') return path;
  const original = files.findIndex((f) => f.path === sorted[path[1] as number]?.path);
  return ['files', original, ...path.slice(2)];
}
