import { randomUUID } from 'node:crypto';
import { type AuditReplayRunData, type AuditReplayRunEvent, auditStream, safeParseAuditEvent } from '@dgt/events';
import type { EventStore } from '@dgt/eventstore';
import type { ReplayReport } from './reportTypes.ts';
import type { SourceKind } from './source.ts';

export interface AuditActor {
  kind: 'operator' | 'apiKey';
  id: string;
}

/**
 * What the audit trail keeps of a report; a full ReplayReport is one. A replay run in a worker
 * thread sends back only this, not the whole report.
 */
export type AuditedReport = Pick<ReplayReport, 'selection' | 'thresholds' | 'digest' | 'counts'> & {
  readonly asOf: { readonly at: string } | null;
  readonly verify: { readonly differences: readonly unknown[] } | null;
};

/** The part of `report` the audit trail keeps (see AuditedReport). */
export function auditedPart(report: ReplayReport): AuditedReport {
  const { selection, thresholds, digest, counts, asOf, verify } = report;
  return { selection, thresholds, digest, counts, asOf: asOf === null ? null : { at: asOf.at }, verify: verify === null ? null : { differences: verify.differences } };
}

export interface AuditRecord {
  actor: AuditActor;
  source: SourceKind;
  report: AuditedReport;
  reportSha256: string;
  /** Wall-clock time of the run: it belongs to the audit trail, never to the report. */
  ranAt: Date;
  auditId?: string;
}

/** The counts flat, as the audit event keeps them: `detectionsByType.X` becomes `detections.X`, `violationsByKind.Y` `violations.Y`. */
function counts(report: AuditedReport): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, value] of Object.entries(report.counts) as [string, number | Record<string, number>][]) {
    if (typeof value === 'number') out[name] = value;
    else for (const [key, n] of Object.entries(value)) out[`${name.replace(/By(Type|Kind)$/, '')}.${key}`] = n;
  }
  return out;
}

/** The `AuditReplayRun` event for one replay run. */
export function auditEventFor(record: AuditRecord): AuditReplayRunEvent {
  const auditId = record.auditId ?? randomUUID();
  const { report } = record;
  const data: AuditReplayRunData = {
    auditId,
    operator: record.actor,
    ranAt: record.ranAt.toISOString(),
    source: record.source,
    selection: { ...report.selection.requested, resolved: report.selection.resolved, asOf: report.asOf?.at ?? null, verify: report.verify !== null },
    thresholds: { ...report.thresholds },
    digest: report.digest,
    counts: counts(report),
    reportSha256: record.reportSha256,
    ...(report.verify === null ? {} : { verifyDifferences: report.verify.differences.length }),
  };
  const event: AuditReplayRunEvent = { eventId: `audit-${auditId}`, type: 'AuditReplayRun', occurredAt: data.ranAt, data };
  const checked = safeParseAuditEvent(event);
  if (!checked.ok) throw new Error(`audit event invalid: ${checked.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
  return checked.event;
}

/** Records the run in the `audit` stream; returns the audit id. */
export async function recordAudit(store: EventStore, record: AuditRecord): Promise<string> {
  const event = auditEventFor(record);
  await store.append(auditStream, [event]);
  return event.data.auditId;
}
