import type { DetectionConfig } from '@dgt/detection';
import { stringifyWellFormed } from '@dgt/events';
import { auditedPart, type AuditedReport, renderReport, type ReplaySource, runReplay, type Selection } from '@dgt/replay';

/** One audit as the route validated it: structured-cloneable, so it can cross to a worker thread. */
export interface AuditJob {
  readonly selection: Selection;
  readonly thresholds: DetectionConfig;
  readonly asOf: string | null;
  readonly verify: boolean;
  /** Who asked (the API key id) and when (ISO-8601): shown in report.html's header, never in report.json. */
  readonly operator?: string;
  readonly ranAt?: string;
}

/** What an audit run hands back: the bytes to send and keep, and what the audit trail records. */
export interface AuditOutcome {
  /** report.json of the run as compact JSON (well-formed UTF-8): the `report` of the response. */
  readonly reportJson: Uint8Array<ArrayBuffer>;
  /** report.html, for GET /v1/audits/:id/report.html. */
  readonly html: Uint8Array<ArrayBuffer>;
  /** report.json exactly as `dgt replay --out` writes it (SHA-256 `reportSha256`): what a case's frozen evidence archives. */
  readonly reportFile: Uint8Array<ArrayBuffer>;
  /** violations.csv of the run, archived with a case's evidence. */
  readonly csv: Uint8Array<ArrayBuffer>;
  /** SHA-256 of report.json as `dgt replay --out` writes it, recorded in the audit event. */
  readonly reportSha256: string;
  readonly verifyDifferences: number | null;
  readonly audited: AuditedReport;
}

/**
 * Replays the selection and renders its report, down to bytes: everything that costs time in an
 * audit, so that the thread running it (a worker, see auditRunner.ts) is the one that pays.
 */
export async function runAuditJob(job: AuditJob, source: ReplaySource): Promise<AuditOutcome> {
  const { report, run } = await runReplay(
    { selection: job.selection, thresholds: job.thresholds, asOf: job.asOf, verify: job.verify, ...(job.operator !== undefined && { operator: job.operator }), ranAt: job.ranAt ?? null },
    source,
  );
  const rendered = renderReport(report, run);
  // TextEncoder gives each its own ArrayBuffer, which a worker can transfer instead of copying.
  const encoder = new TextEncoder();
  return {
    reportJson: encoder.encode(stringifyWellFormed(JSON.parse(rendered.json))),
    html: encoder.encode(rendered.html),
    reportFile: encoder.encode(rendered.json),
    csv: encoder.encode(rendered.csv),
    reportSha256: rendered.jsonSha256,
    verifyDifferences: report.verify?.differences.length ?? null,
    audited: auditedPart(report),
  };
}
