import { violationKinds } from '@dgt/detection';
import { epochMs, isoUtc } from '@dgt/events';
import { z } from 'zod';
import { ReadModelError } from './errors.ts';
import type { ViolationKind, ViolationView } from './views.ts';

/*
 * Carrier compliance, a pure function of the carrier's violations and a `now` passed in (the
 * API's injected clock): no clock, no I/O, so the same inputs always give the same verdict.
 * Violations only, as the catalogue defines them: advisories (segment passages) never count.
 */

export const complianceRulesSchema = z
  .object({
    /** Length of the look-back window, in days, ending at `now`. */
    windowDays: z.number().int().positive(),
    /** Violations started in the window at or above which the carrier is non-compliant. */
    nonCompliantAtOrAbove: z.number().int().positive(),
    /** Violations started in the window at or above which (and below the line above) it gets a warning. */
    warningAtOrAbove: z.number().int().positive(),
    /** Any violation still open makes the carrier non-compliant, however old. */
    anyOpenIsNonCompliant: z.boolean(),
  })
  .strict()
  .refine((r) => r.warningAtOrAbove <= r.nonCompliantAtOrAbove, { message: 'warningAtOrAbove must not exceed nonCompliantAtOrAbove', path: ['warningAtOrAbove'] });

export type ComplianceRules = z.infer<typeof complianceRulesSchema>;

/** The documented rules (README): non-compliant if anything is open or ≥ 3 in 30 days; warning at 1–2. */
export const defaultComplianceRules: ComplianceRules = Object.freeze(
  complianceRulesSchema.parse({ windowDays: 30, nonCompliantAtOrAbove: 3, warningAtOrAbove: 1, anyOpenIsNonCompliant: true }),
);

/**
 * Rules written before issue 15, when laden segment passages were violations, may name
 * `accident-segment` (say, to count or weigh it). It is no violation kind any more: a file that
 * mentions it is refused with the reason rather than read as if the mention meant something.
 */
function mentionOfSegmentType(value: unknown, path: string): string | null {
  if (value === 'accident-segment') return path || '(rules)';
  if (value === null || typeof value !== 'object') return null;
  for (const [key, inner] of Object.entries(value)) {
    const at = Array.isArray(value) ? `${path}[${key}]` : path ? `${path}.${key}` : key;
    if (key === 'accident-segment') return at;
    const found = mentionOfSegmentType(inner, at);
    if (found !== null) return found;
  }
  return null;
}

/** The defaults with some rules overridden (e.g. from configuration); refuses rules that do not make sense. */
export function resolveComplianceRules(partial: Partial<ComplianceRules> = {}): ComplianceRules {
  const mention = mentionOfSegmentType(partial, '');
  if (mention !== null) {
    throw new ReadModelError(
      'INVALID_ARGUMENT',
      `invalid compliance rules: ${mention} names accident-segment, which is no longer a violation: segment passages are advisories (shown, never counted in compliance); remove it. Violations counted: ${violationKinds.join(', ')}`,
    );
  }
  const result = complianceRulesSchema.safeParse({ ...defaultComplianceRules, ...partial });
  if (!result.success) {
    const issues = result.error.issues.map((i) => `${i.path.join('.') || '(rules)'}: ${i.message}`).join('; ');
    throw new ReadModelError('INVALID_ARGUMENT', `invalid compliance rules: ${issues}`);
  }
  return result.data;
}

export const complianceStatus = z.enum(['compliant', 'warning', 'non-compliant']);
export type ComplianceStatus = z.infer<typeof complianceStatus>;

const countsByKind = z.object(Object.fromEntries(violationKinds.map((k) => [k, z.number().int()])) as Record<ViolationKind, z.ZodNumber>);

/** The API's `GET /v1/carriers/:id/compliance` response. */
export const carrierCompliance = z.object({
  carrierId: z.string(),
  status: complianceStatus,
  /** Why, in words, one line per rule that applied. */
  reasons: z.array(z.string()),
  openViolations: z.number().int(),
  /** Violations started in the window, per kind of the catalogue (every kind present, 0 if none). */
  last30DaysByKind: countsByKind,
  last30DaysTotal: z.number().int(),
  /** Vehicles with a violation open now, sorted. */
  vehiclesInViolation: z.array(z.string()),
  windowFrom: z.string(),
  windowTo: z.string(),
  rules: z.object({
    windowDays: z.number().int(),
    nonCompliantAtOrAbove: z.number().int(),
    warningAtOrAbove: z.number().int(),
    anyOpenIsNonCompliant: z.boolean(),
  }),
});

