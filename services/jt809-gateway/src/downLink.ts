import type { Socket } from 'node:net';
import { connect } from 'node:net';
import { DownLinkBrokenReason, DownLoginResult, FrameSplitter } from '@dgt/jt809';
import type { Jt809GatewayConfig } from './gatewayConfig.ts';
import type { LinkCodec } from './frameReader.ts';
import { readFrame } from './frameReader.ts';
import type { Logger } from '@dgt/jt808-gateway';
import type { GatewayMetrics } from './metrics.ts';
import type { LinkChannel, PlatformLink, Receipt } from './platformLink.ts';
import { PublishTracker } from './publishTracker.ts';

export interface DownLinkDeps {
  readonly config: Jt809GatewayConfig;
  readonly metrics: GatewayMetrics;
  readonly logger: Logger;
  readonly clock: () => number;
  readonly monotonicMs: () => number;
  /** Tell the platform over its main link (0x9007) that the down link is broken, if the main link is up. */
  readonly notifyBroken: (reason: number) => void;
}

export type DownLinkState = 'connecting' | 'logging-in' | 'up' | 'waiting' | 'stopped';

/**
 * The down link (从链路): this gateway connects to the subordinate's down-link server, logs in
 * with the verify code it issued in 0x1002 (0x9001 → 0x9002) and keeps the link alive with
 * 0x9005 / 0x9006. Lost or refused, it is re-opened with a doubling back-off and the platform is
 * told (0x9007) over its main link. Frames the platform sends over it (0x1007 when its main link
 * broke, and data while the main link is down) go to the same PlatformLink as main-link frames.
 */
export class DownLink implements LinkChannel {
  readonly kind = 'down' as const;
  private socket: Socket | undefined;
  private state: DownLinkState = 'connecting';
  private wasUp = false;
  /** The platform answered our 0x9001 with a refusal: counted as such, not as a failed connect. */
  private refusedLogin = false;
  /** The platform was told (0x9007) about the current outage. */
  private notified = false;
  private retryMs: number;
  private timer: NodeJS.Timeout | undefined;
  private replyDeadline: NodeJS.Timeout | undefined;
  private tracker: PublishTracker;
  private splitter: FrameSplitter;

  constructor(
    private readonly link: PlatformLink,
    private readonly host: string,
    private readonly port: number,
    private readonly deps: DownLinkDeps,
  ) {
    this.retryMs = deps.config.downLinkRetryMinMs;
    this.splitter = new FrameSplitter({ maxFrameBytes: deps.config.maxFrameBytes });
    this.tracker = new PublishTracker(deps.config.maxInFlightPerConnection, () => this.socket?.pause(), () => this.socket?.resume());
  }

  get current(): DownLinkState {
    return this.state;
  }

  get target(): string {
    return `${this.host}:${this.port}`;
  }

  start(): void {
    this.open();
  }

  /** Closes the link for good (logout, a new login, the grace after a lost main link, shutdown). */
  stop(): void {
    if (this.state === 'stopped') return;
    this.state = 'stopped';
    this.clearTimers();
    this.socket?.destroy();
    this.setUp(false);
  }

  // ---- LinkChannel
  send(frame: Uint8Array): void {
    if (this.socket !== undefined && !this.socket.destroyed && this.socket.writable) this.socket.write(frame);
  }

  track(settled: Promise<void>): void {
    this.tracker.track(settled);
  }

  afterPublished(fn: () => void): void {
    this.tracker.afterPublished(fn);
  }

  busRefused(): void {
    this.socket?.destroy();
  }

  // ----
  private get platformId(): string {
    return this.link.account.platformId;
  }

  private codec(): LinkCodec {
    const a = this.link.account;
    return { edition: a.edition, keys: a.keys, acceptUnescaped: a.acceptUnescaped };
  }

  private setUp(up: boolean): void {
    this.deps.metrics.linkUp(this.platformId, 'down').set(up ? 1 : 0);
  }

  private clearTimers(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    if (this.replyDeadline !== undefined) clearTimeout(this.replyDeadline);
    this.timer = undefined;
    this.replyDeadline = undefined;
  }

  private expectReplyWithin(): void {
    if (this.replyDeadline !== undefined) clearTimeout(this.replyDeadline);
    this.replyDeadline = setTimeout(() => {
      this.deps.logger.warn('down link did not answer in time', { platform: this.platformId, state: this.state });
      this.socket?.destroy();
    }, this.deps.config.downLinkReplyTimeoutMs);
    this.replyDeadline.unref();
  }

