import type { Server, Socket } from 'node:net';
import { connect, createServer } from 'node:net';
import type { CipherKeys, DecodedFrame, Edition, Jt809FixInput, Jt809Message, Jt809MessageInput } from '@dgt/jt809';
import { DownLoginResult, FrameSplitter, decodeFrame, encodeFrame } from '@dgt/jt809';

export interface SimulatedPlatformOptions {
  readonly host: string;
  readonly port: number;
  readonly edition: Edition;
  readonly accessCode: number;
  readonly userId: number;
  readonly password: string;
  /** M1/IA1/IC1: frames are sent encrypted with them, and encrypted replies decrypted. */
  readonly keys?: CipherKeys | undefined;
  /** Run a down-link server (on loopback, any port) and advertise it in 0x1001. */
  readonly downLink?: boolean;
  /** Answer every 0x9001 with 0x9002 result 1 (a platform that does not accept our down link). */
  readonly refuseDownLogin?: boolean;
  /** The sender's clock for 2019 headers. Default Date.now. */
  readonly clock?: () => number;
}

export class SimulatorError extends Error {
  override readonly name = 'SimulatorError';
}

type Waiter = { readonly type: Jt809Message['type']; resolve(m: Jt809Message): void };

/** Two links' worth of frames: reads one TCP stream, hands each decoded frame on. */
class FrameStream {
  private readonly splitter = new FrameSplitter();
  constructor(
    socket: Socket,
    codec: { edition: Edition; keys?: CipherKeys | undefined },
    onFrame: (frame: DecodedFrame) => void,
  ) {
    socket.on('data', (chunk: Buffer) => {
      for (const item of this.splitter.push(chunk)) {
        if (item.kind !== 'frame') continue;
        const r = decodeFrame(item.bytes, codec);
        if (r.ok) onFrame(r.value);
      }
    });
  }
}

/**
 * A subordinate platform over real TCP, encoding with @dgt/jt809: logs in, sends fixes, back-fills,
 * registrations and alarms, and optionally serves the down link the gateway opens (answering
 * 0x9001 with the verify code it was given, and 0x9005). Tests, the bench and operators use it.
 */
export class SimulatedPlatform {
  private socket: Socket | undefined;
  private serial = 0;
  private waiters: Waiter[] = [];
  private downServer: Server | undefined;
  private downSockets = new Set<Socket>();
  private closedResolve: (() => void) | undefined;
  /** Every frame received on the main link. */
  readonly received: Jt809Message[] = [];
  /** Every frame the gateway sent on the down link. */
  readonly downReceived: Jt809Message[] = [];
  verifyCode: number | undefined;
  /** Down-link logins seen and whether their verify code was right. */
  readonly downLogins: boolean[] = [];
  closed: Promise<void> = Promise.resolve();

  constructor(readonly options: SimulatedPlatformOptions) {}

  private get clock(): () => number {
    return this.options.clock ?? Date.now;
  }

  get downLinkPort(): number | undefined {
    const a = this.downServer?.address();
    return typeof a === 'object' && a !== null ? a.port : undefined;
  }

  /** A frame as this platform would send it (for tests that then mangle it). */
  frame(message: Jt809MessageInput, overrides: { accessCode?: number; encrypt?: boolean } = {}): Uint8Array {
    this.serial = (this.serial + 1) >>> 0;
    const { edition, keys } = this.options;
    const base = { edition, serial: this.serial, centreId: overrides.accessCode ?? this.options.accessCode, timeSeconds: Math.floor(this.clock() / 1000) };
    const encrypt = (overrides.encrypt ?? true) && keys !== undefined;
    return encodeFrame(encrypt ? { ...base, keys, encryptKey: (this.serial * 2_654_435_761) >>> 0 } : base, message);
  }

