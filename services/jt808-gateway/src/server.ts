import type { Server, Socket } from 'node:net';
import { createServer } from 'node:net';
import { SerialProducer, type Bus, type BusConsumer } from '@dgt/bus';
import type { TerminalAckMessage } from '@dgt/jt808';
import { Registry } from 'prom-client';
import { TerminalConnection } from './connection.ts';
import type { DriverMessageOutcome, TerminalLink } from './driverMessages/dispatcher.ts';
import { DriverMessageDispatcher } from './driverMessages/dispatcher.ts';
import { startDriverMessageFeed } from './driverMessages/feed.ts';
import type { DriverMessageOutcomeLabel } from './driverMessages/metrics.ts';
import { createDriverMessageMetrics } from './driverMessages/metrics.ts';
import { OutcomeOutbox } from './driverMessages/outcomeOutbox.ts';
import { GatewayError } from './errors.ts';
import type { Jt808GatewayConfig } from './gatewayConfig.ts';
import type { Logger } from './logger.ts';
import { silentLogger } from './logger.ts';
import type { GatewayMetrics } from './metrics.ts';
import { createGatewayMetrics } from './metrics.ts';
import { MicroBatchPublisher } from './publisher.ts';
import type { TerminalStateStore } from './state/terminalStateStore.ts';
import { TerminalEventOutbox } from './terminalEventOutbox.ts';
import type { TerminalRecords } from './terminalRecords.ts';
import type { AuthenticatedTerminal } from './terminalRegistrar.ts';
import { TerminalRegistrar } from './terminalRegistrar.ts';

export interface Jt808GatewayOptions {
  readonly config: Jt808GatewayConfig;
  /** Must be durable (`bus.durable`): a terminal is acked once its report is on the bus, and forgets it. */
  readonly bus: Bus;
  /** The configured terminals (phone ↔ vehicle, terminal identity). */
  readonly terminals: TerminalRecords;
  /** Registrations (hashed auth codes) and the terminal event outbox; the caller opens and closes it. */
  readonly state: TerminalStateStore;
  /** Wall clock, epoch ms: receipt time of frames. Default `Date.now`. */
  readonly clock?: () => number;
  /** Prometheus registry the gateway's metrics are registered in. Default: a new one. */
  readonly registry?: Registry;
  readonly logger?: Logger;
  /**
   * Tests and benches only: accept a bus whose sends do not survive the process (the in-process
   * memory bus). A gateway on such a bus acks reports that a crash then loses.
   */
  readonly testOnlyAllowNonDurableBus?: boolean;
}

export interface Jt808Gateway {
  /** Starts accepting terminals; resolves with the bound port (useful with port 0). */
  listen(): Promise<{ host: string; port: number }>;
  /** Stops accepting, closes every connection, and waits for publishes in flight to settle. */
  close(): Promise<void>;
  /** True between a successful listen and close. */
  readonly listening: boolean;
  readonly connectionCount: number;
  readonly metrics: GatewayMetrics;
  readonly registry: Registry;
  /** Publishes waiting terminal events now (also runs by itself after registrations and every `stateCheckMs`). */
  drainOutbox(): Promise<void>;
  /** Gives up driver messages whose time ran out and publishes waiting outcomes now (also runs every second). */
  checkDriverMessages(): Promise<void>;
}

function outcomeLabel(e: DriverMessageOutcome): DriverMessageOutcomeLabel {
  switch (e.type) {
    case 'DriverMessageSent':
      return 'sent';
    case 'DriverMessageDelivered':
      return 'delivered';
    case 'DriverMessageUndeliverable':
      return e.data.reason;
    default: {
      const never: never = e;
      return never;
    }
  }
}

