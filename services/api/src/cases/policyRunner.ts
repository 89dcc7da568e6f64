import { createHash } from 'node:crypto';
import { type CaseCommand, type CasePolicy, type PolicyOpening, PolicyWatch, type PolicyWatchEvent, type Refusal } from '@dgt/cases';
import { clockEventTypes, detectionEventTypes, epochMs } from '@dgt/events';
import type { EventStore } from '@dgt/eventstore';
import { ownerAt, type VehicleRegistration } from '@dgt/readmodels';
import { followRecord } from './recordFollower.ts';

/**
 * The auto-open policy's runner (立案 by policy): follows the record's detections and clock from
 * the beginning, asks `PolicyWatch` which violations open a case, and opens each as the `system`
 * actor. The case id derives from the violation (`P-` + 20 hex of the SHA-256 of its id), so a
 * restart, a second API instance or a re-run over the same record asks for the same cases and
 * the store keeps one of each (`case-exists` is the expected answer then, not an error).
 *
 * The carrier is the waybill's the detection names, else the vehicle's registered owner when the
 * violation began; a violation of an unregistered vehicle with no waybill has no one to notify
 * and is skipped (counted, logged).
 */
export interface CasePolicyRunnerOptions {
  readonly store: EventStore;
  readonly policy: CasePolicy;
  readonly registration: (vehicleId: string) => Promise<VehicleRegistration | undefined>;
  /** Decides and records a case command (the case repository's `decide`). */
  readonly decide: (caseId: string, command: CaseCommand) => Promise<{ ok: true } | { ok: false; refusal: Refusal }>;
  /** Server time recorded in `CaseOpened` (the decision's time, not the violation's). */
  readonly now: () => Date;
  readonly principal?: string;
  readonly onError?: (error: unknown) => void;
  readonly onSkipped?: (opening: PolicyOpening, reason: string) => void;
}

export interface CasePolicyRunner {
  /** Cases this runner opened, and openings it found already recorded (by an earlier run or another instance). */
  readonly stats: { opened: number; alreadyOpen: number; skipped: number; refused: number };
  /** Resolves once every event recorded so far has been looked at (tests, start-up logs). */
  caughtUp(): Promise<void>;
  stop(): Promise<void>;
}

export function policyCaseId(violationId: string): string {
  return `P-${createHash('sha256').update(violationId).digest('hex').slice(0, 20)}`;
}

export function startCasePolicyRunner(options: CasePolicyRunnerOptions): CasePolicyRunner {
  const { store, policy, decide, now } = options;
  const principal = options.principal ?? 'case-policy';
  const watch = new PolicyWatch(policy);
  const stats = { opened: 0, alreadyOpen: 0, skipped: 0, refused: 0 };
  const open = async (o: PolicyOpening): Promise<void> => {
    const v = o.occurrence;
    let carrierId = v.carrierId;
    if (carrierId === null) {
      const registration = await options.registration(v.vehicleId);
      carrierId = registration === undefined ? null : ownerAt(registration, epochMs(v.since));
    }
    if (carrierId === null) {
      stats.skipped++;
      options.onSkipped?.(o, 'no waybill names a carrier and the vehicle is not registered');
      return;
    }
    const caseId = policyCaseId(v.id);
    const result = await decide(caseId, {
      type: 'open',
      caseId,
      carrierId,
      vehicleId: v.vehicleId,
      kind: v.kind,
      violationIds: [v.id],
      window: { from: v.since, to: v.endedAt ?? o.asOf },
      policy: o.rule,
      // Where it took place: the stop's anchor, or the fix that raised it.
      ...(v.lon !== null && v.lat !== null ? { place: { lon: v.lon, lat: v.lat } } : {}),
      actor: { principal, role: 'system' },
      now: now().toISOString(),
    });
    if (result.ok) stats.opened++;
    else if (result.refusal.code === 'case-exists') stats.alreadyOpen++;
    else {
      stats.refused++;
      options.onSkipped?.(o, `${result.refusal.code}: ${result.refusal.message}`);
    }
  };

  const follower = followRecord(
    store,
    [...detectionEventTypes, ...clockEventTypes],
    async (r) => {
      for (const opening of watch.apply(r.event as unknown as PolicyWatchEvent)) {
        try {
          await open(opening);
        } catch (error) {
          // A store hiccup loses no case for good: the next start re-reads the record and asks again.
          options.onError?.(error);
        }
      }
    },
    options.onError,
  );
  return { stats, caughtUp: () => follower.caughtUp(), stop: () => follower.stop() };
}
