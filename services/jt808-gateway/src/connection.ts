import type { Socket } from 'node:net';
import type { OutgoingMessage } from '@dgt/bus';
import type { FrameAddress, GeneralAckResult, Jt808Header, Jt808Message, RegisterAckResult, TerminalAckMessage, TextMessageInput } from '@dgt/jt808';
import { FrameSplitter, GeneralAckResult as AckResult, Jt808DecodeError, Jt808EncodeError, MessageId, SubpacketAssembler, decodeBody, decodeFrame, encodeGeneralAck, encodeRegisterAck, encodeTextMessage } from '@dgt/jt808';
import type { CloseReason } from './closeReasons.ts';
import type { Jt808GatewayConfig } from './gatewayConfig.ts';
import type { Logger } from './logger.ts';
import type { GatewayMetrics } from './metrics.ts';
import { positionMessage } from './positionMessage.ts';
import type { MicroBatchPublisher } from './publisher.ts';
import type { Decision } from './session.ts';
import { Session } from './session.ts';
import type { AuthenticatedTerminal, TerminalRegistrar } from './terminalRegistrar.ts';
import { TokenBucket } from './tokenBucket.ts';

export interface ConnectionDeps {
  readonly config: Jt808GatewayConfig;
  readonly registrar: TerminalRegistrar;
  readonly metrics: GatewayMetrics;
  readonly publisher: MicroBatchPublisher;
  readonly logger: Logger;
  /** Monotonic milliseconds (rate limits, timeouts, latency). */
  readonly monotonicMs: () => number;
  /** Wall-clock epoch ms: receipt time of frames (fix-time window, registration time, `dgt-ingested-at`). */
  readonly clock: () => number;
  readonly onAuthenticated: (connection: TerminalConnection, terminal: AuthenticatedTerminal) => void;
  readonly onClosed: (connection: TerminalConnection) => void;
  /** A 0x0001 from the terminal authenticated on this connection (answers to our 0x8300). */
  readonly onTerminalAck?: (connection: TerminalConnection, ack: TerminalAckMessage) => void;
}

// The only sub-packaged messages the gateway has a use for. Parts of anything else (a 0x0801
// photo upload of hundreds of parts) are refused at once, so nothing is held for them.
const REASSEMBLED = new Set<number>([MessageId.locationReport, MessageId.batchUpload]);
const SUBPACKAGE_STALE_MS = 60_000;
// A refused socket that ignores our FIN is destroyed after this.
const END_GRACE_MS = 2_000;

/** When a chunk of frames arrived, on both clocks. */
interface Receipt {
  readonly monotonicMs: number;
  readonly receivedMs: number;
  readonly ingestedAt: string;
}

/** One terminal's TCP connection: framing, limits, backpressure and replies around its Session. */
export class TerminalConnection {
  readonly session: Session;
  readonly remote: string;
  private readonly splitter: FrameSplitter;
  private readonly bucket: TokenBucket;
  private assembler: SubpacketAssembler | undefined;
  private lastFrameMs: number;
  private readonly openedMs: number;
  private closeReason: CloseReason | undefined;
  private inFlight = 0;
  private pausedForInFlight = false;
  private pausedForWrites = false;
  private corked = false;
  /** The authenticating frame's header: platform commands use its edition, phone digits and version. */
  private terminalHeader: Jt808Header | undefined;

