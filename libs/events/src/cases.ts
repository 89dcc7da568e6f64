import { z } from 'zod';
import { evidenceDigest } from './audit.ts';
import { eventId, identifier, latitude, longitude, timestamp } from './primitives.ts';
import { epochMs } from './time.ts';

/*
 * Case handling (立案 → 固定证据 → 告知 → 陈述申辩/申诉 → 处置) and the carriers' points ledger
 * (记分/销分). The pure decisions live in `@dgt/cases`; these are the facts they record.
 *
 * Streams: a case's events in `case-<caseId>`, a carrier's points in `points-<carrierId>` (see
 * `@dgt/eventstore` streams.ts). Every decision names who made it (`by`: the API key's principal
 * and its role); when is the envelope's `occurredAt`, the server's time passed in with the
 * command, never a time a client chose. Recorded by dgt only: ingest refuses them.
 */

/**
 * Who may appear as a decision's maker. `system` is the auto-open policy's runner (a service, not a
 * person); `admin` may do anything. Carriers' keys name their carrier.
 */
export const caseActorRoles = ['bureau', 'enforcement', 'carrier', 'admin', 'system'] as const;
export type CaseActorRole = (typeof caseActorRoles)[number];

/** The maker of a decision: the principal (API key id, or the policy runner's name) and its role. */
export const decisionMaker = z
  .looseObject({
    principal: identifier,
    role: z.enum(caseActorRoles),
    /** The carrier a carrier's key is confined to; only carriers have one. */
    carrierId: identifier.optional(),
  })
  .superRefine((by, ctx) => {
    if (by.role === 'carrier' && by.carrierId === undefined) ctx.addIssue({ code: 'custom', path: ['carrierId'], message: 'required when role is carrier' });
  });

const blank = /^\s*$/;

/** Epoch ms of a valid timestamp, NaN otherwise (an order check then stays silent: the field's own issue names it). */
function instantMs(iso: string): number {
  return timestamp.safeParse(iso).success ? epochMs(iso) : Number.NaN;
}

/** Free text a person wrote: 1–`max` characters, not only spaces. */
function prose(max: number) {
  return z
    .string()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .refine((s) => s === '' || !blank.test(s), 'must not be blank');
}

export const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'must be a SHA-256: 64 lowercase hex characters');

/**
 * A violation kind of `@dgt/detection`'s catalogue (`illegal-parking`, `restricted-entry`, …).
 * Only its grammar here: which kinds exist is the catalogue's business, and the contract must not
 * depend on the engine.
 */
export const violationKindName = z
  .string()
  .max(64, 'must be at most 64 characters')
  .regex(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/, 'must be a kebab-case violation kind, e.g. "illegal-parking"');

/** Largest file an event may cite; the API's upload limit is configured (and smaller). */
export const MAX_ATTACHMENT_BYTES = 50 * 1024 * 1024;
export const MAX_ATTACHMENTS = 20;

/** A file uploaded with a decision, stored content-addressed: its SHA-256 is its address. */
export const attachment = z.looseObject({
  sha256: sha256Hex,
  /** The uploader's file name, shown and offered on download; never a path. */
  name: z
    .string()
    .min(1, 'must not be empty')
    .max(255, 'must be at most 255 characters')
    .regex(/^[^/\\\p{Cc}]+$/u, 'must be a file name without "/", "\\" or control characters'),
  /** Media type as stored, e.g. `image/jpeg`, `application/pdf`. */
  type: z.string().max(127, 'must be at most 127 characters').regex(/^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/, 'must be a media type like "image/jpeg"'),
  size: z.number().int('must be a whole number of bytes').min(1, 'must not be empty (0 bytes)').max(MAX_ATTACHMENT_BYTES, `must be at most ${MAX_ATTACHMENT_BYTES} bytes`),
});

const attachments = z.array(attachment).max(MAX_ATTACHMENTS, `at most ${MAX_ATTACHMENTS} attachments`);

