import type { Server, Socket } from 'node:net';
import { createServer } from 'node:net';
import { SerialProducer, type Bus } from '@dgt/bus';
import { Registry } from 'prom-client';
import { TerminalConnection } from './connection.ts';
import type { Jt808GatewayConfig } from './gatewayConfig.ts';
import type { Logger } from './logger.ts';
import { silentLogger } from './logger.ts';
import type { GatewayMetrics } from './metrics.ts';
import { createGatewayMetrics } from './metrics.ts';
import { MicroBatchPublisher } from './publisher.ts';
import type { TerminalRegistry } from './terminalRegistry.ts';

export interface Jt808GatewayOptions {
  readonly config: Jt808GatewayConfig;
  readonly bus: Bus;
  /** Known terminals (phone ↔ plate, auth codes). */
  readonly terminals: TerminalRegistry;
  /** Prometheus registry the gateway's metrics are registered in. Default: a new one. */
  readonly registry?: Registry;
  readonly logger?: Logger;
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
}

export function createJt808Gateway(options: Jt808GatewayOptions): Jt808Gateway {
  const { config, bus, terminals } = options;
  const logger = options.logger ?? silentLogger;
  const registry = options.registry ?? new Registry();
  const metrics = createGatewayMetrics(registry);
  // A fresh kafkajs producer after every failed send: the terminal re-sends a refused report, and on
  // the same producer that send could reuse the failed one's sequence number and be dropped as a duplicate.
  const producer = new SerialProducer(() => bus.producer());
  const publisher = new MicroBatchPublisher(producer, config.positionsTopic, { batchSize: config.publishBatchSize, lingerMs: config.publishLingerMs });
  const connections = new Set<TerminalConnection>();
  const byPhone = new Map<string, TerminalConnection>();
  const monotonicMs = () => performance.now();
  let listening = false;
  let sweeper: NodeJS.Timeout | undefined;

  const deps = {
    config,
    terminals,
    metrics,
    publisher,
    logger,
    monotonicMs,
    wallClockIso: () => new Date().toISOString(),
    onAuthenticated: (connection: TerminalConnection, phone: string) => {
      const previous = byPhone.get(phone);
      // One live connection per terminal: a reconnecting terminal replaces its half-dead predecessor.
      if (previous !== undefined && previous !== connection) previous.close('replaced');
      byPhone.set(phone, connection);
    },
    onClosed: (connection: TerminalConnection) => {
      connections.delete(connection);
      const phone = connection.session.authenticatedPhone;
      if (phone !== undefined && byPhone.get(phone) === connection) byPhone.delete(phone);
    },
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
    listen: () =>
      new Promise((resolve, reject) => {
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
          const address = server.address();
          const port = typeof address === 'object' && address !== null ? address.port : config.port;
          logger.info('jt808 gateway listening', { host: config.host, port, terminals: terminals.size });
          resolve({ host: config.host, port });
        });
      }),
    close: async () => {
      listening = false;
      if (sweeper !== undefined) clearInterval(sweeper);
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const c of connections) c.close('shutdown');
      await publisher.flush();
      await closed;
      await producer.close();
    },
  };
}
