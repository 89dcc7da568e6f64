import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { parsePublicKey, printable } from '@dgt/evidence';
import { extract } from 'tar-stream';
import { type Io, UsageError } from '../io.ts';
import { evidenceVerify, packNotIntact } from './evidenceVerify.ts';

/** Exit code when the API cannot give the pack (unreachable, refused, no such case). */
const notFetched = 1;

export interface EvidenceFetchOptions {
  readonly caseId: string;
  readonly out: string;
  readonly api: string;
  readonly keyFile: string;
}

/**
 * `dgt evidence <caseId> --out <dir>`: downloads the case's signed evidence pack from the API,
 * unpacks it into `dir` and verifies it against the key the API publishes — so what lands on the
 * officer's disk is checked before anyone relies on it. Exit 0 intact, 3 not intact, 1 not fetched.
 */
export async function evidenceFetch(o: EvidenceFetchOptions, io: Io): Promise<number> {
  const key = (await readText(o.keyFile, '--key-file')).trim();
  if (key === '') throw new UsageError(`--key-file ${o.keyFile} is empty: it holds the API key (bureau, enforcement, or the case's carrier)`);
  await mustBeEmpty(o.out);
  const base = o.api.replace(/\/+$/, '');

  const published = await get(`${base}/v1/evidence/public-key`, {});
  if (!published.ok) return fail(io, `the API publishes no evidence key: ${await errorText(published)}`);
  const publicKey = parsePublicKey(((await published.json()) as { pem: string }).pem, 'the API\'s published key');

  const res = await get(`${base}/v1/cases/${encodeURIComponent(o.caseId)}/evidence-pack`, { 'x-api-key': key });
  if (!res.ok) return fail(io, `the API did not give the pack of case ${o.caseId}: ${await errorText(res)}`);
  const files = await untar(Buffer.from(await res.arrayBuffer()), `${o.caseId}-evidence/`);
  for (const [path, bytes] of files) {
    const target = join(o.out, path);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, bytes, { flag: 'wx' });
  }
  io.stderr.write(`dgt evidence: case ${printable(o.caseId)}: ${files.size} files written to ${printable(o.out)}; verifying against the API's published key\n`);
  const verdict = await evidenceVerify(o.out, undefined, io, publicKey);
  return verdict === 0 ? 0 : packNotIntact;
}

async function get(url: string, headers: Record<string, string>): Promise<Response> {
  try {
    return await fetch(url, { headers, signal: AbortSignal.timeout(120_000) });
  } catch (err) {
    throw new UsageError(`cannot reach ${url}: ${(err as Error).message} (is the API running? --api)`, notFetched);
  }
}

async function errorText(res: Response): Promise<string> {
  try {
    const body = (await res.json()) as { error?: { message?: string } };
    return `${res.status} ${body.error?.message ?? ''}`.trim();
  } catch {
    return `${res.status} ${res.statusText}`;
  }
}

function fail(io: Io, message: string): number {
  io.stderr.write(`dgt evidence: ${printable(message)}\n`);
  return notFetched;
}

async function readText(file: string, option: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    throw new UsageError(`${option}: cannot read ${file} (${(err as Error).message})`);
  }
}

async function mustBeEmpty(dir: string): Promise<void> {
  try {
    if ((await readdir(dir)).length > 0) throw new UsageError(`--out ${dir} is not empty: a pack is written into a new or empty directory, never over other files`);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}

/**
 * The regular files under `root` in a tar archive, by their path below it. Anything else — links,
 * folders outside it, absolute or `..` paths — is refused: a pack never needs one, and writing it
 * could land outside the output directory.
 */
async function untar(archive: Buffer, root: string): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  const ex = extract();
  const done = new Promise<void>((ok, ko) => {
    ex.on('finish', ok);
    ex.on('error', ko);
  });
  ex.on('entry', (header, stream, next) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: unknown) => chunks.push(c as Buffer));
    stream.on('end', () => {
      const name = header.name;
      if (header.type === 'directory') return next();
      const inside = name.startsWith(root) ? name.slice(root.length) : null;
      const bad = header.type !== 'file' || inside === null || inside === '' || inside.startsWith('/') || inside.split('/').some((p) => p === '..' || p === '');
      if (bad) return next(new UsageError(`the archive holds ${JSON.stringify(name)} (${header.type}), which is not a file of the pack`, notFetched));
      files.set(inside, Buffer.concat(chunks));
      next();
    });
    stream.resume();
  });
  Readable.from([archive]).pipe(ex);
  await done;
  return files;
}
