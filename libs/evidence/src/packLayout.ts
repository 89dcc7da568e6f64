/**
 * The names a pack directory is made of. `manifest.json` lists every other file with its digest
 * (the public key included, so that it too is covered by the signature); `manifest.sig` is the
 * signature of manifest.json's exact bytes. Those two are the only files the manifest cannot list.
 */
export const packFileNames = {
  manifest: 'manifest.json',
  signature: 'manifest.sig',
  publicKey: 'public-key.pem',
  caseJson: 'case.json',
  reportHtml: 'report.html',
  reportJson: 'report.json',
  reportCsv: 'report.csv',
  attachmentsDir: 'attachments',
} as const;

/** Files that sign the pack and therefore cannot be listed in its manifest. */
export const signingFiles: readonly string[] = [packFileNames.manifest, packFileNames.signature];

/** One file of a pack: its path inside the pack directory (`/`-separated) and its exact bytes. */
export interface PackFile {
  readonly path: string;
  readonly bytes: Uint8Array;
}

// eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
const controlCharacter = /[\u0000-\u001f\u007f]/;

/**
 * Why `path` cannot name a file of a pack, or undefined when it can: a relative, `/`-separated
 * path whose segments are real names. Anything that could escape the directory (`..`, an absolute
 * path), mean different files on different systems (`\`, `a//b`, `./a`) or break a terminal line
 * (control characters) is refused, so a manifest names each file one way only.
 */
export function packPathProblem(path: string): string | undefined {
  if (path.length === 0) return 'is empty';
  if (path.length > 1024) return 'is longer than 1024 characters';
  if (controlCharacter.test(path)) return 'contains a control character';
  if (path.includes('\\')) return 'contains "\\" (use "/" between folders)';
  if (path.startsWith('/')) return 'is absolute (paths are relative to the pack directory)';
  for (const segment of path.split('/')) {
    if (segment === '') return 'has an empty folder name ("//" or a trailing "/")';
    if (segment === '.' || segment === '..') return `has a "${segment}" segment`;
    if (segment.length > 255) return 'has a name longer than 255 characters';
  }
  return undefined;
}

/** Orders paths by their UTF-8 bytes: the order any language gets by sorting the manifest's bytes. */
export function comparePaths(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}