/** An interval of record time, `from` not after `to`. */
export const timeWindow = z.looseObject({ from: timestamp, to: timestamp }).superRefine((w, ctx) => {
  if (instantMs(w.from) > instantMs(w.to)) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must not be before from' });
});

export const caseOpenedVia = ['officer', 'policy'] as const;

/**
 * A case opened (立案) from one or more violations of one vehicle: by a bureau officer, or by the
 * auto-open policy (`openedBy: 'policy'`, naming the policy's rule).
 */
export const caseOpenedData = z
  .looseObject({
    caseId: identifier,
    carrierId: identifier,
    vehicleId: identifier,
    kind: violationKindName,
    /** Opening detection ids of the violations (occurrence ids). */
    violationIds: z.array(eventId).min(1, 'needs at least one violation').max(100, 'at most 100 violations'),
    /** The record time the case is about: the replay that freezes its evidence covers it. */
    window: timeWindow,
    openedBy: z.enum(caseOpenedVia),
    /** The auto-open rule's name; present exactly when `openedBy` is `policy`. */
    policy: identifier.optional(),
    /**
     * Where the violation took place (WGS-84): its detection's position, a stop's anchor. What the
     * case list's county comes from; absent when unknown (and in cases opened before it).
     */
    place: z.strictObject({ lon: longitude, lat: latitude }).optional(),
    by: decisionMaker,
  })
  .superRefine((c, ctx) => {
    if (c.openedBy === 'policy' && c.policy === undefined) ctx.addIssue({ code: 'custom', path: ['policy'], message: 'required when openedBy is policy (the rule that opened it)' });
    if (c.openedBy === 'officer' && c.policy !== undefined) ctx.addIssue({ code: 'custom', path: ['policy'], message: 'only a case opened by policy names a policy' });
    if (new Set(c.violationIds).size !== c.violationIds.length) ctx.addIssue({ code: 'custom', path: ['violationIds'], message: 'must not repeat a violation' });
  });

/** The case handed to an enforcement unit and officer (re-assignment is another of these). */
export const caseAssignedData = z.looseObject({
  caseId: identifier,
  unit: prose(200),
  officer: prose(200),
  by: decisionMaker,
});

/**
 * The online evidence fixed (固定证据): a replay run over the case's vehicle and window, its report
 * archived content-addressed (immutable). A later freeze supersedes an earlier one until the
 * carrier is notified.
 */
export const evidenceFrozenData = z.looseObject({
  caseId: identifier,
  selection: z
    .looseObject({
      vehicleIds: z.array(identifier).min(1, 'needs at least one vehicle').max(1000, 'at most 1000 vehicles'),
      from: timestamp,
      to: timestamp,
      /**
       * The store's head when the evidence was frozen: the run read only what was recorded up to
       * it, so a re-run (`recordedUpTo` in an audit or `dgt replay --recorded-up-to`) reproduces
       * the report byte for byte even after late fixes arrive. Absent in evidence frozen before it.
       */
      recordedUpTo: z.string().min(1, 'must not be empty').max(64, 'must be at most 64 characters').optional(),
    })
    .superRefine((s, ctx) => {
      if (instantMs(s.from) >= instantMs(s.to)) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must be after from' });
    }),
  /** Every detection threshold the run used (as in the audit record). */
  thresholds: z.record(z.string(), z.number()),
  /** The run's inputs: digest over the canonical NDJSON of every event fed, and the store positions. */
  inputs: evidenceDigest,
  /** SHA-256 of the report's JSON form: what `--verify` reproduces. */
  reportDigest: sha256Hex,
  /** Content addresses of the archived report in its three forms. */
  archive: z.strictObject({ html: sha256Hex, json: sha256Hex, csv: sha256Hex }),
  /** The `AuditReplayRun` recorded for the run, when there is one. */
  auditId: identifier.optional(),
  by: decisionMaker,
});

