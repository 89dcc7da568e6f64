import { type CaseRecorded, type CaseState, evolveCase } from '@dgt/cases';
import { buildEvidencePack, type EvidenceAttachment, type SignedPack, type SigningKey } from '@dgt/evidence';
import type { EventStore, RecordedEvent } from '@dgt/eventstore';
import { AppError, type Principal } from '@dgt/http';
import { pack as tarPack } from 'tar-stream';
import { caseStreamOf } from './caseRepository.ts';
import { maySee } from './caseAccess.ts';
import type { ContentStore } from './contentStore.ts';

/**
 * A case's evidence pack (证据包): the frozen report in its three forms, the case with its whole
 * history (who decided what, when), every file the case cites, signed with the bureau's evidence
 * key (@dgt/evidence: manifest of SHA-256 digests, Ed25519) and served as one tar archive, which
 * `dgt evidence verify` checks offline once unpacked. Built from the record and the content store
 * at the moment it is asked for; the bytes of a pack depend only on them, the operator and the time.
 */
export interface EvidencePackInputs {
  readonly store: EventStore;
  readonly content: ContentStore;
  readonly key: SigningKey;
  readonly toolVersion: string;
}

interface CitedFile {
  readonly sha256: string;
  readonly name: string;
}

export async function caseEvidencePack(inputs: EvidencePackInputs, caseId: string, principal: Principal, now: Date): Promise<SignedPack> {
  const events: RecordedEvent[] = [];
  for await (const r of inputs.store.readStream(caseStreamOf(caseId))) events.push(r);
  const state = events.reduce<CaseState | null>((s, r) => evolveCase(s, r.event as unknown as CaseRecorded), null);
  if (state === null || !maySee(principal, state.carrierId)) throw new AppError('NOT_FOUND', 'no such case');
  const frozen = events.findLast((r) => r.event.type === 'EvidenceFrozen');
  if (frozen === undefined) throw new AppError('CONFLICT', 'evidence-required: no evidence is frozen for this case yet (POST /v1/cases/{id}/evidence)');
  const archive = (frozen.event.data as { archive: { html: string; json: string; csv: string } }).archive;
  const [html, json, csv] = await Promise.all([archive.html, archive.json, archive.csv].map((sha) => stored(inputs.content, sha, 'the frozen report')));
  const attachments: EvidenceAttachment[] = [];
  for (const file of citedFiles(events)) attachments.push({ name: file.name, sha256: file.sha256, bytes: await stored(inputs.content, file.sha256, `the attachment ${file.name}`) });
  const caseJson = JSON.stringify(
    {
      format: 'dgt-case/1',
      caseId,
      case: state,
      history: events.map((r) => ({ revision: r.revision, eventId: r.event.eventId, type: r.event.type, occurredAt: r.event.occurredAt, data: r.event.data })),
    },
    null,
    2,
  );
  const operator = principal.role === 'carrier' && principal.carrierId !== undefined ? { keyId: principal.keyId, role: principal.role, carrierId: principal.carrierId } : { keyId: principal.keyId, role: principal.role };
  return buildEvidencePack(
    { caseJson, reportHtml: html!, reportJson: json!, reportCsv: csv!, attachments },
    { caseId, operator, createdAt: now.toISOString(), toolVersion: inputs.toolVersion },
    inputs.key,
  );
}

/** Every file the case's events cite (checks, responses), once each, in the order first cited. */
function citedFiles(events: readonly RecordedEvent[]): CitedFile[] {
  const out = new Map<string, CitedFile>();
  for (const r of events) {
    const list = (r.event.data as { attachments?: unknown }).attachments;
    if (!Array.isArray(list)) continue;
    for (const a of list as { sha256?: unknown; name?: unknown }[]) {
      if (typeof a.sha256 === 'string' && typeof a.name === 'string' && !out.has(a.sha256)) out.set(a.sha256, { sha256: a.sha256, name: a.name });
    }
  }
  return [...out.values()];
}

async function stored(content: ContentStore, sha256: string, what: string): Promise<Uint8Array> {
  const bytes = await content.get(sha256);
  // The case cites it, so it was stored: a missing file is the store's fault, not the caller's.
  if (bytes === undefined) throw new AppError('INTERNAL', `${what} (sha256 ${sha256}) is cited by the case but missing from the content store`);
  return bytes;
}

/**
 * The pack as a POSIX tar archive: one folder `<caseId>-evidence/` holding the pack's files, every
 * entry dated the pack's creation time with mode 0644, so the same pack gives the same archive.
 */
export async function packTar(signed: SignedPack, caseId: string): Promise<Buffer> {
  const tar = tarPack();
  const chunks: Buffer[] = [];
  tar.on('data', (c: unknown) => chunks.push(c as Buffer));
  const ended = new Promise<void>((resolve, reject) => {
    tar.on('end', resolve);
    tar.on('error', reject);
  });
  const mtime = new Date(signed.manifest.meta.createdAt);
  const root = `${caseId}-evidence`;
  for (const f of signed.files) {
    await new Promise<void>((resolve, reject) => {
      tar.entry({ name: `${root}/${f.path}`, size: f.bytes.byteLength, mode: 0o644, mtime, type: 'file' }, Buffer.from(f.bytes.buffer, f.bytes.byteOffset, f.bytes.byteLength), (error) => (error ? reject(error) : resolve()));
    });
  }
  tar.finalize();
  await ended;
  return Buffer.concat(chunks);
}
