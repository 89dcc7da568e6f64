import { type Occurrence, violationKinds } from '@dgt/detection';
import { restrictedEntryRules } from '@dgt/events';
import { z } from 'zod';
import { instantMs } from './instants.ts';

/*
 * The auto-open policy: which violations open a case without an officer (issue #17: every illegal
 * parking of 30 minutes or more, every restricted entry). One validated config; the runner (a
 * service holding the `system` role) asks `policyOpens` for each violation as it opens, lasts and
 * closes, and opens a case naming the rule that matched.
 */

export const casePolicyRuleSchema = z.strictObject({
  /** Recorded in `CaseOpened.policy`: lower-case letters, digits and dashes. */
  name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'must be 1–64 lower-case letters, digits or "-", e.g. "parking-30min"'),
  kind: z.enum(violationKinds),
  /** The violation must have lasted this long (seconds); an ongoing one counts up to the time asked. */
  minDurationS: z.number().int('must be a whole number of seconds').min(0).max(7 * 86_400).optional(),
  /** restricted-entry only: the bans that count (absent: both). */
  restrictedRules: z.array(z.enum(restrictedEntryRules)).min(1, 'needs at least one rule (omit it for every rule)').optional(),
});

const defaultRules: z.input<typeof casePolicyRuleSchema>[] = [
  { name: 'parking-30min', kind: 'illegal-parking', minDurationS: 1_800 },
  { name: 'restricted-entry', kind: 'restricted-entry' },
];

export const casePolicySchema = z
  .strictObject({
    /** Tried in order; the first that matches names the case's policy. Empty: nothing opens by itself. */
    rules: z.array(casePolicyRuleSchema).max(50, 'at most 50 rules').default(defaultRules),
  })
  .superRefine((p, ctx) => {
    const seen = new Set<string>();
    p.rules.forEach((r, i) => {
      if (seen.has(r.name)) ctx.addIssue({ code: 'custom', path: ['rules', i, 'name'], message: `"${r.name}" names two rules` });
      seen.add(r.name);
      if (r.restrictedRules !== undefined && r.kind !== 'restricted-entry') {
        ctx.addIssue({ code: 'custom', path: ['rules', i, 'restrictedRules'], message: `only a restricted-entry rule names restricted rules (this one is ${r.kind})` });
      }
    });
  });

export type CasePolicy = z.output<typeof casePolicySchema>;
export type CasePolicyRule = z.output<typeof casePolicyRuleSchema>;

export const defaultCasePolicy: CasePolicy = Object.freeze(casePolicySchema.parse({}));

export class CasePolicyError extends Error {
  readonly code = 'CASE_POLICY_INVALID';
  constructor(message: string) {
    super(message);
    this.name = 'CasePolicyError';
  }
}

/** The policy from its configuration (defaults filled in); an unknown key or a bad value names its path. */
export function resolveCasePolicy(input: unknown = {}): CasePolicy {
  const result = casePolicySchema.safeParse(input ?? {});
  if (!result.success) throw new CasePolicyError(result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; '));
  return result.data;
}

/** What the policy reads of a violation: an `Occurrence` as the projector and replay build it. */
export type PolicyViolation = Pick<Occurrence, 'kind' | 'category' | 'rule' | 'since' | 'endedAt' | 'durationS'>;

export type PolicyVerdict = { readonly opens: true; readonly rule: string } | { readonly opens: false };

const no: PolicyVerdict = Object.freeze({ opens: false });

/**
 * Whether `violation` opens a case under `policy`, as of `asOf` (the record time the runner has
 * reached: an ongoing violation has lasted from its `since` until then). Advisories never do.
 */
export function policyOpens(policy: CasePolicy, violation: PolicyViolation, asOf: string): PolicyVerdict {
  if (violation.category !== 'violation') return no;
  const lastedS = durationS(violation, asOf);
  for (const rule of policy.rules) {
    if (rule.kind !== violation.kind) continue;
    if (rule.restrictedRules !== undefined && !(rule.restrictedRules as readonly string[]).includes(violation.rule ?? '')) continue;
    if (rule.minDurationS !== undefined && !(lastedS >= rule.minDurationS)) continue;
    return { opens: true, rule: rule.name };
  }
  return no;
}

/** How long it lasted: until it ended, or (ongoing) until `asOf`. NaN when unknown, which meets no minimum. */
function durationS(v: PolicyViolation, asOf: string): number {
  if (v.endedAt !== null) return v.durationS ?? (instantMs(v.endedAt) - instantMs(v.since)) / 1000;
  return (instantMs(asOf) - instantMs(v.since)) / 1000;
}
