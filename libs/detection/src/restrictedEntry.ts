import type { DetectionConfig } from './config.ts';
import type { Consignment } from './consignmentLifecycle.ts';
import type { Fix } from './fix.ts';
import type { CompiledRules } from './zoneRules.ts';
import { beijingMsOfDay, inWindow } from './beijingTime.ts';

export type RestrictedRule = 'laden-banned' | 'banned-hours';

/** A restricted entry in progress (禁行区闯入), and how many consecutive fixes have been outside its zone. */
export interface RestrictedEntry {
  zoneId: string;
  /** Time of the fix (or interpolated moment) it started at. */
  startedAt: string;
  startedMs: number;
  outside: number;
  firstOutside: Fix | null;
}

export interface RestrictedStep {
  entries: readonly RestrictedEntry[];
  started: readonly { zoneId: string; rule: RestrictedRule }[];
  /** `at` is the fix it ended at: the first of the fixes outside, or the inside fix where the rule stopped holding. */
  ended: readonly { entry: RestrictedEntry; at: Fix }[];
}

const none: readonly never[] = Object.freeze([]);

/** A class without a division covers its divisions: a ban on "2" covers "2.1"; a ban on "2.1" does not cover "2.2". */
function covers(banned: string, carried: string): boolean {
  return banned === carried || (carried.length > banned.length && carried.startsWith(banned) && carried.charCodeAt(banned.length) === 46 && !banned.includes('.'));
}

function carriesBannedClass(load: Consignment, classes: readonly string[] | null): boolean {
  if (classes === null) return true;
  for (const item of load.goods) for (const banned of classes) if (covers(banned, item.hazardClass)) return true;
  return false;
}

/**
 * The rule a vehicle breaks by being inside a zone at `ms`, or null. Only laden vehicles are
 * banned (between LoadingCompleted and UnloadingCompleted), only with the listed classes if the zone
 * lists any, and for banned hours only inside a window in Beijing time. `ladenBanned` wins.
 */
export function brokenRule(rules: CompiledRules | null, load: Consignment | undefined, ms: number): RestrictedRule | null {
  if (rules === null || load === undefined || (!rules.ladenBanned && rules.windows.length === 0)) return null;
  if (!carriesBannedClass(load, rules.hazardClasses)) return null;
  if (rules.ladenBanned) return 'laden-banned';
  const t = beijingMsOfDay(ms);
  const w = rules.windows;
  for (let i = 0; i < w.length; i += 2) if (inWindow(t, w[i] as number, w[i + 1] as number)) return 'banned-hours';
  return null;
}

/**
 * Restricted entries of one vehicle, evolved by one fix. `zoneIds` are the zones of ruled kinds
 * containing the fix (sorted), `rules[k]` the rule the vehicle breaks in `zoneIds[k]` at this fix.
 * - An entry starts at the first inside fix where a rule is broken — also when the vehicle was
 *   already inside, before a window opened or before it was loaded.
 * - It ends at the first inside fix where no rule is broken any more (the window is over, the
 *   vehicle was unloaded, the zone was re-designated without the ban), or when the vehicle leaves,
 *   exactly as a segment exit: `segmentExitFixes` consecutive fixes outside, dated at the first.
 */
export function evolveRestricted(
  entries: readonly RestrictedEntry[],
  zoneIds: readonly string[],
  rules: readonly (RestrictedRule | null)[],
  fix: Fix,
  cfg: DetectionConfig,
): RestrictedStep {
  let broken = false;
  for (let k = 0; k < rules.length; k++) if (rules[k] !== null) broken = true;
  if (entries.length === 0 && !broken) return { entries, started: none, ended: none };
  let started: { zoneId: string; rule: RestrictedRule }[] | null = null;
  let ended: { entry: RestrictedEntry; at: Fix }[] | null = null;
  const next: RestrictedEntry[] = [];
  for (const e of entries) {
    const k = zoneIds.indexOf(e.zoneId);
    if (k >= 0) {
      if (rules[k] !== null) next.push(e.outside === 0 ? e : { ...e, outside: 0, firstOutside: null });
      else (ended ??= []).push({ entry: e, at: fix });
      continue;
    }
    const outside = e.outside + 1;
    const firstOutside = e.firstOutside ?? fix;
    if (outside >= cfg.segmentExitFixes) (ended ??= []).push({ entry: e, at: firstOutside });
    else next.push({ ...e, outside, firstOutside });
  }
  for (let k = 0; k < zoneIds.length; k++) {
    const rule = rules[k] as RestrictedRule | null;
    const zoneId = zoneIds[k] as string;
    if (rule === null || entries.some((e) => e.zoneId === zoneId)) continue;
    (started ??= []).push({ zoneId, rule });
    next.push({ zoneId, startedAt: fix.occurredAt, startedMs: fix.ms, outside: 0, firstOutside: null });
  }
  next.sort((a, b) => (a.zoneId < b.zoneId ? -1 : a.zoneId > b.zoneId ? 1 : 0));
  return { entries: next.length === 0 ? none : next, started: started ?? none, ended: ended ?? none };
}