/** Place of an on-site check: WGS-84, with what the officer wrote (a road and stake, a lot). */
export const checkPlace = z.looseObject({
  lon: longitude,
  lat: latitude,
  text: z.string().max(500, 'must be at most 500 characters').optional(),
});

/** An officer's on-site check (现场检查): when and where, what was found, photos and documents. */
export const onSiteCheckRecordedData = z.looseObject({
  caseId: identifier,
  officer: prose(200),
  /** When the check took place (the officer's account, not after the recording). */
  checkedAt: timestamp,
  place: checkPlace,
  findings: prose(4000),
  attachments,
  by: decisionMaker,
});

/** The carrier told of the case and its evidence (告知), with the time it may respond until. */
export const carrierNotifiedData = z.looseObject({
  caseId: identifier,
  carrierId: identifier,
  responseDeadline: timestamp,
  by: decisionMaker,
});

export const carrierResponses = ['acknowledge', 'appeal'] as const;

/** The carrier's answer (陈述申辩): it acknowledges, or appeals with reasons (申诉). */
export const carrierRespondedData = z
  .looseObject({
    caseId: identifier,
    carrierId: identifier,
    response: z.enum(carrierResponses),
    reasons: prose(4000).optional(),
    attachments,
    by: decisionMaker,
  })
  .superRefine((r, ctx) => {
    if (r.response === 'appeal' && r.reasons === undefined) ctx.addIssue({ code: 'custom', path: ['reasons'], message: 'required for an appeal' });
  });

/**
 * `upheld` (申诉成立): the appeal is accepted, the violation as charged does not stand, and the case
 * can only be dismissed. `rejected` (申诉不成立): the charge stands and the case is disposed as usual.
 */
export const appealOutcomes = ['upheld', 'rejected'] as const;

export const appealDecidedData = z.looseObject({
  caseId: identifier,
  outcome: z.enum(appealOutcomes),
  reasons: prose(4000),
  by: decisionMaker,
});

/** 处罚 (a fine under a legal basis), 警告 (a warning), 不予处罚 (dismissed, with the reason). */
export const dispositions = ['penalised', 'warned', 'dismissed'] as const;

/** Most points one entry or one clearing may carry. */
export const MAX_POINTS = 100;

/** Largest fine an event may record (yuan); the legal basis sets the real bound. */
export const MAX_FINE_YUAN = 10_000_000;

export const caseDisposedData = z
  .looseObject({
    caseId: identifier,
    disposition: z.enum(dispositions),
    /** The provision applied (法律依据), as text; required for penalised. */
    legalBasis: prose(2000).optional(),
    /** The fine in yuan, to the fen; required for penalised, only for penalised. */
    amountYuan: z
      .number()
      .finite()
      .positive('must be more than 0')
      .max(MAX_FINE_YUAN, `must be at most ${MAX_FINE_YUAN}`)
      .refine((y) => Math.abs(y * 100 - Math.round(y * 100)) < 1e-6, 'must be in whole fen (at most 2 decimals)')
      .optional(),
    /** Why nothing is imposed; required for dismissed. */
    reason: prose(4000).optional(),
    /**
     * Points this disposal records in the carrier's ledger (a `PointsRecorded` goes with it to
     * `points-<carrierId>`); absent when it records none.
     */
    points: z.number().int('must be a whole number').min(0).max(MAX_POINTS).optional(),
    /**
     * The ledger entry this disposal records, as its `PointsRecorded` carries it: the case is the
     * source of truth, so an entry lost between the two appends (a crash) is recorded again from here.
     */
    pointsEntry: z.lazy(() => pointsRecordedData).optional(),
    by: decisionMaker,
  })
  .superRefine((d, ctx) => {
    if (d.disposition === 'penalised') {
      if (d.legalBasis === undefined) ctx.addIssue({ code: 'custom', path: ['legalBasis'], message: 'required for a penalised case' });
      if (d.amountYuan === undefined) ctx.addIssue({ code: 'custom', path: ['amountYuan'], message: 'required for a penalised case' });
    } else if (d.amountYuan !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['amountYuan'], message: `only a penalised case carries an amount (this one is ${d.disposition})` });
    }
    if (d.disposition === 'dismissed' && d.reason === undefined) ctx.addIssue({ code: 'custom', path: ['reason'], message: 'required for a dismissed case' });
  });

