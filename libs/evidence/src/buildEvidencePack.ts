import { type PackMeta, assemblePack, type SignedPack } from './assemblePack.ts';
import { ManifestError, sha256Hex } from './manifest.ts';
import { type PackFile, packFileNames, packPathProblem } from './packLayout.ts';
import type { SigningKey } from './signingKey.ts';

/** A file attached to a case (an on-site photo, an appeal's document). */
export interface EvidenceAttachment {
  /** The name it was uploaded with: one file name, no folders. */
  readonly name: string;
  readonly bytes: Uint8Array;
  /** The digest it is stored under, when known: checked, so a corrupted store is not signed. */
  readonly sha256?: string;
}

/** What goes into a case's evidence pack: the frozen report in three forms, the case, its files. */
export interface EvidenceContent {
  /** The case with its history, as JSON text. */
  readonly caseJson: string | Uint8Array;
  readonly reportHtml: string | Uint8Array;
  /** The frozen report as JSON text. */
  readonly reportJson: string | Uint8Array;
  readonly reportCsv: string | Uint8Array;
  readonly attachments: readonly EvidenceAttachment[];
}

/**
 * The signed evidence pack of a case: case.json, report.html, report.json, report.csv, each
 * attachment as `attachments/<sha256>-<name>`, public-key.pem, manifest.json and manifest.sig.
 * The one builder both `dgt evidence` and the API's download call, so both give the same bytes.
 * Refuses, naming the field, JSON that is not JSON, an attachment name that is not a plain file
 * name, and an attachment whose bytes do not match its stated digest.
 */
export function buildEvidencePack(content: EvidenceContent, meta: PackMeta, key: SigningKey): SignedPack {
  const problems: string[] = [];
  const payload: PackFile[] = [
    { path: packFileNames.caseJson, bytes: jsonBytes(content.caseJson, 'caseJson', problems) },
    { path: packFileNames.reportHtml, bytes: bytesOf(content.reportHtml) },
    { path: packFileNames.reportJson, bytes: jsonBytes(content.reportJson, 'reportJson', problems) },
    { path: packFileNames.reportCsv, bytes: bytesOf(content.reportCsv) },
  ];
  const seen = new Set<string>();
  content.attachments.forEach((attachment, i) => {
    const path = attachmentPath(attachment, `attachments.${i}`, problems);
    // The same file attached twice (say to the check and to the appeal) is one file in the pack.
    if (path === undefined || seen.has(path)) return;
    seen.add(path);
    payload.push({ path, bytes: attachment.bytes });
  });
  if (problems.length > 0) throw new ManifestError(problems, 'evidence pack input');
  return assemblePack(payload, meta, key);
}

/** `attachments/<sha256>-<name>`: content-addressed, and still named as it was uploaded. */
export function attachmentPath(attachment: EvidenceAttachment, field = 'attachment', problems?: string[]): string | undefined {
  const fail = (message: string): undefined => {
    if (problems === undefined) throw new ManifestError([`${field}.${message}`], 'evidence pack input');
    problems.push(`${field}.${message}`);
    return undefined;
  };
  const digest = sha256Hex(attachment.bytes);
  if (attachment.sha256 !== undefined && attachment.sha256 !== digest) return fail(`sha256: the bytes have sha256 ${digest}, not the stated ${attachment.sha256}`);
  if (attachment.name.includes('/')) return fail(`name: "${attachment.name}" contains "/" (a file name, not a path)`);
  const problem = packPathProblem(attachment.name);
  if (problem !== undefined) return fail(`name: "${attachment.name}" ${problem}`);
  return `${packFileNames.attachmentsDir}/${digest}-${attachment.name}`;
}

function bytesOf(content: string | Uint8Array): Uint8Array {
  return typeof content === 'string' ? new TextEncoder().encode(content) : content;
}

function jsonBytes(content: string | Uint8Array, field: string, problems: string[]): Uint8Array {
  const bytes = bytesOf(content);
  try {
    JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (err) {
    problems.push(`${field}: ${err instanceof SyntaxError ? `not JSON (${err.message})` : 'not UTF-8 text'}`);
  }
  return bytes;
}
