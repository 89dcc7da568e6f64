/**
 * A terminal the platform knows, as configured (`JT808_TERMINALS` / `JT808_TERMINALS_FILE`): its
 * phone number, the vehicle it is fitted to, and its identity as it states it in 0x0100. A
 * registration is accepted only when the 0x0100 body matches all of it.
 */
export interface TerminalEntry {
  /** Terminal phone number digits (leading zeros are not significant: 013912344329 = 13912344329). */
  readonly phone: string;
  /** Vehicle plate as printed (`浙J·12345`); with `plateColour` 0 the vehicle's VIN instead. */
  readonly plate: string;
  /** JT/T 697.7 plate colour: 1 blue, 2 yellow (hazmat trucks), 3 black, 4 white, 5 green, 9 other, 0 no plate (VIN). */
  readonly plateColour: number;
  /** Manufacturer id (5 bytes in 2013 bodies, 11 in 2019). */
  readonly manufacturerId: string;
  /** Terminal model (20 bytes in 2013, 30 in 2019). */
  readonly terminalModel: string;
  /** Terminal id (7 bytes in 2013, 30 in 2019). */
  readonly terminalId: string;
  /** `vehicleId` of the published positions; default: `plate` as written here. */
  readonly vehicleId?: string | undefined;
}

export interface Jt808GatewayConfig {
  readonly host: string;
  /** TCP port terminals connect to; 0 = any free port (tests). */
  readonly port: number;
  /** Topic positions are published to (`topicNames().positions`). */
  readonly positionsTopic: string;
  /** Topic terminal registrations and resets are published to (`topicNames().consignments`, key `terminal:<phone>`). */
  readonly consignmentsTopic: string;
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
  /** A fix dated more than this after its receipt is not published (terminal clock wrong). */
  readonly maxFutureSkewMs: number;
  /** A fix dated more than this before its receipt is not published (older than any back-fill). */
  readonly backfillWindowMs: number;
  /** Sub-packaged messages per connection: parts one message may announce, messages and bytes held at once. */
  readonly maxSubpackageParts: number;
  readonly maxPendingSubpackages: number;
  readonly maxPendingSubpackageBytes: number;
  /** How often the gateway looks for registration changes made by `dgt terminals` and retries the event outbox. */
  readonly stateCheckMs: number;
  /** Follow the consignments topic for `DriverMessageRequested` and send each as 0x8300 to a terminal this gateway holds. */
  readonly driverMessages: boolean;
  /** This gateway instance in `DriverMessageSent`/`…Delivered`/`…Undeliverable` (`JT808_GATEWAY_ID`, default the host name). */
  readonly gatewayId: string;
  /**
   * Its own consumer group on the consignments topic: every gateway must see every request, and
   * acts only for the terminals it holds. Stable across restarts (offsets resume), unique per gateway.
   */
  readonly driverMessagesGroupId: string;
  /** A request for a terminal no gateway holds is given up (`not-connected`) this long after it was made. */
  readonly messageConnectTimeoutMs: number;
  /** A sent 0x8300 with no 0x0001 within this long is given up (`no-reply`). */
  readonly messageReplyTimeoutMs: number;
}

export const defaultGatewayConfig: Omit<Jt808GatewayConfig, 'positionsTopic' | 'consignmentsTopic'> = {
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
  maxFutureSkewMs: 300_000,
  backfillWindowMs: 7 * 86_400_000,
  // Sub-packaged 0x0704 back-fills are rare; a connection's share stays small: at most
  // 4 messages and 256 KiB, which 256 parts of ≤ 1023 bytes fit.
  maxSubpackageParts: 256,
  maxPendingSubpackages: 4,
  maxPendingSubpackageBytes: 256 * 1024,
  stateCheckMs: 1_000,
  driverMessages: true,
  gatewayId: 'jt808-gateway',
  driverMessagesGroupId: 'dgt-jt808-gateway-messages',
  // A parked driver is told within minutes or not at all: a terminal back after 10 minutes gets no stale advice.
  messageConnectTimeoutMs: 600_000,
  // Terminals answer 0x8300 within seconds; a minute covers a slow cellular link.
  messageReplyTimeoutMs: 60_000,
};

/** Defaults for everything not given (tests and the bench pass only what they change). */
export function gatewayConfig(overrides: Partial<Jt808GatewayConfig> & Pick<Jt808GatewayConfig, 'positionsTopic' | 'consignmentsTopic'>): Jt808GatewayConfig {
  return { ...defaultGatewayConfig, ...overrides };
}
