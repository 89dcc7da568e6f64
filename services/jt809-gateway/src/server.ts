import { randomBytes } from 'node:crypto';
import type { Server, Socket } from 'node:net';
import { createServer, isIP } from 'node:net';
import { SerialProducer, type Bus } from '@dgt/bus';
import type { LoginRequest } from '@dgt/jt809';
import { GatewayError, type Logger, MicroBatchPublisher, silentLogger } from '@dgt/jt808-gateway';
import { Registry } from 'prom-client';
import { DownLink } from './downLink.ts';
import type { Jt809GatewayConfig } from './gatewayConfig.ts';
import { MainConnection } from './mainConnection.ts';
import { PlatformActivity, metricsRecordingActivity } from './linkActivity.ts';
import type { GatewayMetrics, RefusedReason } from './metrics.ts';
import { createGatewayMetrics } from './metrics.ts';
import type { PlatformAccount, PlatformAccounts } from './platformAccounts.ts';
import { PlatformLink } from './platformLink.ts';
import { VehicleGate } from './vehicleAccess.ts';
import type { VehicleRegister } from './vehicleRegister.ts';

export interface Jt809GatewayOptions {
  readonly config: Jt809GatewayConfig;
  /** Must be durable (`bus.durable`): a heartbeat is answered once the link's data is on the bus. */
  readonly bus: Bus;
  readonly accounts: PlatformAccounts;
  /** Who holds which plate and who owned it when. */
  readonly register: VehicleRegister;
  /** Wall clock, epoch ms: receipt time of frames. Default `Date.now`. */
  readonly clock?: () => number;
  readonly registry?: Registry;
  readonly logger?: Logger;
  /** Tests and benches only: accept the in-process bus. */
  readonly testOnlyAllowNonDurableBus?: boolean;
}

/**
 * A platform's links as the desk, `GET /links` and /readyz see them. Times are epoch ms of the
 * gateway's clock; null when there is none (a link not up, no frame since the gateway started).
 * Counts are since the gateway started, as its Prometheus counters.
 */
export interface PlatformStatus {
  readonly platformId: string;
  /** The account's `name`, if it has one. */
  readonly name: string | null;
  readonly edition: '2011' | '2019';
  readonly mainLink: 'up' | 'down';
  /** `address:port` of the logged-in main link. */
  readonly mainRemote: string | null;
  /** When the current main-link login happened. */
  readonly mainConnectedAtMs: number | null;
  readonly downLink: 'off' | 'connecting' | 'logging-in' | 'up' | 'waiting' | 'stopped';
  /** `host:port` the down link connects to. */
  readonly downTarget: string | null;
  /** When the down link's 0x9002 accepted our login. */
  readonly downConnectedAtMs: number | null;
  /** The platform's last frame on either link (to the second). */
  readonly lastMessageAtMs: number | null;
  /** Fixes the bus accepted: in all, and in the last 60 seconds. */
  readonly fixesTotal: number;
  readonly fixesLastMinute: number;
  /** Fixes, alarms and registrations not taken, by reason (reasons never seen are absent). */
  readonly refusals: Readonly<Partial<Record<RefusedReason, number>>>;
}

export interface Jt809Gateway {
  listen(): Promise<{ host: string; port: number }>;
  /** Stops accepting, closes every link, and waits for publishes in flight to settle. */
  close(): Promise<void>;
  readonly listening: boolean;
  readonly connectionCount: number;
  readonly metrics: GatewayMetrics;
  readonly registry: Registry;
  /** Every configured platform, the state of its links and what they carried. Cheap: fields, no registry scrape. */
  status(): PlatformStatus[];
}

interface Session {
  readonly link: PlatformLink;
  main: MainConnection | undefined;
  down: DownLink | undefined;
  /** Ends the down link when the main link stays lost. */
  grace: NodeJS.Timeout | undefined;
}

