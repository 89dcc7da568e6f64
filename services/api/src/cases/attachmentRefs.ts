import type { RecordedEvent } from '@dgt/eventstore';
import { AppError } from '@dgt/http';
import type { ContentStore } from './contentStore.ts';
import { isUploadType, looksLike, uploadTypeNames } from './uploadTypes.ts';

export interface AttachmentRef {
  readonly sha256: string;
  readonly name: string;
  readonly type: string;
  readonly size: number;
}

/**
 * A decision may cite only files that were uploaded (POST /v1/attachments) with the size and
 * type they have: a record must never point at bytes nobody can produce, nor serve a photo back
 * as a page. Refused 400, naming the field.
 */
export async function checkUploaded(content: ContentStore, attachments: readonly AttachmentRef[], field = 'body.attachments'): Promise<void> {
  const details: { path: string; message: string }[] = [];
  for (const [i, a] of attachments.entries()) {
    const bytes = await content.get(a.sha256);
    if (bytes === undefined) details.push({ path: `${field}.${i}.sha256`, message: 'no file was uploaded with this SHA-256: POST it to /v1/attachments first' });
    else if (bytes.byteLength !== a.size) details.push({ path: `${field}.${i}.size`, message: `the uploaded file has ${bytes.byteLength} bytes` });
    else if (!isUploadType(a.type) || !looksLike(a.type, bytes)) details.push({ path: `${field}.${i}.type`, message: `must be the uploaded file's type (one of ${uploadTypeNames.join(', ')})` });
  }
  if (details.length > 0) throw new AppError('VALIDATION_FAILED', 'the request cites files that were not uploaded', details);
}

/** The archived evidence files, as the case's EvidenceFrozen events name them. */
const evidenceFiles = [
  ['html', 'report.html', 'text/html; charset=utf-8'],
  ['json', 'report.json', 'application/json'],
  ['csv', 'violations.csv', 'text/csv; charset=utf-8'],
] as const;

/**
 * The file a case cites under `sha256`: an attachment of a check or of the carrier's response, or
 * one of the archived evidence reports. Undefined when the case cites no such file, so a key that
 * may see the case still reaches only the case's own files.
 */
export function citedFile(events: readonly RecordedEvent[], sha256: string): { name: string; type: string } | undefined {
  for (const r of events) {
    const data = r.event.data as { attachments?: unknown; archive?: Record<string, unknown> };
    if (Array.isArray(data.attachments)) {
      for (const a of data.attachments as AttachmentRef[]) if (a.sha256 === sha256) return { name: a.name, type: a.type };
    }
    if (r.event.type === 'EvidenceFrozen' && data.archive !== undefined) {
      for (const [key, name, type] of evidenceFiles) if (data.archive[key] === sha256) return { name, type };
    }
  }
  return undefined;
}
