import { connect, type Socket } from 'node:net';
import type { FrameAddress, GeneralAckMessage, LocationInput, ProtocolFlavour, RegisterAckMessage } from '@dgt/jt808';
import { FrameSplitter, GeneralAckResult, MessageId, RegisterAckResult, encodeBatchUpload, encodeLocationReport, encodeTerminalAck } from '@dgt/jt808';
import { encodeAuthenticate, encodeHeartbeat, encodeLogout, encodeRegister, type TerminalIdentity } from '@dgt/jt808-gateway';
import { platformFrame } from './platformFrame.ts';

export interface TerminalLinkTuning {
  /** A heartbeat (0x0002) after this long without sending anything. Default 60 s (the gateway drops a link idle for 180 s). */
  readonly heartbeatMs: number;
  /** A request unanswered this long means a half-dead link: it is dropped and re-established. Default 20 s. */
  readonly replyTimeoutMs: number;
  /** Frames per second this terminal sends at most; the gateway closes a connection above 50/s. Default 20. */
  readonly framesPerSecond: number;
  /** Location frames sent and not yet answered. Default 8. */
  readonly window: number;
  /** Fixes per 0x0704 when reports have piled up (after a reconnect, or a run faster than the link). Default 25 (a body ≤ 1023 bytes). */
  readonly batchFixes: number;
  /** Reconnect backoff: first wait, doubling to at most `maxBackoffMs`. Defaults 500 ms and 30 s. */
  readonly initialBackoffMs: number;
  readonly maxBackoffMs: number;
  /** How long `close` waits for queued reports to be acknowledged before logging out. Default 5 s. */
  readonly closeDrainMs: number;
}

export const defaultTerminalLinkTuning: TerminalLinkTuning = {
  heartbeatMs: 60_000,
  replyTimeoutMs: 20_000,
  framesPerSecond: 20,
  window: 8,
  batchFixes: 25,
  initialBackoffMs: 500,
  maxBackoffMs: 30_000,
  closeDrainMs: 5_000,
};

export interface TerminalLinkOptions {
  readonly host: string;
  readonly port: number;
  /** Phone digits as the terminal writes them in its headers. */
  readonly phone: string;
  readonly flavour: ProtocolFlavour;
  /** What it states in 0x0100: must match its record on the platform. */
  readonly identity: TerminalIdentity;
  /** The code an earlier registration issued (kept across restarts, as a real terminal keeps it). */
  readonly authCode?: string | undefined;
  /** Called with every newly issued code, to be kept for the next start. */
  readonly onAuthCode?: (phone: string, code: string) => void;
  /** Log lines: connections, refusals, texts received. */
  readonly onEvent?: (what: string, fields: Record<string, unknown>) => void;
  readonly tuning?: Partial<TerminalLinkTuning>;
}

export interface TerminalLinkStats {
  connects: number;
  /** Connections lost or dropped after logging in (each followed by a reconnect unless closing). */
  linkLosses: number;
  registrations: number;
  authentications: number;
  /** Refused 0x0100 / 0x0102 (a refused code is forgotten and the terminal registers again). */
  loginRefusals: number;
  locationFrames: number;
  batchFrames: number;
  heartbeats: number;
  fixesSent: number;
  fixesAcknowledged: number;
  /** Fixes answered with a result other than success or failure (the gateway keeps them out: bad time, …). */
  fixesRefused: number;
  /** Fixes sent again: after a failure result or over a new connection. */
  fixesResent: number;
  /** Platform messages answered with 0x0001. */
  commandsAnswered: number;
  /** 0x8300 text messages among them. */
  textMessages: number;
}

type State = 'idle' | 'connecting' | 'ready' | 'down' | 'closed';

interface Pending {
  readonly messageId: number;
  readonly deadline: number;
  readonly fixes: readonly LocationInput[];
  resolve(reply: GeneralAckMessage | RegisterAckMessage): void;
  reject(error: Error): void;
}

export class TerminalLinkError extends Error {
  override readonly name = 'TerminalLinkError';
  constructor(
    readonly code: 'REFUSED' | 'CLOSED' | 'TIMEOUT',
    message: string,
  ) {
    super(message);
  }
}

