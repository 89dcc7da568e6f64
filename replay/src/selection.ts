import { epochMs, timestamp } from '@dgt/events';
import { z } from 'zod';
import { ReplayError } from './errors.ts';

const id = z.string().min(1, 'must not be empty').max(128, 'must be at most 128 characters');

/**
 * Hours of history fed before `from` so that what was going on at `from` (a stop, a passage, a
 * restricted entry, an overspeed run) is carried in, as the live engine had it: only what starts
 * at or after `from` is reported. A day covers every stop, passage and run the demo fleet has.
 */
export const DEFAULT_LEAD_IN_HOURS = 24;
/**
 * Hours fed after `to` so that what started in the window and was still going on at `to` is
 * reported with its end, as the live desk lists it: nothing that starts after `to` is reported.
 */
export const DEFAULT_LEAD_OUT_HOURS = 24;
/** A month: beyond that an audit should widen its window instead. */
export const MAX_LEAD_HOURS = 720;

/**
 * What an auditor asks for. Criteria combine as an intersection: `--carrier C --zone Z` is "C's
 * vehicles that had a fix in Z". No criterion selects every vehicle in the window.
 */
export const selectionInput = z.strictObject({
  from: timestamp.optional(),
  to: timestamp.optional(),
  vehicles: z.array(id).max(10_000).optional(),
  carrier: id.optional(),
  waybill: id.optional(),
  zone: id.optional(),
  leadInHours: z.number().int().min(0).max(MAX_LEAD_HOURS).optional(),
  leadOutHours: z.number().int().min(0).max(MAX_LEAD_HOURS).optional(),
  /** A store position (as the store hands it out, e.g. its head when evidence was frozen): only events recorded up to it are read. */
  recordedUpTo: z.string().min(1, 'must not be empty').max(64, 'must be at most 64 characters').optional(),
});
export type SelectionInput = z.input<typeof selectionInput>;

/** A selection in its one canonical form (the form recorded in reports and exports). */
export interface Selection {
  from: string | null;
  to: string | null;
  vehicles: string[];
  carrier: string | null;
  waybill: string | null;
  zone: string | null;
  /** History fed before `from`, reported nowhere (see DEFAULT_LEAD_IN_HOURS); moot without `from`. */
  leadInHours: number;
  /** History fed after `to` to report the ends of what was still open then (see DEFAULT_LEAD_OUT_HOURS); moot without `to`. */
  leadOutHours: number;
  /**
   * Read only what the store held at this position (inclusive): events recorded later — a
   * terminal's buffered fixes uploaded after the evidence was frozen, a late consignment event —
   * change nothing, so a re-run reproduces the frozen report byte for byte. Absent: everything
   * recorded when the run starts (and absent from the report, so reports made before it existed
   * keep their bytes). Store sources only.
   */
  recordedUpTo?: string;
}

const timeHelp = 'ISO-8601 with an offset, e.g. 2026-03-02T08:00:00+08:00';

/** Validates and normalises; bad times are `BAD_TIME`, anything else `BAD_SELECTION`. */
export function normaliseSelection(input: unknown): Selection {
  const parsed = selectionInput.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path.map(String).join('.') ?? '';
    const code = path === 'from' || path === 'to' ? 'BAD_TIME' : 'BAD_SELECTION';
    const detail = code === 'BAD_TIME' ? `${timeHelp}, got ${JSON.stringify((input as Record<string, unknown>)[path])}` : (issue?.message ?? 'invalid');
    throw new ReplayError(code, `${path || 'selection'}: ${detail}`);
  }
  const s = parsed.data;
  if (s.from !== undefined && s.to !== undefined && !(epochMs(s.from) < epochMs(s.to))) {
    throw new ReplayError('BAD_TIME', `from (${s.from}) must be before to (${s.to})`);
  }
  return {
    from: s.from ?? null,
    to: s.to ?? null,
    vehicles: [...new Set(s.vehicles ?? [])].sort(),
    carrier: s.carrier ?? null,
    waybill: s.waybill ?? null,
    zone: s.zone ?? null,
    leadInHours: s.leadInHours ?? DEFAULT_LEAD_IN_HOURS,
    leadOutHours: s.leadOutHours ?? DEFAULT_LEAD_OUT_HOURS,
    ...(s.recordedUpTo !== undefined && { recordedUpTo: s.recordedUpTo }),
  };
}

/** The selection as a short human sentence, for messages and the HTML report. */
export function describeSelection(s: Selection): string {
  const parts: string[] = [];
  if (s.vehicles.length > 0) parts.push(`vehicle ${s.vehicles.join(', ')}`);
  if (s.carrier !== null) parts.push(`carrier ${s.carrier}`);
  if (s.waybill !== null) parts.push(`waybill ${s.waybill}`);
  if (s.zone !== null) parts.push(`zone ${s.zone}`);
  if (parts.length === 0) parts.push('every vehicle');
  parts.push(`from ${s.from ?? 'the beginning'} to ${s.to ?? 'the end'}`);
  if (s.from !== null) parts.push(`${s.leadInHours} h of lead-in`);
  if (s.to !== null) parts.push(`${s.leadOutHours} h of lead-out`);
  if (s.recordedUpTo !== undefined) parts.push(`as recorded up to store position ${s.recordedUpTo}`);
  return parts.join(', ');
}
