import type { AlertAcknowledgedData } from '@dgt/events';
import { alertAcknowledgementsStream, type EventStore, type RecordedEvent } from '@dgt/eventstore';
import { followRecord, type RecordFollower } from '../cases/recordFollower.ts';

/** One acknowledgement as the desk reads it. */
export interface Acknowledgement {
  readonly alertId: string;
  readonly vehicleId: string;
  readonly note: string;
  readonly by: AlertAcknowledgedData['by'];
  /** Server time it was recorded. */
  readonly at: string;
}

export type AcknowledgeOutcome = { readonly ok: true; readonly acknowledgement: Acknowledgement } | { readonly ok: false; readonly existing: Acknowledgement };

/**
 * Which alerts a duty officer has acknowledged (`AlertAcknowledged` in the `alert-acknowledgements`
 * stream), followed from the record so every API process (and every desk polling one) agrees.
 * The event id is derived from the alert id, so the store keeps only the first acknowledgement of
 * an alert, whoever races to record it: the loser is answered with the one that was kept.
 */
export class AcknowledgementBook {
  readonly #byAlert = new Map<string, Acknowledgement>();
  readonly #follower: RecordFollower;

  constructor(
    private readonly store: EventStore,
    onError: (error: unknown) => void,
  ) {
    this.#follower = followRecord(store, ['AlertAcknowledged'], async (r) => this.#fold(r), onError);
  }

  ready(): Promise<void> {
    return this.#follower.caughtUp();
  }

  async acknowledge(data: AlertAcknowledgedData, at: string): Promise<AcknowledgeOutcome> {
    await this.ready();
    const known = this.#byAlert.get(data.alertId);
    if (known !== undefined) return { ok: false, existing: known };
    const event = { eventId: `ack/${data.alertId}`, type: 'AlertAcknowledged', occurredAt: at, data };
    const result = await this.store.append(alertAcknowledgementsStream, [event]);
    if (result.skipped > 0) {
      // Another process recorded it first: answer with the one the store kept.
      const json = (await this.store.recordedJson?.([event.eventId]))?.get(event.eventId);
      const kept = json === undefined ? undefined : ackOf(JSON.parse(json) as { occurredAt: string; data: AlertAcknowledgedData });
      if (kept !== undefined && JSON.stringify(kept) !== JSON.stringify(ackOf(event))) {
        this.#byAlert.set(kept.alertId, kept);
        return { ok: false, existing: kept };
      }
    }
    const ack = ackOf(event);
    this.#byAlert.set(ack.alertId, ack);
    return { ok: true, acknowledgement: ack };
  }

  get(alertId: string): Acknowledgement | undefined {
    return this.#byAlert.get(alertId);
  }

  /** Acknowledgements recorded at or after `sinceMs` (server time), newest first, at most `limit`. */
  since(sinceMs: number, limit: number): Acknowledgement[] {
    const out: Acknowledgement[] = [];
    for (const a of this.#byAlert.values()) if (Date.parse(a.at) >= sinceMs) out.push(a);
    out.sort((a, b) => Date.parse(b.at) - Date.parse(a.at) || (a.alertId < b.alertId ? -1 : 1));
    return out.slice(0, limit);
  }

  stop(): Promise<void> {
    return this.#follower.stop();
  }

  async #fold(r: RecordedEvent): Promise<void> {
    const e = r.event as unknown as { occurredAt: string; data: AlertAcknowledgedData };
    if (!this.#byAlert.has(e.data.alertId)) this.#byAlert.set(e.data.alertId, ackOf(e));
  }
}

function ackOf(e: { occurredAt: string; data: AlertAcknowledgedData }): Acknowledgement {
  return { alertId: e.data.alertId, vehicleId: e.data.vehicleId, note: e.data.note, by: e.data.by, at: e.occurredAt };
}
