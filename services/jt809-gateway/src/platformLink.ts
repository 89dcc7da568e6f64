import { randomBytes } from 'node:crypto';
import type { OutgoingMessage } from '@dgt/bus';
import { receiptTimeVerdict } from '@dgt/events';
import type { AlarmExchange, Jt809Fix, Jt809Header, Jt809Message, Jt809MessageInput, VehicleDynamic } from '@dgt/jt809';
import { encodeFrame } from '@dgt/jt809';
import type { MicroBatchPublisher } from '@dgt/jt808-gateway';
import { eventMessage, platformKey, positionMessage } from './busMessage.ts';
import type { Jt809GatewayConfig } from './gatewayConfig.ts';
import type { Logger } from '@dgt/jt808-gateway';
import type { GatewayMetrics, LinkKind } from './metrics.ts';
import { alarmEvent, checkRegistration, mismatchEvent } from './platformEvents.ts';
import type { PlatformAccount } from './platformAccounts.ts';
import { positionEventFromFix } from './positionEvent.ts';
import type { VehicleGate } from './vehicleAccess.ts';

const MAX_REMEMBERED_MISMATCHES = 10_000;

/** When a chunk of frames arrived, on both clocks. */
export interface Receipt {
  readonly monotonicMs: number;
  readonly receivedMs: number;
  readonly ingestedAt: string;
}

/** One of a platform's two TCP links, as the link logic sees it. */
export interface LinkChannel {
  readonly kind: LinkKind;
  send(frame: Uint8Array): void;
  /** A publish of this link's frame: paces the link and orders its heartbeat replies. */
  track(settled: Promise<void>): void;
  afterPublished(fn: () => void): void;
  /** The bus refused this link's data: the link ends, so the platform sees an outage and back-fills. */
  busRefused(): void;
}

export interface LinkDeps {
  readonly config: Jt809GatewayConfig;
  readonly metrics: GatewayMetrics;
  readonly logger: Logger;
  readonly clock: () => number;
  readonly monotonicMs: () => number;
  readonly vehicles: VehicleGate;
  readonly positions: MicroBatchPublisher;
  readonly platformEvents: MicroBatchPublisher;
}

/**
 * A logged-in platform: what its frames mean, whichever link carries them (the standard lets a
 * subordinate use the down link while its main link is broken). Holds the verify code the
 * down link presents and the serial of frames sent to the platform.
 */
export class PlatformLink {
  private serial = 0;
  /** Mismatch ids published under this login: a platform re-declaring its fleet every few minutes is recorded once, not re-sent to the bus each time. */
  private readonly mismatchesSent = new Set<string>();
  /** Set when the platform logged out: nothing more is accepted under this login. */
  ended = false;

  constructor(
    readonly account: PlatformAccount,
    readonly verifyCode: number,
    private readonly deps: LinkDeps,
  ) {}

  /** A frame to the platform in its edition, encrypted when the link has keys. */
  encode(message: Jt809MessageInput): Uint8Array {
    const a = this.account;
    this.serial = (this.serial + 1) >>> 0;
    const timeSeconds = Math.floor(this.deps.clock() / 1000);
    return encodeFrame(
      a.keys === undefined
        ? { edition: a.edition, serial: this.serial, centreId: a.accessCode, timeSeconds }
        : { edition: a.edition, serial: this.serial, centreId: a.accessCode, timeSeconds, keys: a.keys, encryptKey: randomBytes(4).readUInt32BE(0) },
      message,
    );
  }

  /** Business and link-keeping frames of the logged-in platform (login and logout are the connection's). */
  onMessage(header: Jt809Header, message: Jt809Message, channel: LinkChannel, at: Receipt): void {
    const { metrics } = this.deps;
    const id = this.account.platformId;
    metrics.lastMessage(id).set(Math.floor(at.receivedMs / 1000));
    switch (message.type) {
      case 'heartbeat':
        // Only after everything sent before it is on the bus: a platform can rely on it.
        channel.afterPublished(() => channel.send(this.encode({ type: 'heartbeat-response' })));
        return;
      case 'vehicle-dynamic':
        this.onVehicleDynamic(message, channel, at);
        return;
      case 'alarm':
        this.onAlarm(message, channel, at);
        return;
      case 'main-link-broken':
        this.deps.logger.warn('platform reports its main link broken (0x1007)', { platform: id, code: message.code, via: channel.kind });
        return;
      default:
        // Replies to our own requests are the down link's; anything else has no use here.
        this.deps.logger.debug('frame ignored', { platform: id, messageId: header.messageId });
    }
  }