export type CarrierCompliance = z.infer<typeof carrierCompliance>;

const DAY_MS = 86_400_000;

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function byKindText(counts: Record<ViolationKind, number>): string {
  return violationKinds
    .filter((k) => counts[k] > 0)
    .map((k) => `${k} ×${counts[k]}`)
    .join(', ');
}

const zeroByKind = (): Record<ViolationKind, number> => Object.fromEntries(violationKinds.map((k) => [k, 0])) as Record<ViolationKind, number>;

/** The window a verdict at `now` looks at: [from, to], as instants and as ISO-8601 UTC. */
export function complianceWindow(now: string, rules: ComplianceRules = defaultComplianceRules): { fromMs: number; toMs: number; from: string; to: string } {
  const toMs = epochMs(now);
  if (Number.isNaN(toMs)) throw new ReadModelError('INVALID_ARGUMENT', `now must be an ISO-8601 timestamp, got ${JSON.stringify(now)}`);
  const fromMs = toMs - rules.windowDays * DAY_MS;
  return { fromMs, toMs, from: isoUtc(fromMs), to: isoUtc(toMs) };
}

/**
 * The verdict for one carrier. `violations` may hold more than needed (older ones, other
 * carriers' rows, the same row twice from two queries): only this carrier's rows count, once
 * each. A violation counts in the window when it started at or after `windowFrom`; one dated
 * after `now` (a clock ahead of the API's) counts too, as the most recent of all.
 */
export function assessCompliance(carrierId: string, violations: readonly ViolationView[], now: string, rules: ComplianceRules = defaultComplianceRules): CarrierCompliance {
  const window = complianceWindow(now, rules);
  const seen = new Set<string>();
  const byKind = zeroByKind();
  const openByKind = zeroByKind();
  const vehicles = new Set<string>();
  let open = 0;
  let total = 0;
  for (const v of violations) {
    if (v.carrierId !== carrierId || seen.has(v.violationId)) continue;
    seen.add(v.violationId);
    if (v.status === 'open') {
      open++;
      openByKind[v.kind]++;
      vehicles.add(v.vehicleId);
    }
    const started = epochMs(v.startedAt);
    if (Number.isNaN(started)) throw new ReadModelError('INVALID_ARGUMENT', `violation ${v.violationId} has an unreadable startedAt ${JSON.stringify(v.startedAt)}`);
    if (started >= window.fromMs) {
      total++;
      byKind[v.kind]++;
    }
  }

  const reasons: string[] = [];
  const openNonCompliant = rules.anyOpenIsNonCompliant && open > 0;
  const countNonCompliant = total >= rules.nonCompliantAtOrAbove;
  const inWindow = `in the last ${plural(rules.windowDays, 'day')}`;
  if (openNonCompliant) reasons.push(`${plural(open, 'violation')} open (${byKindText(openByKind)}): any open violation makes a carrier non-compliant`);
  if (countNonCompliant) reasons.push(`${plural(total, 'violation')} ${inWindow} (${byKindText(byKind)}): ${rules.nonCompliantAtOrAbove} or more makes a carrier non-compliant`);
  let status: ComplianceStatus;
  if (openNonCompliant || countNonCompliant) status = 'non-compliant';
  else if (total >= rules.warningAtOrAbove) {
    status = 'warning';
    reasons.push(`${plural(total, 'violation')} ${inWindow} (${byKindText(byKind)}): ${rules.warningAtOrAbove} to ${rules.nonCompliantAtOrAbove - 1} gives a warning`);
  } else {
    status = 'compliant';
    reasons.push(total === 0 && open === 0 ? `no violations ${inWindow} and none open` : `${plural(total, 'violation')} ${inWindow}, below the warning line of ${rules.warningAtOrAbove}`);
  }
  if (!openNonCompliant && open > 0) reasons.push(`${plural(open, 'violation')} open (${byKindText(openByKind)})`);

  return {
    carrierId,
    status,
    reasons,
    openViolations: open,
    last30DaysByKind: byKind,
    last30DaysTotal: total,
    vehiclesInViolation: [...vehicles].sort(),
    windowFrom: window.from,
    windowTo: window.to,
    rules: { ...rules },
  };
}