  constructor(
    private readonly socket: Socket,
    private readonly deps: ConnectionDeps,
  ) {
    const { config } = deps;
    this.remote = `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`;
    this.session = new Session({
      registrar: deps.registrar,
      publishUnfixed: config.publishUnfixed,
      maxConsecutiveDecodeErrors: config.maxConsecutiveDecodeErrors,
      window: { maxFutureSkewMs: config.maxFutureSkewMs, backfillWindowMs: config.backfillWindowMs },
    });
    this.splitter = new FrameSplitter({ maxFrameBytes: config.maxFrameBytes });
    this.openedMs = deps.monotonicMs();
    this.lastFrameMs = this.openedMs;
    this.bucket = new TokenBucket(config.framesPerSecond, config.frameBurst, this.openedMs);
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('drain', () => {
      this.pausedForWrites = false;
      this.maybeResume();
    });
    socket.on('error', (e: NodeJS.ErrnoException) => {
      this.closeReason ??= e.code === 'ECONNRESET' || e.code === 'EPIPE' ? 'peer' : 'socket-error';
      if (this.closeReason === 'socket-error') deps.logger.warn('terminal socket error', { remote: this.remote, code: e.code, error: e.message });
    });
    socket.on('close', () => {
      if (this.assembler !== undefined) deps.metrics.subpackageBytes.dec(this.assembler.pendingBytes);
      deps.metrics.closed(this.closeReason ?? 'peer').inc();
      deps.metrics.connections.dec();
      deps.onClosed(this);
    });
  }

  /** Reports of this connection handed to the bus and not yet acked. */
  get reportsInFlight(): number {
    return this.inFlight;
  }

  get isPaused(): boolean {
    return this.pausedForInFlight || this.pausedForWrites;
  }

  get closing(): boolean {
    return this.closeReason !== undefined;
  }

  /** Idle and authentication deadlines; called periodically by the server. */
  checkDeadlines(nowMs: number): void {
    if (this.closing) return;
    if (nowMs - this.lastFrameMs > this.deps.config.idleTimeoutMs) this.close('idle');
    else if (this.session.authenticatedPhone === undefined && nowMs - this.openedMs > this.deps.config.authTimeoutMs) this.close('auth-timeout');
  }

  /** Ends the connection now (pending replies are dropped). */
  close(reason: CloseReason): void {
    if (this.closing) return;
    this.closeReason = reason;
    this.socket.destroy();
  }

  /** Ends the connection after the replies written so far were flushed. */
  private closeAfterReplies(reason: CloseReason, delayMs: number): void {
    if (this.closing) return;
    this.closeReason = reason;
    this.socket.pause();
    const end = () => {
      this.socket.end();
      setTimeout(() => this.socket.destroy(), END_GRACE_MS).unref();
    };
    if (delayMs > 0) setTimeout(end, delayMs).unref();
    else end();
  }

  private onData(chunk: Buffer): void {
    if (this.closing) return;
    const now = this.deps.monotonicMs();
    const items = this.splitter.push(chunk);
    // A stream that never even shows a frame flag is not a terminal.
    if (this.splitter.stats.frames === 0 && this.splitter.stats.garbageBytes > this.deps.config.maxFrameBytes) {
      this.close('garbage');
      return;
    }
    let at: Receipt | undefined;
    for (const item of items) {
      if (this.closing) return;
      if (!this.bucket.take(now)) {
        this.close('rate-limit');
        return;
      }
      this.lastFrameMs = now;
      if (item.kind === 'error') {
        this.onDecodeError(item.error);
        continue;
      }
      const decoded = decodeFrame(item.bytes);
      if (!decoded.ok) {
        this.onDecodeError(decoded.error);
        continue;
      }
      const frame = decoded.value;
      // One clock read per chunk: the frames of one TCP segment arrived together.
      if (at === undefined) {
        const receivedMs = this.deps.clock();
        at = { monotonicMs: now, receivedMs, ingestedAt: new Date(receivedMs).toISOString() };
      }
      if (frame.kind === 'message') this.onMessage(frame.header, frame.message, frame.header, at);
      else this.onFragment(frame.header, frame.body, at);
    }
  }