  private onVehicleDynamic(m: VehicleDynamic, channel: LinkChannel, at: Receipt): void {
    const d = m.data;
    switch (d.kind) {
      case 'location':
        void this.onFixes(m, [d.fix], false, channel, at);
        return;
      case 'backfill':
        void this.onFixes(m, d.fixes, true, channel, at);
        return;
      case 'registration': {
        const { metrics } = this.deps;
        const id = this.account.platformId;
        const access = this.deps.vehicles.check(this.account, m.plate, at.receivedMs);
        const verdict = checkRegistration(access, d);
        if (verdict.ok) {
          metrics.registrations(id, 'match').inc();
          return;
        }
        metrics.registrations(id, 'mismatch').inc();
        metrics.refused(id, verdict.reason).inc();
        // A declaration without any plate text cannot be recorded (the event needs one): counted only.
        if (m.plate.trim() === '') return;
        const event = mismatchEvent(id, m.plate, m.plateColour, verdict.reason, access, d, at.ingestedAt);
        if (this.mismatchesSent.has(event.eventId)) return;
        if (this.mismatchesSent.size >= MAX_REMEMBERED_MISMATCHES) this.mismatchesSent.clear();
        this.mismatchesSent.add(event.eventId);
        this.deps.logger.warn('vehicle registration does not match the register', { platform: id, plate: m.plate, reason: verdict.reason });
        this.publish(this.deps.platformEvents, [eventMessage(event, platformKey(id), at.ingestedAt)], channel, at, () => undefined);
        return;
      }
      default:
        return;
    }
  }

  private onFixes(m: VehicleDynamic, fixes: readonly Jt809Fix[], backfilled: boolean, channel: LinkChannel, at: Receipt, mayWait = true): Promise<void> {
    const { metrics, config } = this.deps;
    const id = this.account.platformId;
    // A plate the register does not know may be a vehicle registered a moment ago that a live
    // register has not loaded yet: the frame waits for it to settle, then is judged (once). The
    // wait is tracked like a publish, so the heartbeat reply still follows everything before it.
    if (mayWait && this.deps.vehicles.canSettle) {
      const first = this.deps.vehicles.check(this.account, m.plate, at.receivedMs);
      if (!first.ok && first.reason === 'unknown-vehicle') {
        const later = this.deps.vehicles
          .settle()
          .then(() => this.onFixes(m, fixes, backfilled, channel, at, false))
          .catch((error: unknown) => this.deps.logger.error('a deferred frame could not be judged', { platform: id, error: String(error) }));
        channel.track(later);
        return later;
      }
    }
    const messages: OutgoingMessage[] = [];
    const seen = fixes.length > 1 ? new Map<number, number>() : undefined;
    for (const fix of fixes) {
      const timeMs = fix.report.timeMs;
      const access = this.deps.vehicles.check(this.account, m.plate, timeMs ?? at.receivedMs);
      if (!access.ok) {
        metrics.refused(id, access.reason).inc();
        continue;
      }
      let occurrence = 1;
      if (seen !== undefined && timeMs !== undefined) {
        occurrence = (seen.get(timeMs) ?? 0) + 1;
        seen.set(timeMs, occurrence);
      }
      const outcome = positionEventFromFix(
        fix,
        backfilled,
        { platformId: id, edition: this.account.edition, vehicleId: access.vehicle.vehicleId, plateNo: m.plate, plateColour: m.plateColour },
        { publishUnfixed: config.publishUnfixed, receivedMs: at.receivedMs, window: { maxFutureSkewMs: config.maxFutureSkewMs, backfillWindowMs: config.backfillWindowMs }, occurrence },
      );
      if (outcome.kind === 'event') messages.push(positionMessage(outcome.event, at.ingestedAt));
      else metrics.refused(id, outcome.reason).inc();
    }
    return messages.length > 0 ? this.publish(this.deps.positions, messages, channel, at, (n) => metrics.fixesPublished(id).inc(n)) : Promise.resolve();
  }

  private onAlarm(m: AlarmExchange, channel: LinkChannel, at: Receipt): void {
    if (m.data.kind !== 'alarm-report') return;
    const report = m.data;
    const plate = report.edition === '2019' ? report.plate : (m.plate ?? '');
    const colour = report.edition === '2019' ? report.plateColour : (m.plateColour ?? 0);
    const id = this.account.platformId;
    const access = this.deps.vehicles.check(this.account, plate, report.warnTime * 1000);
    if (!access.ok) {
      this.deps.metrics.refused(id, access.reason).inc();
      return;
    }
    const event = alarmEvent(id, plate, colour, access.vehicle.vehicleId, report);
    if (event === undefined) {
      this.deps.metrics.refused(id, 'bad-time').inc();
      return;
    }
    // The same plausibility rule as for fixes: an alarm dated far from its receipt is a broken clock.
    const { config } = this.deps;
    const verdict = receiptTimeVerdict(report.warnTime * 1000, at.receivedMs, { maxFutureSkewMs: config.maxFutureSkewMs, backfillWindowMs: config.backfillWindowMs });
    if (verdict !== 'ok') {
      this.deps.metrics.refused(id, verdict).inc();
      return;
    }
    this.publish(this.deps.platformEvents, [eventMessage(event, platformKey(id), at.ingestedAt)], channel, at, () => this.deps.metrics.alarmsPublished(id).inc());
  }

  private publish(publisher: MicroBatchPublisher, messages: OutgoingMessage[], channel: LinkChannel, at: Receipt, onAccepted: (n: number) => void): Promise<void> {
    const { metrics } = this.deps;
    const settled = publisher.publish(messages).then(
      () => {
        onAccepted(messages.length);
        metrics.publishSeconds.observe((this.deps.monotonicMs() - at.monotonicMs) / 1000);
      },
      (error: unknown) => {
        metrics.publishFailures.inc();
        this.deps.logger.warn('bus did not accept a platform\'s data; ending the link so the platform back-fills', { platform: this.account.platformId, error: String(error) });
        channel.busRefused();
      },
    );
    channel.track(settled);
    return settled;
  }
}
