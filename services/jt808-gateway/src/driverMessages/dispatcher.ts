import type { DriverMessageRequestedData, DriverMessageStep, EventOf } from '@dgt/events';
import { driverMessageEventId, epochMs, isoUtc } from '@dgt/events';
import type { TerminalAckMessage, TextMessageInput } from '@dgt/jt808';
import { MessageId, TerminalAckResult } from '@dgt/jt808';

/** A connection that holds an authenticated terminal, as the dispatcher sees it. */
export interface TerminalLink {
  readonly vehicleId: string;
  /** Normalised phone. */
  readonly phone: string;
  /** Writes a 0x8300 and returns its platform serial (undefined: the connection is closing); throws for a text it cannot carry. */
  sendText(input: TextMessageInput): number | undefined;
}

export type DriverMessageOutcome = EventOf<'DriverMessageSent'> | EventOf<'DriverMessageDelivered'> | EventOf<'DriverMessageUndeliverable'>;

export interface DispatcherOptions {
  readonly gatewayId: string;
  readonly connectTimeoutMs: number;
  readonly replyTimeoutMs: number;
  /** Every event the dispatcher decides, in order; the caller publishes them. */
  readonly emit: (event: DriverMessageOutcome) => void;
}

interface Pending {
  readonly request: DriverMessageRequestedData;
  readonly deadlineMs: number;
}

interface Awaiting {
  readonly messageId: string;
  readonly vehicleId: string;
  readonly link: TerminalLink;
  readonly serial: number;
  readonly deadlineMs: number;
}

/**
 * Requests seen from a gateway still catching up (after a restart) may be past their connect
 * deadline on arrival; they wait this much longer so that another gateway's `DriverMessageSent`
 * further on in the topic can settle them first.
 */
const LATE_GRACE_MS = 5_000;

/**
 * Which driver messages this gateway sends, and what became of them. Several gateways read every
 * request; each acts only for terminals it holds. A request waits (up to the connect timeout)
 * for its vehicle's terminal to authenticate here; a sent 0x8300 waits (up to the reply timeout)
 * for the 0x0001 that names its serial and 0x8300, on the same connection (serials are per
 * connection). Another gateway's outcome for a message settles it here too. Time comes in with
 * each call; the dispatcher does no I/O beyond `link.sendText` and `emit`.
 */
export class DriverMessageDispatcher {
  private readonly pending = new Map<string, Pending>();
  private readonly awaiting = new Map<TerminalLink, Map<number, Awaiting>>();
  private readonly links = new Map<string, TerminalLink>();
  /** Messages settled or handed to another gateway, with when to forget them (duplicates arrive within the timeouts). */
  private readonly settled = new Map<string, number>();

  constructor(private readonly options: DispatcherOptions) {}

  /** Requests waiting for their terminal, and 0x8300 waiting for their 0x0001. */
  get counts(): { pending: number; awaiting: number } {
    let awaiting = 0;
    for (const m of this.awaiting.values()) awaiting += m.size;
    return { pending: this.pending.size, awaiting };
  }

  onRequested(request: DriverMessageRequestedData, requestedAt: string, nowMs: number): void {
    const id = request.messageId;
    if (this.settled.has(id) || this.pending.has(id) || this.isAwaiting(id)) return;
    const deadlineMs = Math.max(epochMs(requestedAt) + this.options.connectTimeoutMs, nowMs + Math.min(LATE_GRACE_MS, this.options.connectTimeoutMs));
    const link = this.links.get(request.vehicleId);
    if (link === undefined) this.pending.set(id, { request, deadlineMs });
    else this.send(request, link, nowMs);
  }

  /** A `DriverMessageSent`/`Delivered`/`Undeliverable` read from the topic: another gateway's settles the message here. */
  onOutcome(event: DriverMessageOutcome, nowMs: number): void {
    if (event.data.gatewayId === this.options.gatewayId) return;
    const id = event.data.messageId;
    if (this.pending.delete(id) || !this.settled.has(id)) this.settle(id, nowMs);
  }

  /** A terminal authenticated on a connection of this gateway: what waits for its vehicle goes out now. */
  onAuthenticated(link: TerminalLink, nowMs: number): void {
    this.links.set(link.vehicleId, link);
    for (const [id, p] of this.pending) {
      if (p.request.vehicleId !== link.vehicleId) continue;
      this.pending.delete(id);
      this.send(p.request, link, nowMs);
    }
  }

  /** Its connection ended; what was sent on it can no longer be answered and runs into the reply timeout. */
  onClosed(link: TerminalLink): void {
    if (this.links.get(link.vehicleId) === link) this.links.delete(link.vehicleId);
  }

