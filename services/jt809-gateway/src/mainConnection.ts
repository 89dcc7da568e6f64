import type { Socket } from 'node:net';
import type { Jt809DecodeError, Jt809Header, Jt809Message, LoginRequest } from '@dgt/jt809';
import { FrameSplitter, LoginResult, encodeFrame } from '@dgt/jt809';
import { TokenBucket } from '@dgt/jt808-gateway';
import type { CloseReason } from './closeReasons.ts';
import type { LinkCodec } from './frameReader.ts';
import { guessLoginEdition, peekAccessCode, readFrame } from './frameReader.ts';
import type { Jt809GatewayConfig } from './gatewayConfig.ts';
import type { Logger } from '@dgt/jt808-gateway';
import { checkLogin } from './loginCheck.ts';
import type { GatewayMetrics } from './metrics.ts';
import type { PlatformAccount, PlatformAccounts } from './platformAccounts.ts';
import { plainAddress } from './platformAccounts.ts';
import type { LinkChannel, PlatformLink, Receipt } from './platformLink.ts';
import { PublishTracker } from './publishTracker.ts';

export interface MainConnectionDeps {
  readonly config: Jt809GatewayConfig;
  readonly accounts: PlatformAccounts;
  readonly metrics: GatewayMetrics;
  readonly logger: Logger;
  readonly monotonicMs: () => number;
  readonly clock: () => number;
  /** A login passed every check: the gateway makes (or replaces) the platform's link and answers 0x1002. */
  readonly onLogin: (connection: MainConnection, account: PlatformAccount, request: LoginRequest) => PlatformLink;
  readonly onLogout: (connection: MainConnection) => void;
  readonly onClosed: (connection: MainConnection) => void;
}

// A refused socket that ignores our FIN is destroyed after this.
const END_GRACE_MS = 2_000;

/**
 * One main-link TCP connection (subordinate → this gateway): framing, limits, the login and
 * logout, then every frame handed to its PlatformLink. Replies of one tick leave in one write.
 */
export class MainConnection implements LinkChannel {
  readonly kind = 'main' as const;
  readonly remote: string;
  readonly remoteAddress: string;
  link: PlatformLink | undefined;
  private readonly splitter: FrameSplitter;
  private readonly bucket: TokenBucket;
  private readonly tracker: PublishTracker;
  private readonly openedMs: number;
  private lastFrameMs: number;
  private consecutiveErrors = 0;
  private closeReason: CloseReason | undefined;
  private pausedForWrites = false;
  private pausedForInFlight = false;
  private corked = false;

  constructor(
    private readonly socket: Socket,
    private readonly deps: MainConnectionDeps,
  ) {
    this.remoteAddress = plainAddress(socket.remoteAddress ?? '');
    this.remote = `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`;
    this.splitter = new FrameSplitter({ maxFrameBytes: deps.config.maxFrameBytes });
    this.openedMs = deps.monotonicMs();
    this.lastFrameMs = this.openedMs;
    this.bucket = new TokenBucket(deps.config.framesPerSecond, deps.config.frameBurst, this.openedMs);
    this.tracker = new PublishTracker(
      deps.config.maxInFlightPerConnection,
      () => {
        this.pausedForInFlight = true;
        deps.metrics.pauses.inc();
        socket.pause();
      },
      () => {
        this.pausedForInFlight = false;
        this.maybeResume();
      },
    );
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('drain', () => {
      this.pausedForWrites = false;
      this.maybeResume();
    });
    socket.on('error', (e: NodeJS.ErrnoException) => {
      this.closeReason ??= e.code === 'ECONNRESET' || e.code === 'EPIPE' ? 'peer' : 'socket-error';
      if (this.closeReason === 'socket-error') deps.logger.warn('platform socket error', { remote: this.remote, code: e.code, error: e.message });
    });
    socket.on('close', () => {
      deps.metrics.closed(this.closeReason ?? 'peer').inc();
      deps.metrics.connections.dec();
      deps.onClosed(this);
    });
  }

  get closing(): boolean {
    return this.closeReason !== undefined;
  }

  get reason(): CloseReason | undefined {
    return this.closeReason;
  }

  /** Idle and login deadlines; called periodically by the server. */
  checkDeadlines(nowMs: number): void {
    if (this.closing) return;
    if (nowMs - this.lastFrameMs > this.deps.config.idleTimeoutMs) this.close('idle');
    else if (this.link === undefined && nowMs - this.openedMs > this.deps.config.loginTimeoutMs) this.close('login-timeout');
  }

  close(reason: CloseReason): void {
    if (this.closing) return;
    this.closeReason = reason;
    this.socket.destroy();
  }

  // ---- LinkChannel
  send(frame: Uint8Array): void {
    if (this.socket.destroyed || !this.socket.writable) return;
    if (!this.corked) {
      this.corked = true;
      this.socket.cork();
      process.nextTick(() => {
        this.corked = false;
        this.socket.uncork();
      });
    }
    if (!this.socket.write(frame) && !this.pausedForWrites) {
      // The platform is not reading our replies: stop reading its frames until it does.
      this.pausedForWrites = true;
      this.deps.metrics.pauses.inc();
      this.socket.pause();
    }
  }

