import { evidenceDigest, timestamp } from '@dgt/events';
import type { EventStore } from '@dgt/eventstore';
import { AppError, errorResponse } from '@dgt/http';
import { normaliseSelection, recordAudit, renderReport, ReplayError, type ReplayReport, runReplay, selectionInput, storeSource, thresholdsSchema } from '@dgt/replay';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ReportArchive } from '../reportArchive.ts';

export const auditRequest = selectionInput.extend({
  thresholds: thresholdsSchema.optional(),
  asOf: timestamp.optional(),
  verify: z.boolean().default(false),
});

export const auditResponse = z.object({
  auditId: z.string(),
  htmlUrl: z.string(),
  verifyDifferences: z.number().int().nullable(),
  report: z.looseObject({ format: z.string(), digest: evidenceDigest, matchedNothing: z.boolean(), message: z.string(), counts: z.record(z.string(), z.unknown()) }),
});

export type AuditResponse = z.infer<typeof auditResponse>;

export interface AuditRoutesOptions {
  readonly store: EventStore;
  readonly archive: ReportArchive;
  readonly now: () => Date;
}

function toAppError(err: unknown): unknown {
  if (err instanceof ReplayError) return new AppError('VALIDATION_FAILED', err.message);
  return err;
}

const errors = { 400: errorResponse, 401: errorResponse, 403: errorResponse, 404: errorResponse };

/** `POST /v1/audits` runs a replay for the enforcement team; `GET /v1/audits/:id/report.html` serves its page. */
export const auditRoutes: FastifyPluginAsyncZod<AuditRoutesOptions> = async (app, { store, archive, now }) => {
  app.post('/v1/audits', { config: { roles: ['enforcement'] }, schema: { body: auditRequest, response: { 200: auditResponse, ...errors } } }, async (request) => {
    const { thresholds, asOf, verify, ...selection } = request.body;
    let report: ReplayReport;
    try {
      const options = { selection: normaliseSelection(selection), thresholds: thresholdsSchema.parse(thresholds ?? {}), asOf: asOf ?? null, verify };
      ({ report } = await runReplay(options, storeSource(store)));
    } catch (err) {
      throw toAppError(err);
    }
    const rendered = renderReport(report);
    const actor = { kind: 'apiKey' as const, id: request.principal.keyId };
    const auditId = await recordAudit(store, { actor, source: 'store', report, reportSha256: rendered.jsonSha256, ranAt: now() });
    archive.put(auditId, rendered.html);
    return { auditId, htmlUrl: `/v1/audits/${auditId}/report.html`, verifyDifferences: report.verify?.differences.length ?? null, report: JSON.parse(rendered.json) as AuditResponse['report'] };
  });

  app.get('/v1/audits/:id/report.html', { config: { roles: ['enforcement'] }, schema: { params: z.object({ id: z.string().min(1).max(128) }), response: { 200: z.string(), ...errors } } }, async (request, reply) => {
    const html = archive.get(request.params.id);
    if (html === undefined) throw new AppError('NOT_FOUND', `no report kept for audit ${request.params.id}; run the audit again (same events → same report)`);
    return reply.type('text/html; charset=utf-8').send(html);
  });
};
