import type { Jt808DecodeError, Jt808Header, Jt808Message } from '@dgt/jt808';
import { GeneralAckResult, MessageId, RegisterAckResult } from '@dgt/jt808';
import type { CloseReason } from './closeReasons.ts';
import type { ReceiptWindow } from '@dgt/events';
import type { PositionOutcome, TimeRefusal } from './positionEvent.ts';
import { positionEventsFromReports } from './positionEvent.ts';
import type { AuthRefusal, AuthenticatedTerminal, RegisterRefusal, TerminalRegistrar } from './terminalRegistrar.ts';

export type SessionState =
  | { readonly kind: 'connected' }
  /** Registered on this connection (0x8100 with a code sent), not yet authenticated. */
  | { readonly kind: 'registered'; readonly phone: string }
  /** `headerPhone` is the phone digits exactly as this terminal writes them, to check later frames cheaply. */
  | { readonly kind: 'authenticated'; readonly terminal: AuthenticatedTerminal; readonly headerPhone: string };

/** What the connection must do for one frame. Replies always answer the frame's serial and message id. */
export type Decision =
  | { readonly kind: 'general-ack'; readonly result: GeneralAckResult; readonly close?: CloseReason; readonly refused?: RefusalReason; readonly fixRefused?: TimeRefusal }
  | { readonly kind: 'register-ack'; readonly result: RegisterAckResult; readonly authCode?: string; readonly close?: CloseReason; readonly refused?: RegisterRefusal }
  /** Publish the events, then general-ack: success once the bus accepted them all, failure if it did not. */
  | { readonly kind: 'publish'; readonly outcomes: readonly PositionOutcome[] }
  /** A terminal's 0x0001 answer to a platform command: counted, never answered (it would answer an answer). */
  | { readonly kind: 'consume'; readonly terminalResult: number };

/** Frames refused for a reason worth counting. */
export type RefusalReason = 'unauthenticated' | RegisterRefusal | AuthRefusal;

export interface SessionOptions {
  readonly registrar: TerminalRegistrar;
  readonly publishUnfixed: boolean;
  readonly maxConsecutiveDecodeErrors: number;
  readonly window: ReceiptWindow;
}

/**
 * The per-connection protocol state machine: connected → registered → authenticated. It decides
 * replies and publications, the connection does the I/O; the receipt time comes with each frame.
 */
export class Session {
  private current: SessionState = { kind: 'connected' };
  private consecutiveErrors = 0;
  private nextSerial = 0;

  constructor(private readonly options: SessionOptions) {}

  get state(): SessionState {
    return this.current;
  }

  /** The platform's own serial for the next frame it sends (wraps at 0xFFFF). */
  takeSerial(): number {
    const s = this.nextSerial;
    this.nextSerial = (s + 1) & 0xffff;
    return s;
  }

  /** `receivedMs`: epoch ms at which the frame arrived (the gateway's injected clock). */
  onMessage(header: Jt808Header, message: Jt808Message, receivedMs: number): Decision {
    this.consecutiveErrors = 0;
    switch (message.type) {
      case 'register': {
        const outcome = this.options.registrar.register(header.phone, message, new Date(receivedMs).toISOString());
        if (!outcome.ok) {
          // The terminal already authenticated here keeps its connection; anyone else is done.
          const keep = this.isAuthenticated(header);
          return { kind: 'register-ack', result: outcome.result, refused: outcome.refusal, ...(keep ? {} : { close: outcome.refusal === 'unknown-terminal' ? 'unknown-terminal' : 'register-refused' }) };
        }
        if (this.current.kind !== 'authenticated') this.current = { kind: 'registered', phone: header.phone };
        return { kind: 'register-ack', result: RegisterAckResult.ok, authCode: outcome.authCode };
      }
      case 'authenticate': {
        const outcome = this.options.registrar.authenticate(header.phone, message.authCode);
        if (!outcome.ok) {
          const close = outcome.refusal === 'unknown-terminal' ? 'unknown-terminal' : 'auth-failed';
          return { kind: 'general-ack', result: GeneralAckResult.failure, close, refused: outcome.refusal };
        }
        this.current = { kind: 'authenticated', terminal: outcome.terminal, headerPhone: header.phone };
        return { kind: 'general-ack', result: GeneralAckResult.success };
      }
      case 'heartbeat':
        return this.isAuthenticated(header)
          ? { kind: 'general-ack', result: GeneralAckResult.success }
          : { kind: 'general-ack', result: GeneralAckResult.failure, refused: 'unauthenticated' };
      case 'logout':
        return { kind: 'general-ack', result: GeneralAckResult.success, close: 'logout' };
      case 'terminal-ack':
        return { kind: 'consume', terminalResult: message.result };
      case 'location':
      case 'batch-upload': {
        const s = this.current;
        if (s.kind !== 'authenticated' || s.headerPhone !== header.phone) {
          return { kind: 'general-ack', result: GeneralAckResult.failure, refused: 'unauthenticated' };
        }
        const reports = message.type === 'location' ? [message] : message.reports;
        const origin = { phone: s.terminal.phone, vehicleId: s.terminal.vehicleId, flavour: header.flavour, serial: header.serial };
        const outcomes = positionEventsFromReports(reports, origin, { publishUnfixed: this.options.publishUnfixed, receivedMs, window: this.options.window });
        // A lone real-time fix with an unusable time is refused as "bad message": not "failure",
        // which asks for the same report again. A terminal that keeps it for a later blind-area
        // upload sends it in a 0x0704, where bad fixes are dropped and the batch is acked, so
        // no report loops forever.
        const only = outcomes[0]!;
        if (message.type === 'location' && only.kind === 'refused') return { kind: 'general-ack', result: GeneralAckResult.badMessage, fixRefused: only.reason };
        return { kind: 'publish', outcomes };
      }
      // Platform messages sent by a terminal make no sense: "unsupported".
      case 'general-ack':
      case 'register-ack':
        return { kind: 'general-ack', result: GeneralAckResult.unsupported };
      default: {
        const unreachable: never = message;
        return unreachable;
      }
    }
  }

  /**
   * A frame that did not decode. Unknown message ids and sub-packaged messages the gateway will
   * not reassemble (unsupported id, more parts than the limit) are answered "unsupported" and are
   * not garbage: a real terminal sends them. Other errors count towards the garbage limit and are
   * answered "bad message" when the header was readable — except a terminal's 0x0001, which is
   * never answered.
   */
  onDecodeError(error: Jt808DecodeError): { reply: GeneralAckResult | undefined; close: boolean } {
    if ((error.kind === 'unknown-message' || error.kind === 'subpackage-limit') && error.header !== undefined) {
      this.consecutiveErrors = 0;
      return { reply: GeneralAckResult.unsupported, close: false };
    }
    this.consecutiveErrors++;
    const close = this.consecutiveErrors >= this.options.maxConsecutiveDecodeErrors;
    const answerable = error.header !== undefined && error.header.messageId !== MessageId.terminalAck;
    return { reply: answerable && !close ? GeneralAckResult.badMessage : undefined, close };
  }

  /** The authenticated terminal, if any. */
  get terminal(): AuthenticatedTerminal | undefined {
    return this.current.kind === 'authenticated' ? this.current.terminal : undefined;
  }

  /** The authenticated terminal's normalised phone, if any. */
  get authenticatedPhone(): string | undefined {
    return this.terminal?.phone;
  }

  /** Is this frame from the terminal that authenticated on this connection? */
  isAuthenticated(header: Jt808Header): boolean {
    return this.current.kind === 'authenticated' && this.current.headerPhone === header.phone;
  }
}
