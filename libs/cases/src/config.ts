import { z } from 'zod';
import { standingThresholdsSchema } from './standing.ts';

/** How points are kept: how long they count, and where standing turns yellow and red. */
export const casesConfigSchema = z.strictObject({
  /** Calendar months (Beijing) a recorded entry counts from the disposal that recorded it. */
  pointsValidityMonths: z.number().int('must be a whole number of months').min(1).max(120).default(12),
  standing: standingThresholdsSchema.default({ yellow: 6, red: 12 }),
});

export type CasesConfig = z.output<typeof casesConfigSchema>;
export type CasesConfigInput = z.input<typeof casesConfigSchema>;

export const defaultCasesConfig: CasesConfig = Object.freeze(casesConfigSchema.parse({}));

export class CasesConfigError extends Error {
  readonly code = 'CASES_CONFIG_INVALID';
  constructor(message: string) {
    super(message);
    this.name = 'CasesConfigError';
  }
}

/** Fills in the defaults; refuses an unknown key or a value out of range, naming its path. */
export function resolveCasesConfig(input: unknown = {}): CasesConfig {
  const result = casesConfigSchema.safeParse(input ?? {});
  if (!result.success) throw new CasesConfigError(result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; '));
  return Object.freeze(result.data);
}