  track(settled: Promise<void>): void {
    this.tracker.track(settled);
  }

  afterPublished(fn: () => void): void {
    this.tracker.afterPublished(fn);
  }

  busRefused(): void {
    this.close('bus-unavailable');
  }

  // ----
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

  private maybeResume(): void {
    if (!this.pausedForInFlight && !this.pausedForWrites && !this.closing) this.socket.resume();
  }

  private onData(chunk: Buffer): void {
    if (this.closing) return;
    const now = this.deps.monotonicMs();
    const items = this.splitter.push(chunk);
    // A stream that never shows a frame flag is no platform.
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
      if (at === undefined) {
        const receivedMs = this.deps.clock();
        at = { monotonicMs: now, receivedMs, ingestedAt: new Date(receivedMs).toISOString() };
      }
      if (this.link === undefined) this.onFrameBeforeLogin(item.bytes);
      else this.onFrame(this.link, item.bytes, at);
    }
  }

  private onDecodeError(error: Jt809DecodeError): void {
    this.deps.metrics.decodeError(error.kind).inc();
    if (++this.consecutiveErrors >= this.deps.config.maxConsecutiveDecodeErrors) this.close('garbage');
  }

  private codecOf(account: PlatformAccount): LinkCodec {
    return { edition: account.edition, keys: account.keys, acceptUnescaped: account.acceptUnescaped };
  }

  private decode(bytes: Uint8Array, codec: LinkCodec, platformId: string | undefined): { header: Jt809Header; message: Jt809Message } | undefined {
    const r = readFrame(bytes, codec);
    if (r.unescaped && platformId !== undefined) this.deps.metrics.unescaped(platformId, r.ok ? 'accepted' : 'refused').inc();
    if (!r.ok) {
      // A well-formed frame of a business this gateway does not take (0x1300 platform queries,
      // 0x1500 vehicle control, 0x1600 static information…) is no sign of garbage: counted, skipped.
      if (r.error.kind === 'unknown-message' && r.error.header !== undefined) {
        this.deps.metrics.decodeError(r.error.kind).inc();
        this.deps.metrics.frames(r.error.header.messageId).inc();
        this.consecutiveErrors = 0;
        return undefined;
      }
      this.onDecodeError(r.error);
      return undefined;
    }
    this.consecutiveErrors = 0;
    this.deps.metrics.frames(r.frame.header.messageId).inc();
    return r.frame;
  }

  private onFrameBeforeLogin(bytes: Uint8Array): void {
    const { metrics } = this.deps;
    const code = peekAccessCode(bytes);
    const account = code === undefined ? undefined : this.deps.accounts.byAccessCode(code);
    const codec: LinkCodec = account === undefined ? { edition: guessLoginEdition(bytes), keys: undefined, acceptUnescaped: false } : this.codecOf(account);
    const frame = this.decode(bytes, codec, account?.platformId);
    if (frame === undefined) return;
    if (frame.message.type !== 'login-request') {
      // Nothing counts before a login; a platform reconnecting may well send a heartbeat first.
      metrics.refused(account?.platformId ?? 'unknown', 'not-logged-in').inc();
      return;
    }
    const outcome = checkLogin(this.deps.accounts, frame.header.centreId, frame.message, this.remoteAddress);
    if (!outcome.ok) {
      metrics.login(outcome.reason).inc();
      this.deps.logger.warn('platform login refused', { remote: this.remote, accessCode: frame.header.centreId, userId: frame.message.userId, reason: outcome.reason });
      // Refusals go out in clear text, in the edition the login came in: a refused caller is not
      // owed the link's keys, and may not be the platform at all.
      this.send(
        encodeFrame(
          { edition: codec.edition, serial: 1, centreId: frame.header.centreId, timeSeconds: Math.floor(this.deps.clock() / 1000) },
          { type: 'login-response', result: outcome.result, verifyCode: 0 },
        ),
      );
      this.closeAfterReplies('login-refused', this.deps.config.refuseCloseDelayMs);
      return;
    }
    metrics.login('ok').inc();
    this.link = this.deps.onLogin(this, outcome.account, frame.message);
    this.send(this.link.encode({ type: 'login-response', result: LoginResult.ok, verifyCode: this.link.verifyCode }));
  }

  private onFrame(link: PlatformLink, bytes: Uint8Array, at: Receipt): void {
    const account = link.account;
    const frame = this.decode(bytes, this.codecOf(account), account.platformId);
    if (frame === undefined) return;
    const { header, message } = frame;
    // One link is one platform: a frame naming another access code is not this platform's to send.
    if (header.centreId !== account.accessCode) {
      this.deps.metrics.refused(account.platformId, 'wrong-access-code').inc();
      return;
    }
    if (message.type === 'logout-request') {
      this.deps.logger.info('platform logged out', { platform: account.platformId, remote: this.remote });
      this.send(link.encode({ type: 'logout-response' }));
      this.deps.onLogout(this);
      this.closeAfterReplies('logout', 0);
      return;
    }
    if (message.type === 'login-request') return; // already logged in on this connection
    link.onMessage(header, message, this, at);
  }
}
