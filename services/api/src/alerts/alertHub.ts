import type { ServerResponse } from 'node:http';
import { stringifyWellFormed } from '@dgt/events';
import { alertView, visibleTo, type AlertView, type Scope } from '@dgt/readmodels';
import type { ApiMetrics } from '../apiMetrics.ts';
import { schemaProjection } from '../schemaProjection.ts';
import { SseClient } from './sseClient.ts';

export interface AlertHubSettings {
  /** Recent alerts kept for `Last-Event-ID` resumption. */
  readonly ringSize: number;
  /** Frames a client may have waiting before it is dropped as too slow. */
  readonly clientQueueMax: number;
  /** Comment line sent to every client this often, so proxies and clients see a live connection. */
  readonly heartbeatMs: number;
}

export const defaultAlertHubSettings: AlertHubSettings = { ringSize: 1000, clientQueueMax: 1000, heartbeatMs: 15_000 };

interface RingEntry {
  readonly alertId: string;
  readonly carrierId: string | null;
  readonly frame: string;
}

const projectAlert = schemaProjection(alertView);

/**
 * Fans the alert topic out to the connected SSE clients, each filtered by its scope (a carrier
 * key receives only alerts whose carrierId is its own). Keeps the last `ringSize` alerts so a
 * client reconnecting with `Last-Event-ID` gets what it missed, and drops repeats of an alert id
 * (the bus delivers at least once).
 */
export class AlertHub {
  readonly #clients = new Set<SseClient>();
  readonly #ring: RingEntry[] = [];
  readonly #ids = new Set<string>();
  #heartbeat: NodeJS.Timeout | null = null;
  #closed = false;

  constructor(
    private readonly settings: AlertHubSettings,
    private readonly metrics: ApiMetrics,
  ) {}

  get clientCount(): number {
    return this.#clients.size;
  }

  /** An alert from the topic (already validated). Returns false for a repeat. */
  publish(alert: AlertView): boolean {
    if (this.#ids.has(alert.alertId)) return false;
    this.metrics.alertsSeen.inc({ type: alert.type, category: alert.category });
    const entry: RingEntry = { alertId: alert.alertId, carrierId: alert.carrierId, frame: frameOf(alert) };
    this.#ring.push(entry);
    this.#ids.add(alert.alertId);
    while (this.#ring.length > this.settings.ringSize) this.#ids.delete(this.#ring.shift()!.alertId);
    for (const client of this.#clients) if (visibleTo(client.scope, entry.carrierId)) client.send(entry.frame);
    return true;
  }

  /**
   * Streams to `response` (headers already written) until it closes. With `lastEventId`, first
   * replays the ring after that id; an id no longer (or never) in the ring replays the whole
   * ring: clients de-duplicate on the alert id.
   */
  connect(scope: Scope, response: ServerResponse, lastEventId: string | undefined): void {
    const client = new SseClient(scope, response, this.settings.clientQueueMax, (c) => this.#drop(c, 'slow'));
    if (this.#closed) {
      client.close('end');
      return;
    }
    this.#clients.add(client);
    this.metrics.sseClients.inc();
    response.once('close', () => {
      client.close('end');
      this.#remove(client);
    });
    client.send(`retry: 3000\n: connected\n\n`);
    if (lastEventId !== undefined) this.#replay(client, lastEventId);
    this.#startHeartbeat();
  }

  /** Ends every stream (app shutdown) so the server can close. */
  close(): void {
    this.#closed = true;
    for (const client of [...this.#clients]) {
      client.close('end');
      this.#remove(client);
    }
  }

  #replay(client: SseClient, lastEventId: string): void {
    const at = this.#ring.findIndex((e) => e.alertId === lastEventId);
    for (let i = at + 1; i < this.#ring.length; i++) {
      const entry = this.#ring[i]!;
      if (visibleTo(client.scope, entry.carrierId)) client.send(entry.frame);
    }
  }

  #drop(client: SseClient, reason: 'slow'): void {
    this.metrics.sseClientsDropped.inc({ reason });
    client.close('destroy');
    this.#remove(client);
  }

  #remove(client: SseClient): void {
    if (!this.#clients.delete(client)) return;
    this.metrics.sseClients.dec();
    if (this.#clients.size === 0 && this.#heartbeat !== null) {
      clearInterval(this.#heartbeat);
      this.#heartbeat = null;
    }
  }

  #startHeartbeat(): void {
    if (this.#heartbeat !== null) return;
    this.#heartbeat = setInterval(() => {
      for (const client of this.#clients) client.send(': heartbeat\n\n');
    }, this.settings.heartbeatMs);
    this.#heartbeat.unref();
  }
}

function frameOf(alert: AlertView): string {
  // Frames go straight to the socket: well-formed JSON is made here (a zone name may hold a lone surrogate).
  return `event: alert\nid: ${alert.alertId}\ndata: ${stringifyWellFormed(projectAlert(alert))}\n\n`;
}