  private onFragment(header: Jt808Header, body: Uint8Array, at: Receipt): void {
    // Parts are held only for the terminal authenticated on this connection: a stranger's
    // parts would be buffered for nothing.
    if (!this.session.isAuthenticated(header)) {
      this.deps.metrics.frames(header.messageId).inc();
      this.deps.metrics.refused('unauthenticated').inc();
      this.writeGeneralAck(header, AckResult.failure);
      return;
    }
    const { config } = this.deps;
    this.assembler ??= new SubpacketAssembler({
      maxParts: config.maxSubpackageParts,
      maxPending: config.maxPendingSubpackages,
      maxPendingBytes: config.maxPendingSubpackageBytes,
      staleAfterMs: SUBPACKAGE_STALE_MS,
      messageIds: REASSEMBLED,
    });
    const held = this.assembler.pendingBytes;
    const outcome = this.assembler.push(header, body, at.monotonicMs);
    this.deps.metrics.subpackageBytes.inc(this.assembler.pendingBytes - held);
    switch (outcome.kind) {
      case 'pending':
      case 'duplicate':
        this.deps.metrics.frames(header.messageId).inc();
        this.writeGeneralAck(header, AckResult.success);
        return;
      case 'rejected':
        this.onDecodeError(outcome.error);
        return;
      case 'complete': {
        let message: Jt808Message;
        try {
          message = decodeBody(outcome.header, outcome.body);
        } catch (e) {
          if (e instanceof Jt808DecodeError) {
            this.onDecodeError(new Jt808DecodeError(e.kind, e.detail, header));
            return;
          }
          throw e;
        }
        // The terminal waits for the answer to its last part, so the reply goes to that serial.
        this.onMessage(outcome.header, message, header, at);
        return;
      }
      default: {
        const unreachable: never = outcome;
        return unreachable;
      }
    }
  }

  private onDecodeError(error: Jt808DecodeError): void {
    this.deps.metrics.decodeError(error.kind).inc();
    const { reply, close } = this.session.onDecodeError(error);
    if (error.header !== undefined && reply !== undefined) this.writeGeneralAck(error.header, reply);
    if (close) this.close('garbage');
  }

  /** `replyTo` is the header whose serial the reply answers (differs from `header` for reassembled messages). */
  private onMessage(header: Jt808Header, message: Jt808Message, replyTo: Jt808Header, at: Receipt): void {
    this.deps.metrics.frames(header.messageId).inc();
    const decision = this.session.onMessage(header, message, at.receivedMs);
    this.execute(decision, replyTo, at);
    if (message.type === 'terminal-ack' && this.session.isAuthenticated(header)) this.deps.onTerminalAck?.(this, message);
  }

  /**
   * Writes a 0x8300 text message to the authenticated terminal, in the edition it spoke, and
   * returns the serial its 0x0001 will name; undefined when the connection is closing. Throws
   * Jt808EncodeError for a text the frame cannot carry.
   */
  sendText(input: TextMessageInput): number | undefined {
    const to = this.terminalHeader;
    if (to === undefined) throw new Jt808EncodeError('no authenticated terminal on this connection');
    if (this.closing || this.socket.destroyed) return undefined;
    const address = this.address(to);
    this.write(encodeTextMessage(address, input));
    return address.serial;
  }

  private execute(decision: Decision, replyTo: Jt808Header, at: Receipt): void {
    const { metrics } = this.deps;
    switch (decision.kind) {
      case 'general-ack': {
        if (decision.refused !== undefined) metrics.refused(decision.refused).inc();
        if (decision.fixRefused !== undefined) metrics.fixRefused(decision.fixRefused).inc();
        this.writeGeneralAck(replyTo, decision.result);
        const terminal = this.session.terminal;
        if (decision.result === AckResult.success && replyTo.messageId === MessageId.authenticate && terminal !== undefined) {
          this.terminalHeader = replyTo;
          this.deps.onAuthenticated(this, terminal);
        }
        if (decision.close !== undefined) this.closeAfterReplies(decision.close, decision.close === 'logout' ? 0 : this.deps.config.refuseCloseDelayMs);
        return;
      }
      case 'register-ack':
        if (decision.refused !== undefined) metrics.refused(decision.refused).inc();
        else metrics.registrations.inc();
        this.writeRegisterAck(replyTo, decision.result, decision.authCode);
        if (decision.close !== undefined) this.closeAfterReplies(decision.close, this.deps.config.refuseCloseDelayMs);
        return;
      case 'consume':
        metrics.terminalResponse(decision.terminalResult).inc();
        return;
      case 'publish': {
        const messages: OutgoingMessage[] = [];
        for (const o of decision.outcomes) {
          if (o.kind === 'event') messages.push(positionMessage(o.event, at.ingestedAt));
          else if (o.kind === 'skipped') metrics.skipped(o.reason).inc();
          else metrics.fixRefused(o.reason).inc();
        }
        // Fixes left out (skipped, or refused inside a batch) are acked with the rest: the
        // terminal must not re-send what would be left out again.
        if (messages.length === 0) {
          this.writeGeneralAck(replyTo, AckResult.success);
          return;
        }
        this.publish(messages, replyTo, at.monotonicMs);
        return;
      }
      default: {
        const unreachable: never = decision;
        return unreachable;
      }
    }
  }

