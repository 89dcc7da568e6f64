import { evidenceDigest, timestamp } from '@dgt/events';
import type { EventStore } from '@dgt/eventstore';
import { AppError, errorResponse } from '@dgt/http';
import { normaliseSelection, recordAudit, ReplayError, selectionInput, thresholdsSchema } from '@dgt/replay';
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AuditJob, AuditOutcome } from '../audits/auditJob.ts';
import type { AuditRunner } from '../audits/auditRunner.ts';
import type { AuditSlots } from '../audits/auditSlots.ts';
import type { ReportLinkSigner } from '../audits/reportLinks.ts';
import type { ReportArchive } from '../reportArchive.ts';

export const auditRequest = selectionInput.extend({
  thresholds: thresholdsSchema.optional(),
  asOf: timestamp.optional(),
  verify: z.boolean().default(false),
});

export const auditResponse = z.object({
  auditId: z.string(),
  htmlUrl: z.string(),
  /** The page for a browser: a short-lived signed link, no API key needed (or in it). */
  viewUrl: z.string(),
  viewUrlExpiresAt: z.string(),
  verifyDifferences: z.number().int().nullable(),
  report: z.looseObject({ format: z.string(), digest: evidenceDigest, matchedNothing: z.boolean(), message: z.string(), counts: z.record(z.string(), z.unknown()) }),
});

export type AuditResponse = z.infer<typeof auditResponse>;

/**
 * The archived report page: inline CSS and SVG, no script, no external URL (see replay's html.ts),
 * so it may load nothing but its own inline styles, run nothing (`sandbox` also gives it an
 * opaque origin) and be framed by nobody.
 */
export const reportPageContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; sandbox";

export interface AuditRoutesOptions {
  /** Where the audit trail is recorded (the API thread appends one event per run). */
  readonly store: EventStore;
  readonly runner: AuditRunner;
  readonly slots: AuditSlots;
  readonly archive: ReportArchive;
  readonly links: ReportLinkSigner;
  readonly now: () => Date;
}

export const reportLinkResponse = z.object({ viewUrl: z.string(), viewUrlExpiresAt: z.string() });

function toAppError(err: unknown): unknown {
  if (err instanceof ReplayError) return new AppError('VALIDATION_FAILED', err.message);
  return err;
}

/** The response, assembled around the report's bytes as the runner made them: the API thread never parses or re-serialises a report. */
function responseBody(auditId: string, outcome: AuditOutcome, link: { url: string; expiresAt: string }): Buffer {
  const head = `{"auditId":${JSON.stringify(auditId)},"htmlUrl":${JSON.stringify(`/v1/audits/${auditId}/report.html`)},"viewUrl":${JSON.stringify(link.url)},"viewUrlExpiresAt":${JSON.stringify(link.expiresAt)},"verifyDifferences":${outcome.verifyDifferences ?? 'null'},"report":`;
  return Buffer.concat([Buffer.from(head, 'utf8'), outcome.reportJson, Buffer.from('}', 'utf8')]);
}

const errors = { 400: errorResponse, 401: errorResponse, 403: errorResponse, 404: errorResponse, 503: errorResponse };

/**
 * `POST /v1/audits` runs a replay for the enforcement team (in a worker thread, a few at a time:
 * see AuditRunner and AuditSlots); `GET /v1/audits/:id/report.html` serves its page.
 */
export const auditRoutes: FastifyPluginAsyncZod<AuditRoutesOptions> = async (app, { store, runner, slots, archive, links, now }) => {
  app.post('/v1/audits', { config: { roles: ['enforcement'] }, schema: { body: auditRequest, response: { 200: auditResponse, ...errors } } }, async (request, reply) => {
    const { thresholds, asOf, verify, ...selection } = request.body;
    let job: AuditJob;
    const ranAt = now();
    try {
      // Checked here, before a turn is taken: a bad selection is answered at once.
      job = { selection: normaliseSelection(selection), thresholds: thresholdsSchema.parse(thresholds ?? {}), asOf: asOf ?? null, verify, operator: request.principal.keyId, ranAt: ranAt.toISOString() };
    } catch (err) {
      throw toAppError(err);
    }
    const release = await slots.acquire();
    let outcome: AuditOutcome;
    try {
      outcome = await runner.run(job);
    } catch (err) {
      throw toAppError(err);
    } finally {
      release();
    }
    const actor = { kind: 'apiKey' as const, id: request.principal.keyId };
    const auditId = await recordAudit(store, { actor, source: 'store', report: outcome.audited, reportSha256: outcome.reportSha256, ranAt });
    archive.put(auditId, outcome.html);
    // Bytes with a JSON content type bypass the serialiser (the report is already JSON).
    return reply.type('application/json; charset=utf-8').send(responseBody(auditId, outcome, links.sign(auditId, now())) as unknown as AuditResponse);
  });

  const auditParams = z.object({ id: z.string().min(1).max(128) });
  const keptReport = (id: string): Uint8Array => {
    const html = archive.get(id);
    if (html === undefined) throw new AppError('NOT_FOUND', 'no report is kept for this audit; run the audit again (same events → same report)');
    return html;
  };
  const sendPage = (reply: FastifyReply, html: Uint8Array) =>
    reply
      .type('text/html; charset=utf-8')
      .header('content-security-policy', reportPageContentSecurityPolicy)
      // A signed link is a bearer credential for a few minutes: never cached, never sent on as a referrer.
      .header('cache-control', 'no-store')
      .header('referrer-policy', 'no-referrer')
      .send(Buffer.from(html.buffer, html.byteOffset, html.byteLength) as unknown as string);

  app.get('/v1/audits/:id/report.html', { config: { roles: ['enforcement'] }, schema: { params: auditParams, response: { 200: z.string(), ...errors } } }, async (request, reply) =>
    sendPage(reply, keptReport(request.params.id)),
  );

  // A fresh link to a kept report (the one in the audit's response expires).
  app.post(
    '/v1/audits/:id/links',
    { config: { roles: ['enforcement'] }, schema: { params: auditParams, response: { 200: reportLinkResponse, ...errors } } },
    async (request) => {
      keptReport(request.params.id);
      const link = links.sign(request.params.id, now());
      return { viewUrl: link.url, viewUrlExpiresAt: link.expiresAt };
    },
  );

  // Opened by a browser from a signed link: the signature is the authorisation (see reportLinks.ts).
  app.get(
    '/v1/audits/:id/view',
    {
      config: { roles: 'public' },
      schema: {
        params: auditParams,
        querystring: z.object({ expires: z.coerce.number().int().min(0).max(2 ** 40), sig: z.string().min(1).max(128) }),
        response: { 200: z.string(), ...errors },
      },
    },
    async (request, reply) => {
      const refused = links.check(request.params.id, request.query.expires, request.query.sig, now());
      if (refused === 'bad-signature') throw new AppError('FORBIDDEN', 'this report link is not valid: ask for a new one (POST /v1/audits/{id}/links)');
      if (refused === 'expired') throw new AppError('FORBIDDEN', `this report link expired at ${new Date(request.query.expires * 1000).toISOString()}: ask for a new one (POST /v1/audits/{id}/links)`);
      return sendPage(reply, keptReport(request.params.id));
    },
  );
};
