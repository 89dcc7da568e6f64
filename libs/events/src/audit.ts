import { z } from 'zod';
import { eventId, identifier, timestamp } from './primitives.ts';

/*
 * Audit events record who ran what over which evidence. They live in the `audit` stream and are
 * kept out of `eventCatalog` on purpose: they are not inputs of the detection engine, must never be
 * accepted from outside (ingest validates against `eventCatalog`), and the exhaustive switches over
 * `DgtEvent` stay about the domain.
 */

export const auditStream = 'audit';

export const evidenceDigest = z.strictObject({
  /** SHA-256 (hex) over the canonical NDJSON of every input event used, in feed order. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex characters'),
  events: z.number().int().min(0),
  /** Store positions of the first and last event fed (null when the input had none). */
  firstPosition: z.string().nullable(),
  lastPosition: z.string().nullable(),
});

export const auditReplayRunData = z.looseObject({
  auditId: identifier,
  /** Who ran it: an operator's name (CLI `--operator`) or an API key id. */
  operator: z.strictObject({ kind: z.enum(['operator', 'apiKey']), id: identifier }),
  /** Wall-clock time of the run, when it was recorded (the report itself has none). */
  ranAt: timestamp,
  /** Where the events came from: `store`, `eventstoredb`, `ndjson` or `export`. */
  source: z.enum(['store', 'eventstoredb', 'ndjson', 'export']),
  selection: z.record(z.string(), z.unknown()),
  thresholds: z.record(z.string(), z.number()),
  digest: evidenceDigest,
  counts: z.record(z.string(), z.number()),
  /** Differences found by `--verify`, when it ran. */
  verifyDifferences: z.number().int().min(0).optional(),
  reportSha256: z.string().regex(/^[0-9a-f]{64}$/).optional(),
});

export const auditEventCatalog = {
  AuditReplayRun: { version: 1, data: auditReplayRunData },
} as const;

export type AuditEventType = keyof typeof auditEventCatalog;
export const auditEventTypes = Object.keys(auditEventCatalog) as AuditEventType[];
export type EvidenceDigest = z.infer<typeof evidenceDigest>;
export type AuditReplayRunData = z.infer<typeof auditReplayRunData>;

export interface AuditReplayRunEvent {
  eventId: string;
  type: 'AuditReplayRun';
  occurredAt: string;
  schemaVersion?: number;
  data: AuditReplayRunData;
  meta?: Record<string, unknown>;
}

const auditEnvelope = z.strictObject({
  eventId,
  type: z.literal('AuditReplayRun'),
  occurredAt: timestamp,
  schemaVersion: z.literal(1).optional(),
  data: auditReplayRunData,
  meta: z.record(z.string(), z.unknown()).optional(),
});

/** Validates an audit event; errors name the field path like `safeParseEvent`. */
export function safeParseAuditEvent(input: unknown): { ok: true; event: AuditReplayRunEvent } | { ok: false; issues: { path: string; message: string }[] } {
  const r = auditEnvelope.safeParse(input);
  if (r.success) return { ok: true, event: r.data as AuditReplayRunEvent };
  return { ok: false, issues: r.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })) };
}
