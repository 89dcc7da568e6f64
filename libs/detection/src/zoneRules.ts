import type { ZoneRules } from '@dgt/events';
import { clockMs } from './beijingTime.ts';

/** One zone version's rules, compiled once at designation for the per-fix checks. */
export interface CompiledRules {
  /** The zone's hazmat speed limit; Infinity when it sets none. */
  readonly speedLimitKmh: number;
  readonly ladenBanned: boolean;
  /** Banned windows as flat [from, to) pairs of milliseconds since Beijing midnight. */
  readonly windows: readonly number[];
  /** The classes the bans apply to; null for every class. */
  readonly hazardClasses: readonly string[] | null;
  /** The designation that set these rules, cited as evidence of a restricted entry. */
  readonly eventId: string;
}

/** Null when the rules restrict nothing (an empty object). */
export function compileRules(rules: ZoneRules | undefined, eventId: string): CompiledRules | null {
  if (rules === undefined) return null;
  const windows = (rules.bannedHours ?? []).flatMap((w) => [clockMs(w.from), clockMs(w.to)]);
  const speedLimitKmh = rules.speedLimitKmh ?? Infinity;
  const ladenBanned = rules.ladenBanned === true;
  if (!ladenBanned && windows.length === 0 && speedLimitKmh === Infinity) return null;
  return Object.freeze({
    speedLimitKmh,
    ladenBanned,
    windows: Object.freeze(windows),
    hazardClasses: rules.hazardClasses === undefined ? null : Object.freeze([...rules.hazardClasses]),
    eventId,
  });
}

/**
 * Rules per zone version, keyed by the version's `fromMs`: the zone index decides which version
 * applies at a moment (`activeSince`), so a re-designation changes the rules from its own time on,
 * exactly when it changes the geometry. Only zones that ever had rules are held.
 */
export class ZoneRuleBook {
  private readonly byZone = new Map<string, Map<number, CompiledRules>>();

  /** Records the rules of the version of `zoneId` applying from `fromMs` (replacing any designated at the same time). */
  set(zoneId: string, fromMs: number, rules: CompiledRules | null): void {
    const versions = this.byZone.get(zoneId);
    if (rules === null) versions?.delete(fromMs);
    else if (versions === undefined) this.byZone.set(zoneId, new Map([[fromMs, rules]]));
    else versions.set(fromMs, rules);
  }

  /** Whether the zone has ever had rules (most zones never do: no index lookup needed for them). */
  has(zoneId: string): boolean {
    return this.byZone.has(zoneId);
  }

  get(zoneId: string, fromMs: number): CompiledRules | null {
    return this.byZone.get(zoneId)?.get(fromMs) ?? null;
  }
}
