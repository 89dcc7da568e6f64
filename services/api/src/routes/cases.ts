import { type CaseCommand, type CasesConfig, caseStatuses, defaultCasesConfig } from '@dgt/cases';
import { appealOutcomes, carrierResponses, dispositions, timestamp } from '@dgt/events';
import type { EventStore } from '@dgt/eventstore';
import { AppError, errorResponse, type Principal } from '@dgt/http';
import { type CaseReadModel, isReadModelError } from '@dgt/readmodels';
import { normaliseSelection, recordAudit, ReplayError, thresholdsSchema } from '@dgt/replay';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { readRoles } from '../access.ts';
import type { AuditJob, AuditOutcome } from '../audits/auditJob.ts';
import type { AuditRunner } from '../audits/auditRunner.ts';
import type { AuditSlots } from '../audits/auditSlots.ts';
import { checkUploaded, citedFile } from '../cases/attachmentRefs.ts';
import { sendCitedFile } from '../cases/citedFileReply.ts';
import { actorOf, maySee, refusalToAppError } from '../cases/caseAccess.ts';
import { caseIdPattern, newReadableId } from '../cases/caseIds.ts';
import { CaseIndex, type CountyLookup } from '../cases/caseIndex.ts';
import { type CaseOutcome, CaseRepository, type LoadedCase } from '../cases/caseRepository.ts';
import { caseDetail, caseResult, casesPage, type CaseView, caseViewOf, caseViewOfRow, historyRowOf } from '../cases/caseViews.ts';
import type { ContentStore } from '../cases/contentStore.ts';
import { LedgerRepository } from '../cases/ledgerRepository.ts';
import { readErrors } from '../errorResponses.ts';
import { cursor, entityId, pageLimit, queryTimestamp } from '../queryParams.ts';
import { attachmentRoutes } from './attachments.ts';

export interface CaseRoutesOptions {
  readonly store: EventStore;
  /** Case attachments and archived evidence (see contentStore.ts). */
  readonly content: ContentStore;
  /** Runs the evidence replays, a few at a time, as audits do. */
  readonly runner: AuditRunner;
  readonly slots: AuditSlots;
  readonly now: () => Date;
  readonly config?: CasesConfig;
  /** Upload limit of POST /v1/attachments (default 10 MiB). */
  readonly maxUploadBytes?: number;
  /** Where the case list is kept (see CaseIndexOptions); default in memory, rebuilt at each start. */
  readonly caseReadModel?: CaseReadModel;
  /** County boundaries (API_COUNTIES_FILE): each case's county, and the list's county filter. */
  readonly counties?: CountyLookup;
}

const commandErrors = { 400: errorResponse, 401: errorResponse, 403: errorResponse, 404: errorResponse, 409: errorResponse, 429: errorResponse, 503: errorResponse };

const caseParams = z.object({ id: z.string().regex(caseIdPattern, 'must be a case id such as C-20261203-7K3QX9') });

const attachmentRef = z.object({
  sha256: z.string().meta({ description: 'As answered by POST /v1/attachments' }),
  name: z.string(),
  type: z.string(),
  size: z.number().int(),
});

export const openCaseBody = z.strictObject({
  vehicleId: entityId,
  carrierId: entityId,
  kind: z.string().min(1).max(64).meta({ description: 'A violation kind of the catalogue, e.g. illegal-parking' }),
  violationIds: z.array(z.string().min(1).max(512)).min(1).max(100),
  window: z.strictObject({ from: timestamp, to: timestamp }),
  place: z.strictObject({ lon: z.number().min(-180).max(180), lat: z.number().min(-90).max(90) }).optional().meta({ description: "Where the violation took place (WGS-84): the violation's lon/lat; gives the case its county" }),
});

const assignBody = z.strictObject({ unit: z.string().max(200), officer: z.string().max(200) });

const checkBody = z.strictObject({
  officer: z.string().max(200),
  checkedAt: timestamp,
  place: z.strictObject({ lon: z.number(), lat: z.number(), text: z.string().max(500).optional() }),
  findings: z.string().max(4000),
  attachments: z.array(attachmentRef).max(20).default([]),
});

const noticeBody = z.strictObject({ responseDeadline: timestamp });

const responseBody = z.strictObject({
  response: z.enum(carrierResponses),
  reasons: z.string().max(4000).optional(),
  attachments: z.array(attachmentRef).max(20).default([]),
});

