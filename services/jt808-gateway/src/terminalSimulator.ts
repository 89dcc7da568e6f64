import type { Socket } from 'node:net';
import { connect } from 'node:net';
import type { BatchType, FrameAddress, GeneralAckMessage, Jt808Header, LocationInput, ProtocolFlavour, RegisterAckMessage, TextMessage } from '@dgt/jt808';
import { FrameSplitter, GeneralAckResult, Jt808DecodeError, MessageId, RegisterAckResult, decodeFrame, decodeTextMessageFrame, encodeBatchUpload, encodeLocationReport, encodeTerminalAck } from '@dgt/jt808';
import type { TerminalEntry } from './gatewayConfig.ts';
import type { TerminalIdentity } from './terminalFrames.ts';
import { encodeAuthenticate, encodeHeartbeat, encodeLogout, encodeRegister } from './terminalFrames.ts';

export interface SimulatedTerminalOptions {
  readonly host: string;
  readonly port: number;
  /** Phone digits as the terminal writes them in its headers. */
  readonly phone: string;
  readonly flavour: ProtocolFlavour;
  /** What it states in 0x0100; default `simulatedIdentity(phone)`. */
  readonly identity?: TerminalIdentity;
  /** The code issued at an earlier registration, kept as a real terminal keeps it across reconnects. */
  readonly authCode?: string;
  /** How long to wait for any reply before failing the request. Default 30 s. */
  readonly replyTimeoutMs?: number;
  /** The 0x0001 result it answers a 0x8300 text message with (default 0 success); null: it never answers. */
  readonly textReply?: number | null;
}

/** A 0x8300 the simulated terminal received, with the header it came in (serial, edition). */
export interface ReceivedText {
  readonly header: Jt808Header;
  readonly message: TextMessage;
}

/**
 * The identity a simulated terminal states: DGT's simulator model, the last 7 digits of its
 * phone as terminal id, a yellow plate (colour 2, as on hazmat trucks).
 */
export function simulatedIdentity(phone: string, plate = '浙J·00000'): TerminalIdentity {
  return { manufacturerId: 'DGTSM', terminalModel: 'DGT-SIM-808', terminalId: phone.replace(/^0+/, '').slice(-7), plateColour: 2, plate };
}

/** The gateway's record for a simulated terminal (`JT808_TERMINALS` entry). */
export function simulatedTerminalEntry(phone: string, plate: string): TerminalEntry {
  const { manufacturerId, terminalModel, terminalId, plateColour } = simulatedIdentity(phone, plate);
  return { phone, plate, plateColour, manufacturerId, terminalModel, terminalId };
}

type Reply = GeneralAckMessage | RegisterAckMessage;

interface Waiting {
  resolve(reply: Reply): void;
  reject(error: Error): void;
  /** performance.now() after which the request fails. */
  deadline: number;
}

export class SimulatorError extends Error {
  override readonly name = 'SimulatorError';
  constructor(
    readonly code: 'CLOSED' | 'TIMEOUT' | 'REFUSED' | 'UNEXPECTED_REPLY',
    message: string,
  ) {
    super(message);
  }
}

/**
 * One simulated BeiDou terminal on a TCP connection, built on the codec. Requests may be
 * pipelined: each resolves with the platform reply that answers its serial.
 */
export class SimulatedTerminal {
  private serial = 0;
  private readonly waiting = new Map<number, Waiting>();
  private readonly splitter = new FrameSplitter();
  private corked = false;
  private closedFlag = false;
  private code: string | undefined;
  /** Platform replies that answered no request of ours (a gateway answering what needs no answer). */
  readonly strayReplies: Reply[] = [];
  /** 0x8300 text messages from the platform, in arrival order (each answered per `textReply`). */
  readonly texts: ReceivedText[] = [];
  // One sweep per terminal instead of a timer per request: in the bench a fleet answers tens of
  // thousands of requests a second, and a timer each is needless allocation and GC.
  private readonly sweeper: NodeJS.Timeout;
  /** Resolves when the platform (or we) closed the connection. */
  readonly closed: Promise<void>;

  private constructor(
    private readonly socket: Socket,
    readonly options: SimulatedTerminalOptions,
  ) {
    this.code = options.authCode;
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', () => undefined); // 'close' follows and fails whatever waits
    const timeoutMs = options.replyTimeoutMs ?? 30_000;
    this.sweeper = setInterval(() => this.expire(timeoutMs), Math.max(10, Math.min(1_000, timeoutMs / 4)));
    this.sweeper.unref();
    this.closed = new Promise((resolve) =>
      socket.once('close', () => {
        this.closedFlag = true;
        clearInterval(this.sweeper);
        for (const w of this.waiting.values()) {
          w.reject(new SimulatorError('CLOSED', `connection of terminal ${options.phone} closed`));
        }
        this.waiting.clear();
        resolve();
      }),
    );
  }