  async connect(): Promise<void> {
    if (this.options.downLink === true && this.downServer === undefined) await this.startDownServer();
    const socket = connect({ host: this.options.host, port: this.options.port, noDelay: true });
    this.socket = socket;
    this.closed = new Promise((resolve) => (this.closedResolve = resolve));
    socket.on('close', () => this.closedResolve?.());
    socket.on('error', () => undefined);
    new FrameStream(socket, this.options, (f) => this.onFrame(f.message));
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('error', reject);
    });
  }

  /** Sends 0x1001 and waits for 0x1002; returns its result (0 = logged in). */
  async login(password = this.options.password, userId = this.options.userId): Promise<number> {
    const reply = this.next('login-response');
    this.send(
      this.frame({
        type: 'login-request',
        userId,
        password,
        accessCode: this.options.edition === '2019' ? this.options.accessCode : undefined,
        downLinkIp: this.options.downLink === true ? '127.0.0.1' : '',
        downLinkPort: this.downLinkPort ?? 0,
      }),
    );
    const m = (await reply) as Extract<Jt809Message, { type: 'login-response' }>;
    if (m.result === 0) this.verifyCode = m.verifyCode;
    return m.result;
  }

  /** 0x1005 → 0x1006: the gateway answers once everything sent before is on the bus. */
  async heartbeat(): Promise<void> {
    const reply = this.next('heartbeat-response');
    this.send(this.frame({ type: 'heartbeat' }));
    await reply;
  }

  async logout(): Promise<void> {
    const reply = this.next('logout-response');
    this.send(this.frame({ type: 'logout-request', userId: this.options.userId, password: this.options.password }));
    await reply;
  }

  sendFix(plate: string, plateColour: number, fix: Jt809FixInput): void {
    this.send(this.frame({ type: 'vehicle-dynamic', plate, plateColour, data: { kind: 'location', fix } }));
  }

  sendBackfill(plate: string, plateColour: number, fixes: readonly Jt809FixInput[]): void {
    this.send(this.frame({ type: 'vehicle-dynamic', plate, plateColour, data: { kind: 'backfill', fixes } }));
  }

  send(bytes: Uint8Array): void {
    if (this.socket === undefined) throw new SimulatorError('not connected');
    this.socket.write(bytes);
  }

  /** Whether the socket is still writable (after a write that TCP buffered). */
  get writable(): boolean {
    return this.socket !== undefined && !this.socket.destroyed && this.socket.writable;
  }

  /** Waits for the next main-link frame of this type. */
  next(type: Jt809Message['type'], timeoutMs = 10_000): Promise<Jt809Message> {
    return new Promise((resolve, reject) => {
      const waiter: Waiter = { type, resolve };
      this.waiters.push(waiter);
      setTimeout(() => {
        const i = this.waiters.indexOf(waiter);
        if (i < 0) return;
        this.waiters.splice(i, 1);
        reject(new SimulatorError(`no ${type} within ${timeoutMs} ms`));
      }, timeoutMs).unref();
    });
  }

  /** Drops the main link without a logout (a network outage). */
  dropMainLink(): void {
    this.socket?.destroy();
  }

  async close(): Promise<void> {
    this.socket?.destroy();
    for (const s of this.downSockets) s.destroy();
    if (this.downServer !== undefined) await new Promise<void>((r) => this.downServer!.close(() => r()));
    this.downServer = undefined;
  }

  /** Closes the down-link sockets the gateway opened (the gateway should re-open them). */
  dropDownLinks(): void {
    for (const s of this.downSockets) s.destroy();
  }

  /** Sends on the down link the gateway opened (as a platform does while its main link is broken). */
  sendOnDownLink(bytes: Uint8Array): boolean {
    const s = [...this.downSockets].at(-1);
    if (s === undefined) return false;
    s.write(bytes);
    return true;
  }

  private onFrame(m: Jt809Message): void {
    this.received.push(m);
    const i = this.waiters.findIndex((w) => w.type === m.type);
    if (i >= 0) this.waiters.splice(i, 1)[0]!.resolve(m);
  }

  private async startDownServer(): Promise<void> {
    const server = createServer((socket) => {
      this.downSockets.add(socket);
      socket.on('close', () => this.downSockets.delete(socket));
      socket.on('error', () => undefined);
      new FrameStream(socket, this.options, (f) => {
        this.downReceived.push(f.message);
        if (f.message.type === 'down-login-request') {
          const ok = f.message.verifyCode === this.verifyCode && this.options.refuseDownLogin !== true;
          this.downLogins.push(ok);
          socket.write(this.frame({ type: 'down-login-response', result: ok ? DownLoginResult.ok : DownLoginResult.badVerifyCode }));
        } else if (f.message.type === 'down-heartbeat') {
          socket.write(this.frame({ type: 'down-heartbeat-response' }));
        }
      });
    });
    this.downServer = server;
    await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port: 0 }, () => resolve()));
  }
}

/** A plausible fix for vehicle `i`, report `k`: 2011 frames carry the 2011 layout, 2019 frames the JT/T 808 body. */
export function simulatedFixInput(edition: Edition, i: number, k: number, timeMs: number): Jt809FixInput {
  const latitude = 28.45 + ((i * 7919) % 4000) / 10_000 + (k % 600) * 0.00005;
  const longitude = 121.0 + ((i * 104_729) % 6000) / 10_000 + (k % 600) * 0.00004;
  const status = 0b11 | (i % 3 === 0 ? 3 << 8 : 0);
  const direction = (i * 13 + k * 3) % 360;
  if (edition === '2011') {
    return { layout: '2011', timeMs, latitude, longitude, speedKmh: 30 + (k % 50), direction, altitudeM: 10 + (i % 50), status, alarm: 0, mileageKm: 1000 + k };
  }
  return {
    layout: 'jt808',
    location: { alarm: 0, status, latitude, longitude, altitudeM: 10 + (i % 50), speedKmh: 30 + (k % 50), direction, timeMs, extras: { mileageKm: 1000 + k / 10, satellites: 9 } },
  };
}