const appealDecisionBody = z.strictObject({ outcome: z.enum(appealOutcomes), reasons: z.string().max(4000) });

const dispositionBody = z.strictObject({
  disposition: z.enum(dispositions),
  legalBasis: z.string().max(2000).optional(),
  amountYuan: z.number().optional(),
  reason: z.string().max(4000).optional(),
  points: z.number().int().optional().meta({ description: 'Instead of the catalogue’s default for the case’s kind; needs pointsReason' }),
  pointsReason: z.string().max(2000).optional(),
});

const reopenBody = z.strictObject({ reason: z.string().max(4000) });

const evidenceBody = z.strictObject({
  from: timestamp.optional().meta({ description: 'Default: the case window’s start (the run must cover the window)' }),
  to: timestamp.optional().meta({ description: 'Default: the case window’s end' }),
  thresholds: thresholdsSchema.optional(),
});

export const casesQuery = z.object({
  status: z.enum(caseStatuses).optional(),
  kind: z.string().max(64).optional(),
  carrier: entityId.optional().meta({ description: 'Only this carrier (a carrier key asking for another carrier gets an empty list)' }),
  vehicle: entityId.optional(),
  county: z.string().regex(/^\d{6}$/, 'must be a six-digit county code (行政区划代码), e.g. 331002').optional().meta({ description: 'Only cases whose violation took place in this county (needs API_COUNTIES_FILE)' }),
  from: queryTimestamp.optional().meta({ description: 'opened at or after (inclusive)' }),
  to: queryTimestamp.optional().meta({ description: 'opened before (exclusive)' }),
  limit: pageLimit(50, 200),
  cursor,
});

/** No run has these: the stand-in evidence of the check made before a replay is started. */
const noEvidence = { inputs: { sha256: '0'.repeat(64), events: 0, firstPosition: null, lastPosition: null }, reportDigest: '0'.repeat(64), archive: { html: '0'.repeat(64), json: '0'.repeat(64), csv: '0'.repeat(64) } };

function viewOf(loaded: LoadedCase, index: CaseIndex): CaseView {
  const last = loaded.events.at(-1);
  if (loaded.state === null || last === undefined) throw new AppError('NOT_FOUND', 'no such case');
  return caseViewOf({ state: loaded.state, revision: last.revision, updatedAt: last.event.occurredAt }, index.countyOf(loaded.state));
}

/**
 * The case routes (issue #17): the bureau opens, assigns and reopens; enforcement freezes evidence,
 * records checks, notifies, decides appeals and disposes; a carrier sees and answers its own cases
 * only (another carrier's is answered 404, like one that does not exist). Every decision is
 * `@dgt/cases`' (see caseAccess.ts for how its refusals are answered), made with the server's time.
 */
