import { classifyDetection, closeOccurrence, closes, type Occurrence, openOccurrence } from '@dgt/detection';
import type { DetectionEvent, EventOf } from '@dgt/events';
import { instantMs } from './instants.ts';
import { type CasePolicy, policyOpens } from './policy.ts';

/*
 * The auto-open policy over the record: fed the detections and the record's clock in the order
 * they were recorded, it says which violation opens a case, and when — once per violation. A
 * restricted entry opens at its start; an illegal parking once it has lasted the rule's minimum,
 * which the record's time tells (a later detection or a ClockTicked), or at its end if it ended
 * sooner than that and still qualifies. Pure: the same events give the same openings, so a runner
 * restarted from the beginning of the record asks for the same cases again (and the store, given
 * deterministic case ids, records each once).
 */

/** A violation the policy opens a case for, and the record time at which it qualified. */
export interface PolicyOpening {
  readonly occurrence: Occurrence;
  /** The policy rule that matched (`CaseOpened.policy`). */
  readonly rule: string;
  /** The record's time when it qualified: the case's window ends here for a violation still going on. */
  readonly asOf: string;
}

export type PolicyWatchEvent = DetectionEvent | EventOf<'ClockTicked'>;

export class PolicyWatch {
  readonly #policy: CasePolicy;
  /** Kinds some rule names: the only ones worth tracking. */
  readonly #kinds: ReadonlySet<string>;
  /** Violations still open that no rule has matched yet, per vehicle. */
  readonly #pending = new Map<string, Occurrence[]>();
  #pendingCount = 0;
  #recordMs = Number.NEGATIVE_INFINITY;
  #recordAt = '';

  constructor(policy: CasePolicy) {
    this.#policy = policy;
    this.#kinds = new Set(policy.rules.map((r) => r.kind));
  }

  /** Violations being watched (open, not yet matched). */
  get watching(): number {
    return this.#pendingCount;
  }

  apply(event: PolicyWatchEvent): PolicyOpening[] {
    const out: PolicyOpening[] = [];
    if (event.type === 'ClockTicked') {
      this.#advance(event.data.at);
    } else {
      this.#advance(event.occurredAt);
      this.#detection(event, out);
    }
    // Time has moved on: a parking may have lasted long enough now.
    if (this.#pendingCount > 0) this.#recheck(out);
    return out;
  }

  #advance(at: string): void {
    const ms = instantMs(at);
    // The record's clock never goes back: a late detection does not rewind it.
    if (ms > this.#recordMs) {
      this.#recordMs = ms;
      this.#recordAt = at;
    }
  }

  #detection(d: DetectionEvent, out: PolicyOpening[]): void {
    const c = classifyDetection(d);
    if (c.category !== 'violation' || !this.#kinds.has(c.kind)) return;
    if (c.opens) {
      const o = openOccurrence(d, null);
      const verdict = policyOpens(this.#policy, o, this.#recordAt);
      if (verdict.opens) {
        out.push({ occurrence: o, rule: verdict.rule, asOf: this.#recordAt });
        return;
      }
      const list = this.#pending.get(o.vehicleId);
      if (list === undefined) this.#pending.set(o.vehicleId, [o]);
      else list.push(o);
      this.#pendingCount++;
      return;
    }
    const list = this.#pending.get(d.data.vehicleId);
    const i = list?.findIndex((o) => closes(o, d)) ?? -1;
    if (list === undefined || i < 0) return;
    const closed = closeOccurrence(list[i]!, d);
    list.splice(i, 1);
    this.#pendingCount--;
    if (list.length === 0) this.#pending.delete(d.data.vehicleId);
    const verdict = policyOpens(this.#policy, closed, this.#recordAt);
    if (verdict.opens) out.push({ occurrence: closed, rule: verdict.rule, asOf: closed.endedAt ?? this.#recordAt });
  }

  #recheck(out: PolicyOpening[]): void {
    // Vehicles in id order, then in the order their violations opened: the same events, the same order out.
    for (const vehicleId of [...this.#pending.keys()].sort()) {
      const list = this.#pending.get(vehicleId)!;
      for (let i = 0; i < list.length; ) {
        const verdict = policyOpens(this.#policy, list[i]!, this.#recordAt);
        if (!verdict.opens) {
          i++;
          continue;
        }
        out.push({ occurrence: list[i]!, rule: verdict.rule, asOf: this.#recordAt });
        list.splice(i, 1);
        this.#pendingCount--;
      }
      if (list.length === 0) this.#pending.delete(vehicleId);
    }
  }
}
