import type { Jt809FixInput } from '@dgt/jt809';
import { PlatformDelivery, type DeliveryStats, type PlatformDeliveryOptions } from '@dgt/jt809-gateway';
import type { MessageSink, SimMessage, SinkStats } from '@dgt/simulator';

/** How the demo delivers part of the fleet as a JT/T 809 platform instead of over HTTP. */
export interface Jt809DemoDelivery {
  /** Gateway address and the demo platform's login. */
  readonly link: Omit<PlatformDeliveryOptions, 'onEvent'>;
  /** Plates (as registered) of the vehicles this platform delivers, by vehicleId. */
  readonly plates: ReadonlyMap<string, string>;
  /** Wall time between simulated outages of the platform's link; 0 = none. */
  readonly outageEveryMs: number;
  /** How long each outage lasts: fixes meanwhile are held and back-filled (0x1203) after it. */
  readonly outageForMs: number;
}

/** Yellow: the plate colour of hazmat trucks. */
const YELLOW = 2;
/** JT/T 808 status: ACC on, positioned. */
const ACC_ON_POSITIONED = 0b11;

/**
 * A simulator sink that sends the positions of the platform's vehicles over JT/T 809 (0x1202 live,
 * 0x1203 after a simulated outage) and everything else to the ingest API: the demo then exercises
 * the gateway path with the same simulated fleet. `flush` (the pump calls it before every wait)
 * waits for both paths' acknowledgement: the ingest 202, the gateway's heartbeat answer.
 */
export class Jt809DemoSink implements MessageSink {
  private readonly delivery: PlatformDelivery;
  private outageTimer: NodeJS.Timeout | undefined;
  private outage: Promise<void> | undefined;
  private readonly abort = new AbortController();
  private jt809Positions = 0;

  constructor(
    private readonly http: MessageSink,
    private readonly o: Jt809DemoDelivery,
    onEvent: (what: string, fields: Record<string, unknown>) => void,
  ) {
    this.delivery = new PlatformDelivery({ ...o.link, onEvent });
  }

  /** Logs in; a refused login or an unreachable gateway is an error (the demo's own account: a bug, not a condition). */
  async start(): Promise<void> {
    await this.delivery.start();
    if (this.o.outageEveryMs > 0) {
      this.outageTimer = setInterval(() => {
        this.outage ??= this.delivery.outage(this.o.outageForMs, this.abort.signal).finally(() => (this.outage = undefined));
      }, this.o.outageEveryMs);
      this.outageTimer.unref();
    }
  }

  async write(m: SimMessage): Promise<void> {
    const plate = m.kind === 'event' && m.event.type === 'VehiclePositionReported' ? this.o.plates.get(m.event.data.vehicleId) : undefined;
    if (plate === undefined || m.kind !== 'event' || m.event.type !== 'VehiclePositionReported') return this.http.write(m);
    const d = m.event.data;
    const fix: Jt809FixInput = {
      layout: 'jt808',
      location: {
        alarm: 0,
        status: ACC_ON_POSITIONED,
        latitude: d.lat,
        longitude: d.lon,
        altitudeM: 0,
        speedKmh: d.speedKmh,
        direction: Math.round(d.headingDeg ?? 0) % 360,
        timeMs: Date.parse(m.event.occurredAt),
      },
    };
    this.delivery.send({ plate, plateColour: YELLOW }, fix);
    this.jt809Positions++;
  }

  async flush(): Promise<void> {
    await Promise.all([this.http.flush(), this.delivery.acknowledge()]);
  }

  /** Ends an outage early (back-filling at once), acknowledges, logs out. */
  async close(): Promise<void> {
    if (this.outageTimer !== undefined) clearInterval(this.outageTimer);
    this.abort.abort();
    await this.outage;
    await Promise.all([this.http.close(), this.delivery.close()]);
  }

  stats(): SinkStats {
    const h = this.http.stats();
    const j = this.delivery.stats;
    return { ...h, sent: h.sent + this.jt809Positions, accepted: h.accepted + j.fixesAcknowledged };
  }

  /** The platform's own counts (logins, outages, back-fills). */
  get jt809(): Readonly<DeliveryStats> {
    return this.delivery.stats;
  }
}