export const caseRoutes: FastifyPluginAsyncZod<CaseRoutesOptions> = async (app, options) => {
  const { store, content, runner, slots, now } = options;
  const ledgers = new LedgerRepository(store);
  const cases = new CaseRepository(store, ledgers, { config: options.config ?? defaultCasesConfig });
  const index = new CaseIndex(
    store,
    (error) => app.log.error({ err: error }, 'the case list stopped following the store; restart the API to rebuild it'),
    { ...(options.caseReadModel === undefined ? {} : { readModel: options.caseReadModel }), ...(options.counties === undefined ? {} : { counties: options.counties }) },
  );
  app.addHook('onClose', async () => index.close());

  await app.register(attachmentRoutes, { content, ...(options.maxUploadBytes === undefined ? {} : { maxBytes: options.maxUploadBytes }) });

  /** Records the command and answers the case as it now is, once the list shows it too (read-your-writes). */
  const answer = async (caseId: string, outcome: CaseOutcome): Promise<{ case: CaseView }> => {
    if (!outcome.ok) throw refusalToAppError(outcome.refusal);
    const view = viewOf(outcome.loaded, index);
    await index.seen(caseId, view.revision);
    return { case: view };
  };
  const meta = (principal: Principal) => ({ actor: actorOf(principal), now: now().toISOString() });
  const decide = async (caseId: string, command: CaseCommand) => answer(caseId, await cases.decide(caseId, command));

  app.post('/v1/cases', { config: { roles: ['bureau'] }, schema: { body: openCaseBody, response: { 201: caseResult, ...commandErrors } } }, async (request, reply) => {
    const at = now();
    // A new id for each try: a clash with an existing case (30 random bits a day) is only retried.
    for (let attempt = 0; attempt < 3; attempt++) {
      const caseId = newReadableId('C', at);
      const outcome = await cases.decide(caseId, { type: 'open', caseId, ...request.body, actor: actorOf(request.principal), now: at.toISOString() });
      if (!outcome.ok && outcome.refusal.code === 'case-exists') continue;
      return reply.code(201).send(await answer(caseId, outcome));
    }
    throw new AppError('CONFLICT', 'could not find a free case id; retry');
  });

  app.get('/v1/cases', { config: { roles: readRoles }, schema: { querystring: casesQuery, response: { 200: casesPage, ...readErrors } } }, async (request) => {
    const q = request.query;
    if (q.from !== undefined && q.to !== undefined && Date.parse(q.from) >= Date.parse(q.to)) throw new AppError('VALIDATION_FAILED', 'the request is invalid', [{ path: 'query.from', message: 'must be before to' }]);
    await index.ready;
    const scopeCarrierId = request.principal.role === 'carrier' ? (request.principal.carrierId ?? '') : null;
    try {
      const page = await index.list({ scopeCarrierId, status: q.status, kind: q.kind, carrierId: q.carrier, vehicleId: q.vehicle, county: q.county, from: q.from, to: q.to, limit: q.limit, cursor: q.cursor });
      return { items: page.items.map(caseViewOfRow), nextCursor: page.nextCursor };
    } catch (error) {
      if (isReadModelError(error, 'INVALID_CURSOR')) throw new AppError('VALIDATION_FAILED', 'the request is invalid', [{ path: 'query.cursor', message: 'not a cursor this listing gave out' }]);
      throw error;
    }
  });

  /** The case as the caller may see it: 404 for one that does not exist and for another carrier's. */
  const visible = async (principal: Principal, caseId: string): Promise<LoadedCase> => {
    const loaded = await cases.load(caseId);
    if (loaded.state === null || !maySee(principal, loaded.state.carrierId)) throw new AppError('NOT_FOUND', 'no such case');
    return loaded;
  };

  app.get('/v1/cases/:id', { config: { roles: readRoles }, schema: { params: caseParams, response: { 200: caseDetail, ...readErrors } } }, async (request) => {
    const loaded = await visible(request.principal, request.params.id);
    return { case: viewOf(loaded, index), history: loaded.events.map(historyRowOf) };
  });

  const route = { params: caseParams, response: { 200: caseResult, ...commandErrors } };

  app.post('/v1/cases/:id/assign', { config: { roles: ['bureau'] }, schema: { ...route, body: assignBody } }, async (request) =>
    decide(request.params.id, { type: 'assign', ...request.body, ...meta(request.principal) }),
  );

  app.post('/v1/cases/:id/checks', { config: { roles: ['enforcement'] }, schema: { ...route, body: checkBody } }, async (request) => {
    await checkUploaded(content, request.body.attachments);
    return decide(request.params.id, { type: 'recordOnSiteCheck', ...request.body, ...meta(request.principal) });
  });

  app.post('/v1/cases/:id/notice', { config: { roles: ['enforcement'] }, schema: { ...route, body: noticeBody } }, async (request) =>
    decide(request.params.id, { type: 'notifyCarrier', ...request.body, ...meta(request.principal) }),
  );

  app.post('/v1/cases/:id/response', { config: { roles: ['carrier'] }, schema: { ...route, body: responseBody } }, async (request) => {
    const { reasons, ...rest } = request.body;
    // Whose case it is comes first (404), then whether its files exist.
    await visible(request.principal, request.params.id);
    await checkUploaded(content, rest.attachments);
    return decide(request.params.id, { type: 'respond', ...rest, ...(reasons === undefined ? {} : { reasons }), ...meta(request.principal) });
  });

  app.post('/v1/cases/:id/appeal-decision', { config: { roles: ['enforcement'] }, schema: { ...route, body: appealDecisionBody } }, async (request) =>
    decide(request.params.id, { type: 'decideAppeal', ...request.body, ...meta(request.principal) }),
  );

  app.post('/v1/cases/:id/disposition', { config: { roles: ['enforcement'] }, schema: { ...route, body: dispositionBody } }, async (request) => {
    const b = request.body;
    return decide(request.params.id, {
      type: 'dispose',
      disposition: b.disposition,
      ...(b.legalBasis === undefined ? {} : { legalBasis: b.legalBasis }),
      ...(b.amountYuan === undefined ? {} : { amountYuan: b.amountYuan }),
      ...(b.reason === undefined ? {} : { reason: b.reason }),
      ...(b.points === undefined ? {} : { points: b.points }),
      ...(b.pointsReason === undefined ? {} : { pointsReason: b.pointsReason }),
      ...meta(request.principal),
    });
  });

  app.post('/v1/cases/:id/reopen', { config: { roles: ['bureau'] }, schema: { ...route, body: reopenBody } }, async (request) =>
    decide(request.params.id, { type: 'reopen', ...request.body, ...meta(request.principal) }),
  );

  /**
   * 固定证据: replays the case's vehicle over the case window (or the wider window asked for) as an
   * audit does, records the run in the audit trail, archives its report (HTML, JSON, CSV)
   * content-addressed, and freezes the run as the case's evidence.
   */
  app.post('/v1/cases/:id/evidence', { config: { roles: ['enforcement'] }, schema: { ...route, body: evidenceBody } }, async (request) => {
    const caseId = request.params.id;
    const { state } = await visible(request.principal, caseId);
    if (state === null) throw new AppError('NOT_FOUND', 'no such case');
    const from = request.body.from ?? state.window.from;
    const to = request.body.to ?? state.window.to;
    const selection = { vehicleIds: [state.vehicleId], from, to };
    // Refused before the replay (not assigned, evidence locked, disposed …): a refusal costs nothing.
    const dry = await cases.dryRun(caseId, { type: 'freezeEvidence', selection, thresholds: {}, ...noEvidence, ...meta(request.principal) });
    if (!dry.ok) throw refusalToAppError(dry.refusal);

    const ranAt = now();
    // Pinned to what the store holds now, so the frozen run can be reproduced whatever arrives later.
    const head = await store.headPosition();
    const recordedUpTo = head === null ? {} : { recordedUpTo: head as string };
    let job: AuditJob;
    try {
      job = { selection: normaliseSelection({ vehicles: [state.vehicleId], from, to, ...recordedUpTo }), thresholds: thresholdsSchema.parse(request.body.thresholds ?? {}), asOf: null, verify: false, operator: request.principal.keyId, ranAt: ranAt.toISOString() };
    } catch (error) {
      if (error instanceof ReplayError) throw new AppError('VALIDATION_FAILED', error.message);
      throw error;
    }
    const release = await slots.acquire();
    let outcome: AuditOutcome;
    try {
      outcome = await runner.run(job);
    } catch (error) {
      if (error instanceof ReplayError) throw new AppError('VALIDATION_FAILED', error.message);
      throw error;
    } finally {
      release();
    }
    const auditId = await recordAudit(store, { actor: { kind: 'apiKey', id: request.principal.keyId }, source: 'store', report: outcome.audited, reportSha256: outcome.reportSha256, ranAt });
    const [html, json, csv] = await Promise.all([content.put(outcome.html, 'text/html'), content.put(outcome.reportFile, 'application/json'), content.put(outcome.csv, 'text/csv')]);
    return decide(caseId, {
      type: 'freezeEvidence',
      selection: { vehicleIds: job.selection.vehicles, from, to, ...recordedUpTo },
      thresholds: { ...outcome.audited.thresholds },
      inputs: outcome.audited.digest,
      reportDigest: outcome.reportSha256,
      archive: { html: html.sha256, json: json.sha256, csv: csv.sha256 },
      auditId,
      ...meta(request.principal),
    });
  });

  app.get(
    '/v1/cases/:id/attachments/:sha256',
    { config: { roles: readRoles }, schema: { params: caseParams.extend({ sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be a SHA-256: 64 lowercase hex characters') }), response: { 200: z.string(), ...readErrors } } },
    async (request, reply) => {
      const { events } = await visible(request.principal, request.params.id);
      const cited = citedFile(events, request.params.sha256);
      const bytes = cited === undefined ? undefined : await content.get(request.params.sha256);
      if (cited === undefined || bytes === undefined) throw new AppError('NOT_FOUND', 'the case cites no such file');
      return sendCitedFile(reply, cited, bytes);
    },
  );
};
