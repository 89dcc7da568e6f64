export interface Jt809GatewayConfig {
  readonly host: string;
  /** TCP port subordinate platforms connect their main link to; 0 = any free port (tests). */
  readonly port: number;
  /** Topic positions are published to (`topicNames().positions`). */
  readonly positionsTopic: string;
  /** Topic alarms and registration mismatches are published to (`topicNames().consignments`, key `platform:<id>`). */
  readonly platformEventsTopic: string;
  /** Escaped bytes between 0x5B and 0x5D; longer frames are a decode error. */
  readonly maxFrameBytes: number;
  /** Token bucket per connection: a platform forwards a whole fleet, so this is far above a terminal's. */
  readonly framesPerSecond: number;
  readonly frameBurst: number;
  /** Consecutive undecodable frames after which a connection is closed as garbage. */
  readonly maxConsecutiveDecodeErrors: number;
  /** A main link with no frame for this long is closed (the standard's heartbeat is about a minute). */
  readonly idleTimeoutMs: number;
  /** A connection not logged in after this long is closed. */
  readonly loginTimeoutMs: number;
  /** Delay before closing a refused login, so the platform reads its 0x1002. */
  readonly refuseCloseDelayMs: number;
  /** Frames of one connection awaiting the bus; above this its socket is paused. */
  readonly maxInFlightPerConnection: number;
  readonly maxConnections: number;
  /** Micro-batching towards the bus (shared by all links). */
  readonly publishBatchSize: number;
  readonly publishLingerMs: number;
  /** Publish fixes whose status says "not positioned"? Default false, as the JT/T 808 gateway. */
  readonly publishUnfixed: boolean;
  readonly maxFutureSkewMs: number;
  /** 0x1203 back-fills (and late 0x1202s) older than this at receipt are not published. */
  readonly backfillWindowMs: number;
  /** Down link: heartbeat (0x9005) period, how long a 0x9002/0x9006 may take, reconnect back-off. */
  readonly downLinkHeartbeatMs: number;
  readonly downLinkReplyTimeoutMs: number;
  readonly downLinkRetryMinMs: number;
  readonly downLinkRetryMaxMs: number;
  /** After the main link is lost (not logged out), the down link stays up this long for the platform to come back. */
  readonly downLinkGraceMs: number;
}

export const defaultGatewayConfig: Omit<Jt809GatewayConfig, 'positionsTopic' | 'platformEventsTopic'> = {
  host: '0.0.0.0',
  port: 9809,
  maxFrameBytes: 8192,
  // A provincial platform relays thousands of vehicles: 5,000 vehicles every 10 s is 500 frames/s.
  framesPerSecond: 5_000,
  frameBurst: 20_000,
  maxConsecutiveDecodeErrors: 5,
  idleTimeoutMs: 180_000,
  loginTimeoutMs: 60_000,
  refuseCloseDelayMs: 1_000,
  maxInFlightPerConnection: 1_024,
  maxConnections: 1_000,
  publishBatchSize: 1_000,
  publishLingerMs: 2,
  publishUnfixed: false,
  maxFutureSkewMs: 300_000,
  backfillWindowMs: 7 * 86_400_000,
  downLinkHeartbeatMs: 60_000,
  downLinkReplyTimeoutMs: 10_000,
  downLinkRetryMinMs: 1_000,
  downLinkRetryMaxMs: 60_000,
  downLinkGraceMs: 180_000,
};

/** Defaults for everything not given (tests and the bench pass only what they change). */
export function gatewayConfig(overrides: Partial<Jt809GatewayConfig> & Pick<Jt809GatewayConfig, 'positionsTopic' | 'platformEventsTopic'>): Jt809GatewayConfig {
  return { ...defaultGatewayConfig, ...overrides };
}