  static connect(options: SimulatedTerminalOptions): Promise<SimulatedTerminal> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: options.host, port: options.port });
      socket.once('error', reject);
      socket.once('connect', () => {
        socket.off('error', reject);
        resolve(new SimulatedTerminal(socket, options));
      });
    });
  }

  get isClosed(): boolean {
    return this.closedFlag;
  }

  /** Requests sent and not yet answered. */
  get outstanding(): number {
    return this.waiting.size;
  }

  /** The auth code this terminal holds (issued by its registration, or given at connect). */
  get authCode(): string | undefined {
    return this.code;
  }

  /** 0x0100 with its identity (fields overridable, e.g. to play an impostor); keeps the code it is issued. */
  async register(overrides: Partial<TerminalIdentity> = {}): Promise<RegisterAckMessage> {
    const identity = { ...(this.options.identity ?? simulatedIdentity(this.options.phone)), ...overrides };
    const reply = expect(await this.request((a) => encodeRegister(a, identity)), 'register-ack');
    if (reply.result === RegisterAckResult.ok) this.code = reply.authCode;
    return reply;
  }

  authenticate(authCode: string): Promise<GeneralAckMessage> {
    return this.request((a) => encodeAuthenticate(a, authCode)).then((r) => expect(r, 'general-ack'));
  }

  /**
   * Authenticate with the code it holds, as a real terminal does on every reconnect; only a
   * terminal without one registers first (once: a second registration is refused until an
   * operator resets it). Throws REFUSED unless it ends authenticated; returns the code.
   */
  async login(): Promise<string> {
    if (this.code === undefined) {
      const reg = await this.register();
      if (reg.result !== RegisterAckResult.ok || this.code === undefined) throw new SimulatorError('REFUSED', `terminal ${this.options.phone}: register result ${reg.result}`);
    }
    const code = this.code;
    const auth = await this.authenticate(code);
    if (auth.result !== GeneralAckResult.success) throw new SimulatorError('REFUSED', `terminal ${this.options.phone}: authentication result ${auth.result}`);
    return code;
  }

  heartbeat(): Promise<GeneralAckMessage> {
    return this.request((a) => encodeHeartbeat(a)).then((r) => expect(r, 'general-ack'));
  }

  report(location: LocationInput): Promise<GeneralAckMessage> {
    return this.request((a) => encodeLocationReport(a, location)).then((r) => expect(r, 'general-ack'));
  }

  batch(batchType: BatchType, locations: readonly LocationInput[]): Promise<GeneralAckMessage> {
    return this.request((a) => encodeBatchUpload(a, batchType, locations)).then((r) => expect(r, 'general-ack'));
  }

  logout(): Promise<GeneralAckMessage> {
    return this.request((a) => encodeLogout(a)).then((r) => expect(r, 'general-ack'));
  }

  /** Any bytes, unanswered (garbage, hand-made frames). */
  sendRaw(bytes: Uint8Array): void {
    this.write(bytes);
  }

  /** Sends a frame built for the next serial and waits for the reply to that serial. */
  request(build: (address: FrameAddress) => Uint8Array): Promise<Reply> {
    if (this.closedFlag) return Promise.reject(new SimulatorError('CLOSED', `connection of terminal ${this.options.phone} is closed`));
    const serial = this.serial;
    this.serial = (serial + 1) & 0xffff;
    const frame = build({ flavour: this.options.flavour, phone: this.options.phone, serial });
    return new Promise<Reply>((resolve, reject) => {
      this.waiting.set(serial, { resolve, reject, deadline: performance.now() + (this.options.replyTimeoutMs ?? 30_000) });
      this.write(frame);
    });
  }

  private expire(timeoutMs: number): void {
    const now = performance.now();
    // Map order is send order, so the first request still in time ends the scan.
    for (const [serial, w] of this.waiting) {
      if (w.deadline > now) break;
      this.waiting.delete(serial);
      w.reject(new SimulatorError('TIMEOUT', `terminal ${this.options.phone}: no reply to serial ${serial} within ${timeoutMs} ms`));
    }
  }

  close(): Promise<void> {
    this.socket.destroy();
    return this.closed;
  }

  private write(bytes: Uint8Array): void {
    // Frames produced in one tick leave in one segment, as a busy terminal's would.
    if (!this.corked) {
      this.corked = true;
      this.socket.cork();
      process.nextTick(() => {
        this.corked = false;
        this.socket.uncork();
      });
    }
    this.socket.write(bytes);
  }

  private onData(chunk: Buffer): void {
    for (const item of this.splitter.push(chunk)) {
      if (item.kind !== 'frame') continue;
      const r = decodeFrame(item.bytes);
      // A platform command is not something a platform decodes: the terminal reads it separately.
      if (!r.ok && r.error.header?.messageId === MessageId.textMessage) {
        this.onText(item.bytes);
        continue;
      }
      if (!r.ok || r.value.kind !== 'message') continue;
      const m = r.value.message;
      if (m.type !== 'general-ack' && m.type !== 'register-ack') continue;
      const w = this.waiting.get(m.repliedSerial);
      if (w === undefined) {
        this.strayReplies.push(m);
        continue;
      }
      this.waiting.delete(m.repliedSerial);
      w.resolve(m);
    }
  }

  /** Reads a 0x8300 as a terminal does and answers it with 0x0001 (serial and id of the 0x8300, `textReply`). */
  private onText(frame: Uint8Array): void {
    let received: ReceivedText;
    try {
      received = decodeTextMessageFrame(frame);
    } catch (e) {
      if (e instanceof Jt808DecodeError) return;
      throw e;
    }
    this.texts.push(received);
    const result = this.options.textReply === undefined ? 0 : this.options.textReply;
    if (result === null) return;
    const serial = this.serial;
    this.serial = (serial + 1) & 0xffff;
    this.write(encodeTerminalAck({ flavour: this.options.flavour, phone: this.options.phone, serial }, { repliedSerial: received.header.serial, repliedMessageId: MessageId.textMessage, result }));
  }
}

function expect<T extends Reply['type']>(reply: Reply, type: T): Extract<Reply, { type: T }> {
  if (reply.type !== type) throw new SimulatorError('UNEXPECTED_REPLY', `expected ${type}, got ${reply.type}`);
  return reply as Extract<Reply, { type: T }>;
}