export function createJt808Gateway(options: Jt808GatewayOptions): Jt808Gateway {
  const { config, bus, terminals, state } = options;
  if (!bus.durable && options.testOnlyAllowNonDurableBus !== true) {
    throw new GatewayError(
      'NON_DURABLE_BUS',
      'the JT/T 808 gateway needs a durable bus (Kafka: set KAFKA_BROKERS): it acks a terminal once its report is on the bus, and the in-process bus loses what it holds on exit',
    );
  }
  const logger = options.logger ?? silentLogger;
  const clock = options.clock ?? Date.now;
  const registry = options.registry ?? new Registry();
  const metrics = createGatewayMetrics(registry);
  // A fresh kafkajs producer after every failed send: the terminal re-sends a refused report, and on
  // the same producer that send could reuse the failed one's sequence number and be dropped as a duplicate.
  const producer = new SerialProducer(() => bus.producer());
  const publisher = new MicroBatchPublisher(producer, config.positionsTopic, { batchSize: config.publishBatchSize, lingerMs: config.publishLingerMs });
  const outbox = new TerminalEventOutbox({ store: state, producer, topic: config.consignmentsTopic, metrics, logger, clock });
  const registrar = new TerminalRegistrar({ records: terminals, store: state, onRegistered: () => void outbox.drain() });
  const connections = new Set<TerminalConnection>();
  const byPhone = new Map<string, TerminalConnection>();
  const monotonicMs = () => performance.now();
  let listening = false;
  let sweeper: NodeJS.Timeout | undefined;
  let stateWatch: NodeJS.Timeout | undefined;
  let messageTimer: NodeJS.Timeout | undefined;
  let messageFeed: BusConsumer | undefined;

  const messageMetrics = createDriverMessageMetrics(registry);
  const outcomes = new OutcomeOutbox({ producer, topic: config.consignmentsTopic, clock, metrics: messageMetrics, logger });
  const dispatcher = new DriverMessageDispatcher({
    gatewayId: config.gatewayId,
    connectTimeoutMs: config.messageConnectTimeoutMs,
    replyTimeoutMs: config.messageReplyTimeoutMs,
    emit: (event) => {
      messageMetrics.outcome(outcomeLabel(event)).inc();
      outcomes.push(event);
    },
  });
  const links = new WeakMap<TerminalConnection, TerminalLink>();
  const checkDriverMessages = async () => {
    dispatcher.tick(clock());
    const { pending, awaiting } = dispatcher.counts;
    messageMetrics.waiting.labels('pending').set(pending);
    messageMetrics.waiting.labels('awaiting').set(awaiting);
    await outcomes.flush();
  };

  const deps = {
    config,
    registrar,
    metrics,
    publisher,
    logger,
    monotonicMs,
    clock,
    onAuthenticated: (connection: TerminalConnection, terminal: AuthenticatedTerminal) => {
      const previous = byPhone.get(terminal.phone);
      // One live connection per terminal. Only a connection that presented the terminal's code
      // gets here, so a reconnecting terminal replaces its half-dead predecessor; an impostor
      // cannot (it has no code).
      if (previous !== undefined && previous !== connection) {
        logger.warn('terminal authenticated on a new connection; closing its previous one', { phone: terminal.phone, previous: previous.remote, current: connection.remote });
        previous.close('replaced');
      }
      byPhone.set(terminal.phone, connection);
      const link: TerminalLink = { vehicleId: terminal.vehicleId, phone: terminal.phone, sendText: (input) => connection.sendText(input) };
      links.set(connection, link);
      dispatcher.onAuthenticated(link, clock());
    },
    onTerminalAck: (connection: TerminalConnection, ack: TerminalAckMessage) => {
      const link = links.get(connection);
      if (link !== undefined) dispatcher.onTerminalAck(link, ack, clock());
    },
    onClosed: (connection: TerminalConnection) => {
      const link = links.get(connection);
      if (link !== undefined) dispatcher.onClosed(link);
      connections.delete(connection);
      const phone = connection.session.authenticatedPhone;
      if (phone !== undefined && byPhone.get(phone) === connection) byPhone.delete(phone);
    },
  };

  /** After `dgt terminals reset` (another process): connections authenticated under a cleared registration end. */
  const closeResetConnections = () => {
    for (const [phone, c] of byPhone) {
      const terminal = c.session.terminal;
      if (terminal !== undefined && !registrar.isCurrent(terminal)) {
        logger.warn('terminal registration was reset; closing its connection', { phone, remote: c.remote });
        c.close('reset');
      }
    }
  };

  const checkState = () => {
    if (state.changedElsewhere()) closeResetConnections();
    const pending = state.pendingEventCount;
    metrics.outboxPending.set(pending);
    if (pending > 0) void outbox.drain();
  };

  const server: Server = createServer({ noDelay: true }, (socket: Socket) => {
    metrics.connectionsTotal.inc();
    metrics.connections.inc();
    connections.add(new TerminalConnection(socket, deps));
  });
  server.maxConnections = config.maxConnections;
  server.on('drop', () => metrics.acceptError('MAX_CONNECTIONS').inc());
  // Accept failures (EMFILE when out of file descriptors, ECONNABORTED) are per connection:
  // count them and keep listening instead of crashing every other terminal's session.
  server.on('error', (e: NodeJS.ErrnoException) => {
    if (!listening) return;
    metrics.acceptError(e.code ?? 'unknown').inc();
    logger.error('accepting a terminal connection failed', { code: e.code, error: e.message });
  });

  const sweepEveryMs = Math.max(10, Math.min(1_000, config.idleTimeoutMs / 4, config.authTimeoutMs / 4));

  return {
    get listening() {
      return listening;
    },
    get connectionCount() {
      return connections.size;
    },
    metrics,
    registry,
    drainOutbox: () => outbox.drain(),
    checkDriverMessages,
    listen: async () => {
      if (config.driverMessages) {
        messageFeed = await startDriverMessageFeed({ bus, topic: config.consignmentsTopic, groupId: config.driverMessagesGroupId, dispatcher, clock, metrics: messageMetrics, logger });
        const every = Math.max(10, Math.min(1_000, config.messageConnectTimeoutMs / 4, config.messageReplyTimeoutMs / 4));
        messageTimer = setInterval(() => void checkDriverMessages(), every);
        messageTimer.unref();
      }
      return new Promise((resolve, reject) => {
        const onError = (e: Error) => reject(e);
        server.once('error', onError);
        server.listen({ host: config.host, port: config.port, backlog: 4096 }, () => {
          server.off('error', onError);
          listening = true;
          sweeper = setInterval(() => {
            const now = monotonicMs();
            for (const c of connections) c.checkDeadlines(now);
          }, sweepEveryMs);
          sweeper.unref();
          // Events left from a previous run, or written by `dgt terminals` meanwhile, go out now.
          checkState();
          stateWatch = setInterval(checkState, config.stateCheckMs);
          stateWatch.unref();
          const address = server.address();
          const port = typeof address === 'object' && address !== null ? address.port : config.port;
          logger.info('jt808 gateway listening', { host: config.host, port, terminals: terminals.size, state: state.path });
          resolve({ host: config.host, port });
        });
      });
    },
    close: async () => {
      listening = false;
      if (messageTimer !== undefined) clearInterval(messageTimer);
      await messageFeed?.stop();
      if (sweeper !== undefined) clearInterval(sweeper);
      if (stateWatch !== undefined) clearInterval(stateWatch);
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const c of connections) c.close('shutdown');
      await publisher.flush();
      // One last attempt; whatever the bus refuses stays in the outbox for the next start.
      await outbox.drain();
      await outcomes.flush();
      await closed;
      await producer.close();
    },
  };
}