  private open(): void {
    if (this.state === 'stopped') return;
    this.state = 'connecting';
    this.splitter = new FrameSplitter({ maxFrameBytes: this.deps.config.maxFrameBytes });
    const socket = connect({ host: this.host, port: this.port, noDelay: true });
    this.socket = socket;
    socket.setTimeout(this.deps.config.downLinkReplyTimeoutMs, () => {
      if (this.state === 'connecting') socket.destroy();
    });
    socket.on('connect', () => {
      socket.setTimeout(0);
      this.state = 'logging-in';
      this.send(this.link.encode({ type: 'down-login-request', verifyCode: this.link.verifyCode }));
      this.expectReplyWithin();
    });
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (e: NodeJS.ErrnoException) => this.deps.logger.debug('down link socket error', { platform: this.platformId, code: e.code }));
    socket.on('close', () => this.onClose(socket));
  }

  private onClose(socket: Socket): void {
    if (socket !== this.socket) return;
    const wasUp = this.state === 'up';
    this.clearTimers();
    this.setUp(false);
    if (this.state === 'stopped') return;
    if (!wasUp && !this.refusedLogin) this.deps.metrics.downLinkConnects(this.platformId, 'failed').inc();
    this.refusedLogin = false;
    // Once per outage, not at every retry: the platform needs to know the link is down, not how often we tried.
    if (!this.notified) {
      this.notified = true;
      this.deps.notifyBroken(this.wasUp ? DownLinkBrokenReason.disconnected : DownLinkBrokenReason.cannotConnect);
    }
    this.state = 'waiting';
    this.timer = setTimeout(() => this.open(), this.retryMs);
    this.timer.unref();
    this.retryMs = Math.min(this.retryMs * 2, this.deps.config.downLinkRetryMaxMs);
  }

  private onData(chunk: Buffer): void {
    const now = this.deps.monotonicMs();
    let at: Receipt | undefined;
    for (const item of this.splitter.push(chunk)) {
      if (item.kind === 'error') {
        this.deps.metrics.decodeError(item.error.kind).inc();
        continue;
      }
      const r = readFrame(item.bytes, this.codec());
      if (r.unescaped) this.deps.metrics.unescaped(this.platformId, r.ok ? 'accepted' : 'refused').inc();
      if (!r.ok) {
        this.deps.metrics.decodeError(r.error.kind).inc();
        continue;
      }
      const { header, message } = r.frame;
      this.deps.metrics.frames(header.messageId).inc();
      if (header.centreId !== this.link.account.accessCode) {
        this.deps.metrics.refused(this.platformId, 'wrong-access-code').inc();
        continue;
      }
      if (message.type === 'down-login-response') {
        this.onLoginResponse(message.result);
        continue;
      }
      if (message.type === 'down-heartbeat-response') {
        if (this.replyDeadline !== undefined) clearTimeout(this.replyDeadline);
        this.replyDeadline = undefined;
        continue;
      }
      if (this.state !== 'up') continue;
      if (at === undefined) {
        const receivedMs = this.deps.clock();
        at = { monotonicMs: now, receivedMs, ingestedAt: new Date(receivedMs).toISOString() };
      }
      this.link.onMessage(header, message, this, at);
    }
  }

  private onLoginResponse(result: number): void {
    if (this.state !== 'logging-in') return;
    if (this.replyDeadline !== undefined) clearTimeout(this.replyDeadline);
    this.replyDeadline = undefined;
    if (result !== DownLoginResult.ok) {
      this.deps.metrics.downLinkConnects(this.platformId, 'refused').inc();
      this.deps.logger.warn('platform refused our down-link login (0x9002)', { platform: this.platformId, result });
      this.refusedLogin = true;
      this.socket?.destroy();
      return;
    }
    this.state = 'up';
    this.wasUp = true;
    this.notified = false;
    this.retryMs = this.deps.config.downLinkRetryMinMs;
    this.deps.metrics.downLinkConnects(this.platformId, 'ok').inc();
    this.setUp(true);
    this.deps.logger.info('down link up', { platform: this.platformId, target: this.target });
    this.heartbeat();
  }

  private heartbeat(): void {
    this.timer = setTimeout(() => {
      if (this.state !== 'up') return;
      this.send(this.link.encode({ type: 'down-heartbeat' }));
      this.expectReplyWithin();
      this.heartbeat();
    }, this.deps.config.downLinkHeartbeatMs);
    this.timer.unref();
  }
}
