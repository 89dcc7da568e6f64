/** A terminal the platform knows: phone number (as configured) ↔ vehicle plate. */
export interface TerminalEntry {
  /** Terminal phone number digits (leading zeros are not significant: 013912344329 = 13912344329). */
  readonly phone: string;
  /** Vehicle plate, used as `vehicleId` in published positions. */
  readonly plate: string;
  /** Fixed auth code; otherwise derived from `authSecret`. Printable ASCII. */
  readonly authCode?: string | undefined;
}

export interface Jt808GatewayConfig {
  readonly host: string;
  /** TCP port terminals connect to; 0 = any free port (tests). */
  readonly port: number;
  /** Topic positions are published to (`topicNames().positions`). */
  readonly positionsTopic: string;
  /** Escaped bytes between two 0x7E flags; longer frames are a decode error. */
  readonly maxFrameBytes: number;
  /** Token bucket per connection: sustained frames per second and burst size. */
  readonly framesPerSecond: number;
  readonly frameBurst: number;
  /** Consecutive undecodable frames after which a connection is closed as garbage. */
  readonly maxConsecutiveDecodeErrors: number;
  /** A connection with no frame for this long is closed. */
  readonly idleTimeoutMs: number;
  /** A connection not authenticated after this long is closed. */
  readonly authTimeoutMs: number;
  /** Delay before closing a refused terminal (unknown phone, bad auth code), so it reads the reply. */
  readonly refuseCloseDelayMs: number;
  /** Location reports of one connection awaiting the bus; above this its socket is paused. */
  readonly maxInFlightPerConnection: number;
  /** Most concurrent connections; further ones are dropped by the server. */
  readonly maxConnections: number;
  /** Micro-batching towards the bus: flush at this many messages or after this delay. */
  readonly publishBatchSize: number;
  readonly publishLingerMs: number;
  /** Publish fixes whose status says "not positioned" (bit 1 = 0)? Default false: they are acked and counted only. */
  readonly publishUnfixed: boolean;
}

export const defaultGatewayConfig: Omit<Jt808GatewayConfig, 'positionsTopic'> = {
  host: '0.0.0.0',
  port: 6808,
  maxFrameBytes: 4096,
  framesPerSecond: 50,
  frameBurst: 200,
  maxConsecutiveDecodeErrors: 5,
  idleTimeoutMs: 180_000,
  authTimeoutMs: 60_000,
  refuseCloseDelayMs: 1_000,
  maxInFlightPerConnection: 256,
  maxConnections: 20_000,
  publishBatchSize: 1_000,
  publishLingerMs: 2,
  publishUnfixed: false,
};

/** Defaults for everything not given (tests and the bench pass only what they change). */
export function gatewayConfig(overrides: Partial<Jt808GatewayConfig> & Pick<Jt808GatewayConfig, 'positionsTopic'>): Jt808GatewayConfig {
  return { ...defaultGatewayConfig, ...overrides };
}