export function createJt809Gateway(options: Jt809GatewayOptions): Jt809Gateway {
  const { config, bus, accounts } = options;
  if (!bus.durable && options.testOnlyAllowNonDurableBus !== true) {
    throw new GatewayError(
      'NON_DURABLE_BUS',
      'the JT/T 809 gateway needs a durable bus (Kafka: set KAFKA_BROKERS): it answers a platform\'s heartbeat once the data before it is on the bus',
    );
  }
  const logger = options.logger ?? silentLogger;
  const clock = options.clock ?? Date.now;
  const registry = options.registry ?? new Registry();
  const activities = new Map<string, PlatformActivity>(accounts.all.map((a) => [a.platformId, new PlatformActivity(clock)]));
  const metrics = metricsRecordingActivity(createGatewayMetrics(registry), (platformId) => activities.get(platformId));
  const monotonicMs = () => performance.now();
  // A fresh producer after a failed send (see SerialProducer): the platform back-fills after the outage.
  const producer = new SerialProducer(() => bus.producer());
  const batching = { batchSize: config.publishBatchSize, lingerMs: config.publishLingerMs };
  const positions = new MicroBatchPublisher(producer, config.positionsTopic, batching);
  const platformEvents = new MicroBatchPublisher(producer, config.platformEventsTopic, batching);
  const vehicles = new VehicleGate(options.register);
  const linkDeps = { config, metrics, logger, clock, monotonicMs, vehicles, positions, platformEvents };
  const connections = new Set<MainConnection>();
  const sessions = new Map<string, Session>();
  let listening = false;
  let sweeper: NodeJS.Timeout | undefined;

  for (const a of accounts.all) {
    metrics.linkUp(a.platformId, 'main').set(0);
    metrics.linkUp(a.platformId, 'down').set(0);
  }

  const endSession = (s: Session) => {
    if (s.grace !== undefined) clearTimeout(s.grace);
    s.down?.stop();
    s.link.ended = true;
    if (sessions.get(s.link.account.platformId) === s) sessions.delete(s.link.account.platformId);
  };

  const downLinkTarget = (account: PlatformAccount, request: LoginRequest): { host: string; port: number } | undefined => {
    if (account.downLink === 'off') return undefined;
    if (account.downLink !== 'advertised') return account.downLink;
    const host = request.downLinkIp.trim();
    if (host === '' || request.downLinkPort === 0) return undefined;
    // The gateway connects out only to where the platform may connect from: a login must not
    // make the bureau's gateway open connections to arbitrary hosts.
    if (isIP(host) === 0 || !account.ipAllowed(host)) {
      logger.warn('platform advertises a down link outside its allowed addresses; not connecting', { platform: account.platformId, downLink: `${host}:${request.downLinkPort}` });
      metrics.downLinkConnects(account.platformId, 'refused').inc();
      return undefined;
    }
    return { host, port: request.downLinkPort };
  };

  const onLogin = (connection: MainConnection, account: PlatformAccount, request: LoginRequest): PlatformLink => {
    const id = account.platformId;
    const previous = sessions.get(id);
    if (previous !== undefined) {
      if (previous.main !== undefined && previous.main !== connection) {
        logger.warn('platform logged in on a new connection; closing its previous one', { platform: id, previous: previous.main.remote, current: connection.remote });
        previous.main.close('replaced');
      }
      endSession(previous);
    }
    const link = new PlatformLink(account, randomBytes(4).readUInt32BE(0), linkDeps);
    const session: Session = { link, main: connection, down: undefined, grace: undefined };
    sessions.set(id, session);
    metrics.linkUp(id, 'main').set(1);
    logger.info('platform logged in', { platform: id, remote: connection.remote, edition: account.edition });
    const target = downLinkTarget(account, request);
    if (target !== undefined) {
      session.down = new DownLink(link, target.host, target.port, {
        config,
        metrics,
        logger,
        clock,
        monotonicMs,
        notifyBroken: (reason) => session.main?.send(link.encode({ type: 'down-link-broken', code: reason })),
      });
      // After the 0x1002 is written: the platform expects its down link once it has the verify code.
      setImmediate(() => {
        if (!link.ended) session.down?.start();
      });
    }
    return link;
  };

  const sessionOf = (connection: MainConnection): Session | undefined => {
    const id = connection.link?.account.platformId;
    const s = id === undefined ? undefined : sessions.get(id);
    return s !== undefined && s.main === connection ? s : undefined;
  };

  const mainDeps = {
    config,
    accounts,
    metrics,
    logger,
    monotonicMs,
    clock,
    onLogin,
    onLogout: (connection: MainConnection) => {
      const s = sessionOf(connection);
      if (s !== undefined) endSession(s);
    },
    onClosed: (connection: MainConnection) => {
      connections.delete(connection);
      const s = sessionOf(connection);
      if (s === undefined) {
        if (connection.link !== undefined && !sessions.has(connection.link.account.platformId)) metrics.linkUp(connection.link.account.platformId, 'main').set(0);
        return;
      }
      s.main = undefined;
      metrics.linkUp(s.link.account.platformId, 'main').set(0);
      // Main link lost without a logout: the standard has the platform carry on over the down
      // link (0x1007, then data) until it logs in again, so the down link stays for a while.
      if (s.down === undefined || !listening) {
        endSession(s);
        return;
      }
      s.grace = setTimeout(() => endSession(s), config.downLinkGraceMs);
      s.grace.unref();
    },
  };

  const server: Server = createServer({ noDelay: true }, (socket: Socket) => {
    metrics.connectionsTotal.inc();
    metrics.connections.inc();
    connections.add(new MainConnection(socket, mainDeps));
  });
  server.maxConnections = config.maxConnections;
  server.on('drop', () => metrics.acceptError('MAX_CONNECTIONS').inc());
  server.on('error', (e: NodeJS.ErrnoException) => {
    if (!listening) return;
    metrics.acceptError(e.code ?? 'unknown').inc();
    logger.error('accepting a platform connection failed', { code: e.code, error: e.message });
  });

  const sweepEveryMs = Math.max(10, Math.min(1_000, config.idleTimeoutMs / 4, config.loginTimeoutMs / 4));

  return {
    get listening() {
      return listening;
    },
    get connectionCount() {
      return connections.size;
    },
    metrics,
    registry,
    status: () => {
      const now = clock();
      return accounts.all.map((a) => {
        const s = sessions.get(a.platformId);
        const activity = activities.get(a.platformId)!;
        const mainUp = s?.main !== undefined;
        const downLink = s?.down?.current ?? 'off';
        return {
          platformId: a.platformId,
          name: a.name ?? null,
          edition: a.edition,
          mainLink: mainUp ? 'up' : 'down',
          mainRemote: s?.main?.remote ?? null,
          mainConnectedAtMs: mainUp ? activity.mainConnectedAtMs : null,
          downLink,
          downTarget: s?.down?.target ?? null,
          downConnectedAtMs: downLink === 'up' ? activity.downConnectedAtMs : null,
          lastMessageAtMs: activity.lastMessageAtMs,
          fixesTotal: activity.fixesTotal,
          fixesLastMinute: activity.fixesLastMinute(now),
          refusals: { ...activity.refusals },
        };
      });
    },
    listen: () =>
      new Promise((resolve, reject) => {
        const onError = (e: Error) => reject(e);
        server.once('error', onError);
        server.listen({ host: config.host, port: config.port, backlog: 1024 }, () => {
          server.off('error', onError);
          listening = true;
          sweeper = setInterval(() => {
            const now = monotonicMs();
            for (const c of connections) c.checkDeadlines(now);
          }, sweepEveryMs);
          sweeper.unref();
          const address = server.address();
          const port = typeof address === 'object' && address !== null ? address.port : config.port;
          logger.info('jt809 gateway listening', { host: config.host, port, platforms: accounts.all.length, vehicles: options.register.size });
          resolve({ host: config.host, port });
        });
      }),
    close: async () => {
      listening = false;
      if (sweeper !== undefined) clearInterval(sweeper);
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of [...sessions.values()]) endSession(s);
      for (const c of connections) c.close('shutdown');
      await positions.flush();
      await platformEvents.flush();
      await closed;
      await producer.close();
    },
  };
}