/**
 * One simulated BeiDou terminal on its JT/T 808 link, as a real one behaves: it registers once
 * (0x0100, keeping the issued code), authenticates (0x0102) on every connection, reports its
 * fixes (0x0200; 0x0704 batches when reports have piled up), sends heartbeats when idle,
 * reconnects with backoff when the link drops — re-sending what was not acknowledged — and
 * answers every platform message it does not otherwise handle (0x8300 text included) with a
 * 0x0001 general response, success, carrying that message's serial and id.
 */
export class TerminalLink {
  readonly stats: TerminalLinkStats = {
    connects: 0, linkLosses: 0, registrations: 0, authentications: 0, loginRefusals: 0, locationFrames: 0, batchFrames: 0,
    heartbeats: 0, fixesSent: 0, fixesAcknowledged: 0, fixesRefused: 0, fixesResent: 0, commandsAnswered: 0, textMessages: 0,
  };
  private readonly tuning: TerminalLinkTuning;
  private state: State = 'idle';
  private socket: Socket | undefined;
  private serial = 0;
  private code: string | undefined;
  private readonly queue: LocationInput[] = [];
  private readonly pending = new Map<number, Pending>();
  private reportsInFlight = 0;
  private tokens: number;
  private tokensAt = performance.now();
  private lastSentAt = performance.now();
  private pumpTimer: NodeJS.Timeout | undefined;
  private sweeper: NodeJS.Timeout | undefined;
  private settledWaiters: (() => void)[] = [];
  private firstLogin: { promise: Promise<void>; resolve: () => void; reject: (e: Error) => void };
  private wake: (() => void) | undefined;
  private loop: Promise<void> | undefined;

  constructor(private readonly o: TerminalLinkOptions) {
    this.tuning = { ...defaultTerminalLinkTuning, ...o.tuning };
    this.tokens = this.tuning.framesPerSecond;
    this.code = o.authCode;
    let resolve!: () => void;
    let reject!: (e: Error) => void;
    const promise = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
    // Whoever does not await it must not see an unhandled rejection.
    promise.catch(() => undefined);
    this.firstLogin = { promise, resolve, reject };
  }

  get phone(): string {
    return this.o.phone;
  }

  /** The code it authenticates with (issued at its registration). */
  get authCode(): string | undefined {
    return this.code;
  }

  get isReady(): boolean {
    return this.state === 'ready';
  }

  /** Starts connecting; resolves once it first logged in, rejects if that first attempt fails. Reconnects on its own afterwards. */
  start(): Promise<void> {
    if (this.state === 'idle') {
      this.loop = this.run();
      this.sweeper = setInterval(() => this.sweep(), 1_000);
      this.sweeper.unref();
    }
    return this.firstLogin.promise;
  }

  /** Queues a fix; it goes out as soon as the link and the frame budget allow. */
  send(fix: LocationInput): void {
    this.queue.push(fix);
    this.pump();
  }

  /**
   * Resolves when every queued fix is acknowledged, or when the link is down (what it holds goes
   * out after the reconnect: one terminal's outage must not stall the rest of the fleet).
   */
  settled(): Promise<void> {
    if (this.isSettled()) return Promise.resolve();
    return new Promise((resolve) => this.settledWaiters.push(resolve));
  }

  /** Sends what it holds (for at most `closeDrainMs`), logs out (0x0003) and closes the link. */
  async close(): Promise<void> {
    if (this.state === 'closed') return;
    if (this.state === 'ready') {
      await Promise.race([this.settled(), sleep(this.tuning.closeDrainMs)]);
      if (this.state === 'ready') await this.request(MessageId.logout, (a) => encodeLogout(a)).catch(() => undefined);
    }
    this.state = 'closed';
    if (this.pumpTimer !== undefined) clearTimeout(this.pumpTimer);
    if (this.sweeper !== undefined) clearInterval(this.sweeper);
    this.socket?.destroy();
    this.wake?.();
    this.firstLogin.reject(new TerminalLinkError('CLOSED', `terminal ${this.o.phone} closed before it logged in`));
    await this.loop;
    this.notifySettled();
  }

  private isSettled(): boolean {
    return this.state !== 'ready' || (this.queue.length === 0 && this.reportsInFlight === 0);
  }

  private notifySettled(): void {
    if (!this.isSettled()) return;
    const waiters = this.settledWaiters;
    this.settledWaiters = [];
    for (const w of waiters) w();
  }

  private event(what: string, fields: Record<string, unknown> = {}): void {
    this.o.onEvent?.(what, { phone: this.o.phone, ...fields });
  }

