/**
 * Who ran a replay and when: shown in the report's HTML header, never written into report.json
 * (nor digested), so the same events still give the same report.json bytes whoever runs it when.
 */
export interface RunInfo {
  /** A principal: the operator's name (CLI) or the API key id. */
  operator: string;
  /** ISO-8601, from the caller's clock; null when the caller gave none. */
  ranAt: string | null;
}

export const DEFAULT_OPERATOR = 'cli';

export function runInfo(operator: string | undefined, ranAt: string | null | undefined): RunInfo {
  return { operator: operator === undefined || operator.trim() === '' ? DEFAULT_OPERATOR : operator, ranAt: ranAt ?? null };
}