/** A disposed case taken up again (review, new facts): it needs a new disposal. */
export const caseReopenedData = z.looseObject({
  caseId: identifier,
  reason: prose(4000),
  by: decisionMaker,
});

/**
 * Points recorded against a carrier (记分) by a case's disposal. `points` defaults to the catalogue's
 * `defaultPoints` for the case's kind; any other amount needs `overrideReason`. A later entry for the
 * same case supersedes this one (a re-disposal after reopening). Live until `expiresAt`.
 */
export const pointsRecordedData = z
  .looseObject({
    carrierId: identifier,
    caseId: identifier,
    /** Unique in the carrier's ledger: `<caseId>:<disposal number>`. */
    entryId: z.string().min(1, 'must not be empty').max(160, 'must be at most 160 characters'),
    kind: violationKindName,
    points: z.number().int('must be a whole number').min(0).max(MAX_POINTS),
    defaultPoints: z.number().int('must be a whole number').min(0).max(MAX_POINTS),
    overrideReason: prose(2000).optional(),
    expiresAt: timestamp,
    by: decisionMaker,
  })
  .superRefine((p, ctx) => {
    if (p.points !== p.defaultPoints && p.overrideReason === undefined) {
      ctx.addIssue({ code: 'custom', path: ['overrideReason'], message: `required when points (${p.points}) differ from the default (${p.defaultPoints})` });
    }
  });

export const correctiveActions = ['training', 'vehicle-change', 'driver-change', 'other'] as const;

/** A carrier's corrective action (整改), submitted for the bureau to verify and clear points against. */
export const correctiveActionSubmittedData = z.looseObject({
  carrierId: identifier,
  actionId: identifier,
  action: z.enum(correctiveActions),
  description: prose(4000),
  attachments,
  by: decisionMaker,
});

/** The bureau verified a corrective action and clears points for it (销分), never more than outstanding. */
export const pointsClearedData = z.looseObject({
  carrierId: identifier,
  actionId: identifier,
  points: z.number().int('must be a whole number').min(1).max(MAX_POINTS),
  by: decisionMaker,
});

export type DecisionMaker = z.infer<typeof decisionMaker>;
export type Attachment = z.infer<typeof attachment>;
export type CaseOpenedData = z.infer<typeof caseOpenedData>;
export type CaseAssignedData = z.infer<typeof caseAssignedData>;
export type EvidenceFrozenData = z.infer<typeof evidenceFrozenData>;
export type OnSiteCheckRecordedData = z.infer<typeof onSiteCheckRecordedData>;
export type CarrierNotifiedData = z.infer<typeof carrierNotifiedData>;
export type CarrierRespondedData = z.infer<typeof carrierRespondedData>;
export type AppealDecidedData = z.infer<typeof appealDecidedData>;
export type CaseDisposedData = z.infer<typeof caseDisposedData>;
export type CaseReopenedData = z.infer<typeof caseReopenedData>;
export type PointsRecordedData = z.infer<typeof pointsRecordedData>;
export type CorrectiveActionSubmittedData = z.infer<typeof correctiveActionSubmittedData>;
export type PointsClearedData = z.infer<typeof pointsClearedData>;
export type Disposition = (typeof dispositions)[number];
export type AppealOutcome = (typeof appealOutcomes)[number];
export type CarrierResponse = (typeof carrierResponses)[number];
export type CorrectiveAction = (typeof correctiveActions)[number];
