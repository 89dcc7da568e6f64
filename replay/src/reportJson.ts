import { stringifyWellFormed } from '@dgt/events';
import type { ReplayReport } from './reportTypes.ts';

/** A copy of `value` with object keys sorted at every level (undefined members dropped). */
export function sorted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sorted);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    const o = value as Record<string, unknown>;
    for (const k of Object.keys(o).sort()) if (o[k] !== undefined) out[k] = sorted(o[k]);
    return out;
  }
  return value;
}

/**
 * `report.json`: keys sorted at every level, two-space indent, one trailing newline, well-formed
 * UTF-8 (a lone surrogate from an event becomes U+FFFD). It holds no clock, path or host, so the
 * same events and thresholds give the same bytes on any machine.
 */
export function renderReportJson(report: ReplayReport): string {
  return stringifyWellFormed(sorted(report), 2) + '\n';
}
