import { createHash } from 'node:crypto';
import type { EventOf } from '@dgt/events';
import { driverMessageEventId, epochMs } from '@dgt/events';
import { driverMessagesStream, type EventStore } from '@dgt/eventstore';
import type { ZoneView } from '@dgt/readmodels';
import { followRecord } from '../cases/recordFollower.ts';
import { nearestLot } from './nearestLot.ts';
import type { DriverMessagePolicy } from './policyConfig.ts';
import { nearestLotText } from './policyConfig.ts';
import type { DriverMessageRequests } from './requestPublisher.ts';

/** The principal a policy's requests are made by. */
export const driverMessagePolicyPrincipal = 'driver-message-policy';

/**
 * The message id of the policy's message for one detection: `dm-p-` + 20 hex of the SHA-256 of
 * the detection's event id. A restart, or a second API instance, asks for the same id, and the
 * record keeps one request; the gateways send each id once.
 */
export function policyMessageId(detectionEventId: string): string {
  return `dm-p-${createHash('sha256').update(detectionEventId).digest('hex').slice(0, 20)}`;
}

export type PolicySkip = 'stale' | 'no-lot' | 'already-requested';

export interface DriverMessagePolicyRunnerOptions {
  readonly store: EventStore;
  readonly zones: () => Promise<readonly ZoneView[]>;
  readonly policy: DriverMessagePolicy;
  readonly requests: DriverMessageRequests;
  /** Server time: the request's `occurredAt`, and what a detection's age is measured against. */
  readonly now: () => Date;
  readonly onError?: (error: unknown) => void;
  readonly onSkipped?: (detectionId: string, reason: PolicySkip) => void;
}

export interface DriverMessagePolicyRunner {
  readonly stats: { requested: number } & Record<PolicySkip, number>;
  caughtUp(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Follows the record's `IllegalParkingStarted` (from its beginning, then live) and asks for one
 * message per detection: the nearest dedicated lot and its distance from where the vehicle
 * stopped. Detections older than `maxAgeMs` (the backlog read at each start) are passed over,
 * and a request already recorded for the detection is not made again.
 */
export function startDriverMessagePolicy(o: DriverMessagePolicyRunnerOptions): DriverMessagePolicyRunner {
  const stats = { requested: 0, stale: 0, 'no-lot': 0, 'already-requested': 0 };
  // Requests this runner published but the recorder may not have recorded yet.
  const published = new Set<string>();
  const skip = (detectionId: string, reason: PolicySkip) => {
    stats[reason]++;
    o.onSkipped?.(detectionId, reason);
  };
  const alreadyRecorded = async (vehicleId: string, messageId: string): Promise<boolean> => {
    const id = driverMessageEventId(messageId, 'requested');
    for await (const r of o.store.readStream(driverMessagesStream(vehicleId))) if (r.event.eventId === id) return true;
    return false;
  };
  const follower = followRecord(
    o.store,
    ['IllegalParkingStarted'],
    async (r) => {
      const detection = r.event as unknown as EventOf<'IllegalParkingStarted'>;
      const now = o.now();
      if (now.getTime() - epochMs(detection.occurredAt) > o.policy.maxAgeMs) return skip(detection.eventId, 'stale');
      const { vehicleId, lon, lat } = detection.data;
      const messageId = policyMessageId(detection.eventId);
      if (published.has(messageId) || (await alreadyRecorded(vehicleId, messageId))) return skip(detection.eventId, 'already-requested');
      const lot = nearestLot(await o.zones(), lon, lat);
      if (lot === undefined) return skip(detection.eventId, 'no-lot');
      await o.requests.publish(
        {
          messageId,
          vehicleId,
          text: nearestLotText(o.policy.template, lot.name, lot.distanceM),
          display: true,
          tts: o.policy.tts,
          emergency: false,
          by: driverMessagePolicyPrincipal,
          reason: 'policy',
          policyRule: o.policy.rule,
          detectionId: detection.eventId,
        },
        now,
      );
      published.add(messageId);
      stats.requested++;
    },
    o.onError,
  );
  return { stats, caughtUp: () => follower.caughtUp(), stop: () => follower.stop() };
}
