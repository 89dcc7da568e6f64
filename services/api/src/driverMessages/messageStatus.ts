import type { DriverMessageEvent, DriverMessageUndeliverableReason } from '@dgt/events';
import { driverMessageUndeliverableReasons, epochMs } from '@dgt/events';
import { z } from 'zod';

export const driverMessageStatuses = ['requested', 'sent', 'delivered', 'undeliverable'] as const;

/** One message to a driver as the desk lists it: what was asked, and where it stands. */
export const driverMessageView = z.object({
  messageId: z.string(),
  vehicleId: z.string(),
  text: z.string(),
  display: z.boolean(),
  tts: z.boolean(),
  emergency: z.boolean(),
  reason: z.enum(['officer', 'policy']),
  by: z.string(),
  policyRule: z.string().nullable(),
  detectionId: z.string().nullable(),
  requestedAt: z.string(),
  status: z.enum(driverMessageStatuses),
  /** When the status was reached (the request's time while `requested`). */
  statusAt: z.string(),
  sentAt: z.string().nullable(),
  deliveredAt: z.string().nullable(),
  /** Set with `undeliverable`: why, and the terminal's 0x0001 result when it refused. */
  undeliverableReason: z.enum(driverMessageUndeliverableReasons).nullable(),
  terminalResult: z.number().nullable(),
});
export type DriverMessageView = z.infer<typeof driverMessageView>;

interface Acc {
  view: DriverMessageView | undefined;
  sentAt: string | null;
  deliveredAt: string | null;
  /** Refused, no reply or not encodable: the gateway that held the terminal gave up. */
  failed: { at: string; reason: DriverMessageUndeliverableReason; terminalResult: number | null } | null;
  /** A gateway that did not hold the terminal gave up waiting for it. */
  notConnectedAt: string | null;
}

/**
 * The messages of one vehicle, newest request first, from its `driver-messages-<vehicleId>`
 * stream. Where several gateways disagree the most definite word wins: delivered, then a held
 * terminal's failure (refused, no reply), then sent, then not-connected — a gateway that did
 * not hold the terminal saying so does not undo another gateway's send. Outcomes recorded
 * without their request (a request recorded later, or never) are left out.
 */
export function driverMessagesOf(events: readonly DriverMessageEvent[]): DriverMessageView[] {
  const byId = new Map<string, Acc>();
  const acc = (id: string): Acc => {
    let a = byId.get(id);
    if (a === undefined) byId.set(id, (a = { view: undefined, sentAt: null, deliveredAt: null, failed: null, notConnectedAt: null }));
    return a;
  };
  for (const e of events) {
    const a = acc(e.data.messageId);
    switch (e.type) {
      case 'DriverMessageRequested': {
        const d = e.data;
        a.view = {
          messageId: d.messageId,
          vehicleId: d.vehicleId,
          text: d.text,
          display: d.display,
          tts: d.tts,
          emergency: d.emergency,
          reason: d.reason,
          by: d.by,
          policyRule: d.reason === 'policy' ? d.policyRule : null,
          detectionId: d.reason === 'policy' ? d.detectionId : null,
          requestedAt: e.occurredAt,
          status: 'requested',
          statusAt: e.occurredAt,
          sentAt: null,
          deliveredAt: null,
          undeliverableReason: null,
          terminalResult: null,
        };
        break;
      }
      case 'DriverMessageSent':
        a.sentAt ??= e.occurredAt;
        break;
      case 'DriverMessageDelivered':
        a.deliveredAt ??= e.occurredAt;
        break;
      case 'DriverMessageUndeliverable':
        if (e.data.reason === 'not-connected') a.notConnectedAt ??= e.occurredAt;
        else a.failed ??= { at: e.occurredAt, reason: e.data.reason, terminalResult: e.data.terminalResult ?? null };
        break;
      default: {
        const never: never = e;
        throw new Error(`not a driver message event: ${(never as { type: string }).type}`);
      }
    }
  }
  const views: DriverMessageView[] = [];
  for (const a of byId.values()) {
    if (a.view === undefined) continue;
    const v: DriverMessageView = { ...a.view, sentAt: a.sentAt, deliveredAt: a.deliveredAt };
    if (a.deliveredAt !== null) Object.assign(v, { status: 'delivered', statusAt: a.deliveredAt });
    else if (a.failed !== null) Object.assign(v, { status: 'undeliverable', statusAt: a.failed.at, undeliverableReason: a.failed.reason, terminalResult: a.failed.terminalResult });
    else if (a.sentAt !== null) Object.assign(v, { status: 'sent', statusAt: a.sentAt });
    else if (a.notConnectedAt !== null) Object.assign(v, { status: 'undeliverable', statusAt: a.notConnectedAt, undeliverableReason: 'not-connected' });
    views.push(v);
  }
  // Newest first; ties (one request time) by id, so the order never depends on the store.
  return views.sort((x, y) => epochMs(y.requestedAt) - epochMs(x.requestedAt) || x.messageId.localeCompare(y.messageId));
}