  /** A 0x0001 from the terminal on `link`. True when it answered one of our 0x8300. */
  onTerminalAck(link: TerminalLink, ack: TerminalAckMessage, nowMs: number): boolean {
    if (ack.repliedMessageId !== MessageId.textMessage) return false;
    const bySerial = this.awaiting.get(link);
    const a = bySerial?.get(ack.repliedSerial);
    if (bySerial === undefined || a === undefined) return false;
    bySerial.delete(ack.repliedSerial);
    if (bySerial.size === 0) this.awaiting.delete(link);
    this.settle(a.messageId, nowMs);
    const where = { messageId: a.messageId, vehicleId: a.vehicleId, terminalPhone: link.phone, serial: a.serial, gatewayId: this.options.gatewayId };
    if (ack.result === TerminalAckResult.success) this.emit('DriverMessageDelivered', 'delivered', where, nowMs);
    else this.emit('DriverMessageUndeliverable', 'undeliverable', { ...where, reason: 'refused', terminalResult: ack.result }, nowMs);
    return true;
  }

  /** Gives up what ran out of time; called periodically. */
  tick(nowMs: number): void {
    const { gatewayId } = this.options;
    for (const [id, p] of this.pending) {
      if (p.deadlineMs > nowMs) continue;
      this.pending.delete(id);
      this.settle(id, nowMs);
      this.emit('DriverMessageUndeliverable', 'not-connected', { messageId: id, vehicleId: p.request.vehicleId, reason: 'not-connected', gatewayId, timeoutMs: this.options.connectTimeoutMs }, nowMs);
    }
    for (const [link, bySerial] of this.awaiting) {
      for (const [serial, a] of bySerial) {
        if (a.deadlineMs > nowMs) continue;
        bySerial.delete(serial);
        this.settle(a.messageId, nowMs);
        this.emit(
          'DriverMessageUndeliverable',
          'undeliverable',
          { messageId: a.messageId, vehicleId: a.vehicleId, reason: 'no-reply', terminalPhone: link.phone, serial, gatewayId, timeoutMs: this.options.replyTimeoutMs },
          nowMs,
        );
      }
      if (bySerial.size === 0) this.awaiting.delete(link);
    }
    for (const [id, forgetMs] of this.settled) if (forgetMs <= nowMs) this.settled.delete(id);
  }

  private send(request: DriverMessageRequestedData, link: TerminalLink, nowMs: number): void {
    const { gatewayId } = this.options;
    let serial: number | undefined;
    try {
      serial = link.sendText({ text: request.text, display: request.display, tts: request.tts, emergency: request.emergency });
    } catch {
      // Only a text the codec cannot carry gets here (the API checks GBK and length first).
      this.settle(request.messageId, nowMs);
      this.emit('DriverMessageUndeliverable', 'undeliverable', { messageId: request.messageId, vehicleId: request.vehicleId, reason: 'not-encodable', terminalPhone: link.phone, gatewayId }, nowMs);
      return;
    }
    if (serial === undefined) {
      // The connection is ending: wait for the terminal's next one, within the same deadline.
      this.onClosed(link);
      this.pending.set(request.messageId, { request, deadlineMs: nowMs + this.options.connectTimeoutMs });
      return;
    }
    let bySerial = this.awaiting.get(link);
    if (bySerial === undefined) this.awaiting.set(link, (bySerial = new Map()));
    bySerial.set(serial, { messageId: request.messageId, vehicleId: request.vehicleId, link, serial, deadlineMs: nowMs + this.options.replyTimeoutMs });
    this.emit('DriverMessageSent', 'sent', { messageId: request.messageId, vehicleId: request.vehicleId, terminalPhone: link.phone, serial, gatewayId }, nowMs);
  }

  private isAwaiting(messageId: string): boolean {
    for (const m of this.awaiting.values()) for (const a of m.values()) if (a.messageId === messageId) return true;
    return false;
  }

  private settle(messageId: string, nowMs: number): void {
    // Duplicates of a request (a re-read topic) come within the connect timeout of the original.
    this.settled.set(messageId, nowMs + 2 * this.options.connectTimeoutMs);
  }

  private emit<T extends DriverMessageOutcome['type']>(type: T, step: Exclude<DriverMessageStep, 'requested'>, data: Extract<DriverMessageOutcome, { type: T }>['data'], nowMs: number): void {
    this.options.emit({ eventId: driverMessageEventId(data.messageId, step), type, occurredAt: isoUtc(nowMs), data } as Extract<DriverMessageOutcome, { type: T }>);
  }
}
