import type { Jt808DecodeError, Jt808Header, Jt808Message } from '@dgt/jt808';
import { GeneralAckResult, RegisterAckResult } from '@dgt/jt808';
import type { CloseReason } from './closeReasons.ts';
import type { PositionOutcome } from './positionEvent.ts';
import { positionEventsFromReports } from './positionEvent.ts';
import type { KnownTerminal, TerminalRegistry } from './terminalRegistry.ts';

export type SessionState =
  | { readonly kind: 'connected' }
  /** Registered on this connection (0x8100 sent), not yet authenticated. */
  | { readonly kind: 'registered'; readonly terminal: KnownTerminal }
  /** `headerPhone` is the phone digits exactly as this terminal writes them, to check later frames cheaply. */
  | { readonly kind: 'authenticated'; readonly terminal: KnownTerminal; readonly headerPhone: string };

/** What the connection must do for one frame. Replies always answer the frame's serial and message id. */
export type Decision =
  | { readonly kind: 'general-ack'; readonly result: GeneralAckResult; readonly close?: CloseReason; readonly refused?: RefusalReason }
  | { readonly kind: 'register-ack'; readonly result: RegisterAckResult; readonly authCode?: string; readonly close?: CloseReason }
  /** Publish the events, then general-ack: success once the bus accepted them all, failure if it did not. */
  | { readonly kind: 'publish'; readonly outcomes: readonly PositionOutcome[] };

/** Frames answered with "failure" for a reason worth counting. */
export type RefusalReason = 'unauthenticated' | 'unknown-terminal' | 'auth-failed';

export interface SessionOptions {
  readonly registry: TerminalRegistry;
  readonly publishUnfixed: boolean;
  readonly maxConsecutiveDecodeErrors: number;
}

/**
 * The per-connection protocol state machine: connected → registered → authenticated. Pure: it
 * decides replies and publications, the connection does the I/O.
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

  onMessage(header: Jt808Header, message: Jt808Message): Decision {
    this.consecutiveErrors = 0;
    switch (message.type) {
      case 'register': {
        const terminal = this.options.registry.lookup(header.phone);
        if (terminal === undefined) return { kind: 'register-ack', result: RegisterAckResult.noSuchTerminal, close: 'unknown-terminal' };
        if (this.current.kind !== 'authenticated') this.current = { kind: 'registered', terminal };
        return { kind: 'register-ack', result: RegisterAckResult.ok, authCode: terminal.authCode };
      }
      case 'authenticate': {
        const terminal = this.options.registry.lookup(header.phone);
        if (terminal === undefined) return { kind: 'general-ack', result: GeneralAckResult.failure, close: 'unknown-terminal', refused: 'unknown-terminal' };
        if (!this.options.registry.checkAuthCode(terminal, message.authCode)) {
          return { kind: 'general-ack', result: GeneralAckResult.failure, close: 'auth-failed', refused: 'auth-failed' };
        }
        this.current = { kind: 'authenticated', terminal, headerPhone: header.phone };
        return { kind: 'general-ack', result: GeneralAckResult.success };
      }
      case 'heartbeat':
        return this.isAuthenticated(header)
          ? { kind: 'general-ack', result: GeneralAckResult.success }
          : { kind: 'general-ack', result: GeneralAckResult.failure, refused: 'unauthenticated' };
      case 'logout':
        return { kind: 'general-ack', result: GeneralAckResult.success, close: 'logout' };
      case 'location':
      case 'batch-upload': {
        const s = this.current;
        if (s.kind !== 'authenticated' || s.headerPhone !== header.phone) {
          return { kind: 'general-ack', result: GeneralAckResult.failure, refused: 'unauthenticated' };
        }
        const reports = message.type === 'location' ? [message] : message.reports;
        const origin = { phone: s.terminal.phone, vehicleId: s.terminal.plate, flavour: header.flavour, serial: header.serial };
        return { kind: 'publish', outcomes: positionEventsFromReports(reports, origin, this.options.publishUnfixed) };
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
   * A frame that did not decode. Unknown message ids with a readable header are answered
   * "unsupported" and are not garbage; other errors count towards the garbage limit and are
   * answered "bad message" when the header was readable.
   */
  onDecodeError(error: Jt808DecodeError): { reply: GeneralAckResult | undefined; close: boolean } {
    if (error.kind === 'unknown-message' && error.header !== undefined) {
      this.consecutiveErrors = 0;
      return { reply: GeneralAckResult.unsupported, close: false };
    }
    this.consecutiveErrors++;
    const close = this.consecutiveErrors >= this.options.maxConsecutiveDecodeErrors;
    return { reply: error.header !== undefined && !close ? GeneralAckResult.badMessage : undefined, close };
  }

  /** The authenticated terminal's normalised phone, if any. */
  get authenticatedPhone(): string | undefined {
    return this.current.kind === 'authenticated' ? this.current.terminal.phone : undefined;
  }

  private isAuthenticated(header: Jt808Header): boolean {
    return this.current.kind === 'authenticated' && this.current.headerPhone === header.phone;
  }
}