  private publish(messages: OutgoingMessage[], replyTo: Jt808Header, receivedMs: number): void {
    this.inFlight++;
    if (this.inFlight >= this.deps.config.maxInFlightPerConnection && !this.pausedForInFlight) {
      this.pausedForInFlight = true;
      this.deps.metrics.pauses.inc();
      this.socket.pause();
    }
    const { metrics } = this.deps;
    const settle = (result: GeneralAckResult) => {
      this.inFlight--;
      if (this.socket.destroyed) return;
      this.writeGeneralAck(replyTo, result);
      metrics.ackSeconds.observe((this.deps.monotonicMs() - receivedMs) / 1000);
      if (this.pausedForInFlight && this.inFlight <= this.deps.config.maxInFlightPerConnection >> 1) {
        this.pausedForInFlight = false;
        this.maybeResume();
      }
    };
    this.deps.publisher.publish(messages).then(
      () => {
        metrics.reportsPublished.inc(messages.length);
        settle(AckResult.success);
      },
      (error: unknown) => {
        metrics.publishFailures.inc();
        this.deps.logger.warn('bus did not accept positions; terminal will re-send', { phone: this.session.authenticatedPhone, error: String(error) });
        // "Failure" makes the terminal re-send; the same fix gets the same event id.
        settle(AckResult.failure);
      },
    );
  }

  private maybeResume(): void {
    if (!this.pausedForInFlight && !this.pausedForWrites && !this.closing) this.socket.resume();
  }

  private address(to: Jt808Header): FrameAddress {
    const serial = this.session.takeSerial();
    return to.protocolVersion === undefined ? { flavour: to.flavour, phone: to.phone, serial } : { flavour: to.flavour, phone: to.phone, serial, protocolVersion: to.protocolVersion };
  }

  private writeGeneralAck(to: Jt808Header, result: GeneralAckResult): void {
    this.write(encodeGeneralAck(this.address(to), { repliedSerial: to.serial, repliedMessageId: to.messageId, result }));
  }

  private writeRegisterAck(to: Jt808Header, result: RegisterAckResult, authCode: string | undefined): void {
    this.write(encodeRegisterAck(this.address(to), authCode === undefined ? { repliedSerial: to.serial, result } : { repliedSerial: to.serial, result, authCode }));
  }

  /** Replies produced in one tick (e.g. all acks of one bus batch) leave in one write. */
  private write(bytes: Uint8Array): void {
    if (this.socket.destroyed || !this.socket.writable) return;
    if (!this.corked) {
      this.corked = true;
      this.socket.cork();
      process.nextTick(() => {
        this.corked = false;
        this.socket.uncork();
      });
    }
    if (!this.socket.write(bytes) && !this.pausedForWrites) {
      // The terminal is not reading its acks: stop reading its reports until it does.
      this.pausedForWrites = true;
      this.deps.metrics.pauses.inc();
      this.socket.pause();
    }
  }
}