  private async run(): Promise<void> {
    let backoff = this.tuning.initialBackoffMs;
    let first = true;
    while (this.state !== 'closed') {
      this.state = 'connecting';
      let loggedIn = false;
      try {
        const socket = await this.open();
        const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
        await this.login();
        loggedIn = true;
        this.state = 'ready';
        backoff = this.tuning.initialBackoffMs;
        if (first) this.firstLogin.resolve();
        first = false;
        this.pump();
        await closed;
      } catch (error) {
        if (first) this.firstLogin.reject(error as Error);
        first = false;
        if ((this.state as State) !== 'closed') this.event('link failed', { error: (error as Error).message });
      }
      if ((this.state as State) === 'closed') return;
      if (loggedIn) this.stats.linkLosses++;
      this.dropConnection();
      this.state = 'down';
      this.notifySettled();
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        setTimeout(resolve, backoff).unref();
      });
      this.wake = undefined;
      backoff = Math.min(this.tuning.maxBackoffMs, backoff * 2);
    }
  }

  private open(): Promise<Socket> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: this.o.host, port: this.o.port });
      socket.setNoDelay(true);
      const splitter = new FrameSplitter();
      socket.once('error', reject);
      socket.on('data', (chunk: Buffer) => {
        for (const item of splitter.push(chunk)) if (item.kind === 'frame') this.onFrame(item.bytes);
      });
      socket.once('connect', () => {
        socket.off('error', reject);
        // 'close' follows any error; the run loop reconnects.
        socket.on('error', () => undefined);
        this.socket = socket;
        this.stats.connects++;
        resolve(socket);
      });
      socket.once('close', () => {
        if (this.socket === socket) this.dropConnection();
      });
    });
  }

  /** Register once (no code yet), then authenticate; a refused code is forgotten so the next attempt registers. */
  private async login(): Promise<void> {
    if (this.code === undefined) {
      const reg = await this.request(MessageId.register, (a) => encodeRegister(a, this.o.identity));
      if (reg.type !== 'register-ack' || reg.result !== RegisterAckResult.ok || reg.authCode === undefined) {
        this.stats.loginRefusals++;
        throw new TerminalLinkError('REFUSED', `terminal ${this.o.phone}: registration refused (0x8100 result ${reg.type === 'register-ack' ? reg.result : reg.type})`);
      }
      this.code = reg.authCode;
      this.stats.registrations++;
      this.o.onAuthCode?.(this.o.phone, reg.authCode);
      this.event('registered');
    }
    const code = this.code;
    const auth = await this.request(MessageId.authenticate, (a) => encodeAuthenticate(a, code));
    if (auth.type !== 'general-ack' || auth.result !== GeneralAckResult.success) {
      this.stats.loginRefusals++;
      // The registration behind it was reset (or the record changed): a real terminal registers afresh.
      this.code = undefined;
      throw new TerminalLinkError('REFUSED', `terminal ${this.o.phone}: authentication refused`);
    }
    this.stats.authentications++;
  }

  /** The connection is gone: requests fail, reports not acknowledged go back to the front of the queue. */
  private dropConnection(): void {
    const socket = this.socket;
    this.socket = undefined;
    socket?.destroy();
    const unacked: LocationInput[] = [];
    for (const p of [...this.pending.values()].sort((a, b) => a.deadline - b.deadline)) {
      unacked.push(...p.fixes);
      p.reject(new TerminalLinkError('CLOSED', `connection of terminal ${this.o.phone} closed`));
    }
    this.pending.clear();
    this.reportsInFlight = 0;
    if (unacked.length > 0) {
      this.stats.fixesResent += unacked.length;
      this.queue.unshift(...unacked);
    }
  }

  private request(messageId: number, build: (address: FrameAddress) => Uint8Array, fixes: readonly LocationInput[] = []): Promise<GeneralAckMessage | RegisterAckMessage> {
    const socket = this.socket;
    if (socket === undefined) return Promise.reject(new TerminalLinkError('CLOSED', `terminal ${this.o.phone} is not connected`));
    const serial = this.nextSerial();
    const frame = build(this.address(serial));
    return new Promise((resolve, reject) => {
      this.pending.set(serial, { messageId, deadline: performance.now() + this.tuning.replyTimeoutMs, fixes, resolve, reject });
      this.write(socket, frame);
    });
  }

  private nextSerial(): number {
    const serial = this.serial;
    this.serial = (serial + 1) & 0xffff;
    return serial;
  }

  private address(serial: number): FrameAddress {
    return { flavour: this.o.flavour, phone: this.o.phone, serial };
  }

  private write(socket: Socket, frame: Uint8Array): void {
    this.lastSentAt = performance.now();
    socket.write(frame);
  }

  /** Sends queued fixes within the window and the frame budget; batches them when they have piled up. */
  private pump(): void {
    if (this.state !== 'ready' || this.socket === undefined) return;
    while (this.queue.length > 0 && this.reportsInFlight < this.tuning.window) {
      if (!this.takeToken()) {
        this.pumpTimer ??= setTimeout(() => {
          this.pumpTimer = undefined;
          this.pump();
        }, Math.ceil(1000 / this.tuning.framesPerSecond));
        return;
      }
      const fixes = this.queue.splice(0, this.queue.length > 1 ? this.tuning.batchFixes : 1);
      const batch = fixes.length > 1;
      this.reportsInFlight++;
      this.stats.fixesSent += fixes.length;
      if (batch) this.stats.batchFrames++;
      else this.stats.locationFrames++;
      // Batch type 0 (normal): these are live reports that queued up, not a blind-area upload.
      const sent = batch
        ? this.request(MessageId.batchUpload, (a) => encodeBatchUpload(a, 0, fixes), fixes)
        : this.request(MessageId.locationReport, (a) => encodeLocationReport(a, fixes[0]!), fixes);
      sent.then(
        (reply) => this.onReportAnswered(fixes, reply),
        () => undefined, // a dropped connection re-queued them
      );
    }
    this.notifySettled();
  }

  private onReportAnswered(fixes: readonly LocationInput[], reply: GeneralAckMessage | RegisterAckMessage): void {
    this.reportsInFlight--;
    if (reply.type === 'general-ack' && reply.result === GeneralAckResult.success) this.stats.fixesAcknowledged += fixes.length;
    else if (reply.type === 'general-ack' && reply.result === GeneralAckResult.failure) {
      // The platform could not keep them (its bus refused): the terminal sends them again.
      this.stats.fixesResent += fixes.length;
      this.queue.unshift(...fixes);
    } else this.stats.fixesRefused += fixes.length;
    this.pump();
    this.notifySettled();
  }

  private takeToken(): boolean {
    const now = performance.now();
    const rate = this.tuning.framesPerSecond;
    this.tokens = Math.min(rate, this.tokens + ((now - this.tokensAt) * rate) / 1000);
    this.tokensAt = now;
    if (this.tokens < 1) return false;
    this.tokens--;
    return true;
  }

  private onFrame(bytes: Uint8Array): void {
    const f = platformFrame(bytes);
    if (f.kind === 'reply') {
      const p = this.pending.get(f.reply.repliedSerial);
      if (p === undefined) return; // an answer that came after its request timed out
      this.pending.delete(f.reply.repliedSerial);
      p.resolve(f.reply);
      return;
    }
    if (f.kind !== 'command') return;
    const socket = this.socket;
    if (socket === undefined) return;
    this.write(socket, encodeTerminalAck(this.address(this.nextSerial()), { repliedSerial: f.header.serial, repliedMessageId: f.header.messageId, result: 0 }));
    this.stats.commandsAnswered++;
    if (f.header.messageId === 0x8300) {
      this.stats.textMessages++;
      this.event('text message received', { serial: f.header.serial, text: f.text });
    } else {
      this.event('platform message answered', { messageId: `0x${f.header.messageId.toString(16).padStart(4, '0')}`, serial: f.header.serial });
    }
  }

  /** Every second: heartbeats on an idle link, and a link whose requests go unanswered is dropped. */
  private sweep(): void {
    const now = performance.now();
    for (const p of this.pending.values()) {
      if (p.deadline > now) continue;
      this.event('no reply; dropping the link', { messageId: `0x${p.messageId.toString(16).padStart(4, '0')}` });
      this.socket?.destroy();
      return;
    }
    if (this.state === 'ready' && this.socket !== undefined && now - this.lastSentAt >= this.tuning.heartbeatMs) {
      this.stats.heartbeats++;
      // A request like any other: no answer within replyTimeoutMs drops a link that died silently.
      this.request(MessageId.heartbeat, (a) => encodeHeartbeat(a)).catch(() => undefined);
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
