import type { EventType } from './catalog.ts';

/**
 * `upcasters[type][v]` turns the `data` of version `v` into version `v + 1`.
 * Stored events are never rewritten; old versions are lifted when they are read.
 */
export type Upcaster = (data: Record<string, unknown>) => Record<string, unknown>;
export type UpcasterRegistry = Partial<Record<EventType, Record<number, Upcaster>>>;

export const upcasters: UpcasterRegistry = {};

/** Lifts `data` from version `from` to `to`, or says which step is missing. */
export function upcast(
  type: EventType,
  data: Record<string, unknown>,
  from: number,
  to: number,
  registry: UpcasterRegistry = upcasters,
): { ok: true; data: Record<string, unknown> } | { ok: false; missing: number } {
  let current = data;
  for (let v = from; v < to; v++) {
    const step = registry[type]?.[v];
    if (!step) return { ok: false, missing: v };
    current = step(current);
  }
  return { ok: true, data: current };
}
