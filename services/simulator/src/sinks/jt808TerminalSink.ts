import type { ProtocolFlavour } from '@dgt/jt808';
import type { TerminalIdentity } from '@dgt/jt808-gateway';
import { fixOfPosition } from '../jt808/fixOfPosition.ts';
import { TerminalLink, type TerminalLinkStats, type TerminalLinkTuning } from '../jt808/terminalLink.ts';
import type { SimMessage } from '../messages.ts';
import { type MessageSink, SinkError, type SinkStats } from './sink.ts';

/** A simulated vehicle whose terminal speaks JT/T 808 to the gateway. */
export interface Jt808SimTerminal {
  readonly vehicleId: string;
  /** Phone digits of its SIM (the gateway's record is keyed by it). */
  readonly phone: string;
  readonly flavour: ProtocolFlavour;
  /** What it states in 0x0100: its record on the gateway (plate, colour, manufacturer, model, terminal id). */
  readonly identity: TerminalIdentity;
}

export interface Jt808TerminalSinkOptions {
  /** The JT/T 808 gateway. */
  readonly host: string;
  readonly port: number;
  readonly terminals: readonly Jt808SimTerminal[];
  /** Where every other message goes (the ingest API, another sink). */
  readonly fallback: MessageSink;
  /** Codes issued at earlier registrations, by phone: a terminal holding one authenticates without registering. */
  readonly authCodes?: ReadonlyMap<string, string>;
  /** Called with every newly issued code (keep it: the gateway registers a terminal once). */
  readonly onAuthCode?: (phone: string, code: string) => void;
  readonly onEvent?: (what: string, fields: Record<string, unknown>) => void;
  readonly tuning?: Partial<TerminalLinkTuning>;
}

/** The terminals' counts summed, plus the reports this sink did not send. */
export interface Jt808SinkStats extends TerminalLinkStats {
  terminals: number;
  /** Terminals logged in right now. */
  ready: number;
  /** Reports of a fix time the terminal had already sent (the simulator's duplicates): not sent again. */
  duplicatesSkipped: number;
}

/** Fix seconds remembered per vehicle to spot the simulator's duplicates (they follow within 90 s: a few reports). */
const RECENT_FIXES = 32;

/**
 * Sends the positions of some simulated vehicles as their BeiDou terminals would — one JT/T 808
 * link each (`TerminalLink`) — and everything else to `fallback`. `flush` (the pump calls it
 * before every wait) waits for the fallback and for every terminal's acknowledgements, so a
 * paced run delivers each fix when it is due on either path.
 */
export class Jt808TerminalSink implements MessageSink {
  private readonly links = new Map<string, TerminalLink>();
  private readonly recent = new Map<string, number[]>();
  private duplicatesSkipped = 0;
  private queued = 0;

  constructor(private readonly o: Jt808TerminalSinkOptions) {
    for (const t of o.terminals) {
      this.links.set(
        t.vehicleId,
        new TerminalLink({
          host: o.host,
          port: o.port,
          phone: t.phone,
          flavour: t.flavour,
          identity: t.identity,
          authCode: o.authCodes?.get(t.phone),
          ...(o.onAuthCode === undefined ? {} : { onAuthCode: o.onAuthCode }),
          ...(o.onEvent === undefined ? {} : { onEvent: o.onEvent }),
          ...(o.tuning === undefined ? {} : { tuning: o.tuning }),
        }),
      );
    }
  }

  /** Every terminal logs in (registering when it holds no code); a refusal is an error: the records and the terminals disagree. */
  async start(): Promise<void> {
    const results = await Promise.allSettled([...this.links.values()].map((l) => l.start()));
    const failed = results.flatMap((r, i) => (r.status === 'rejected' ? [`${[...this.links.values()][i]!.phone}: ${(r.reason as Error).message}`] : []));
    if (failed.length > 0) {
      await Promise.all([...this.links.values()].map((l) => l.close()));
      throw new SinkError('WRITE_FAILED', `${failed.length} of ${this.links.size} JT/T 808 terminals could not log in to ${this.o.host}:${this.o.port}: ${failed.slice(0, 3).join('; ')}`);
    }
  }

  async write(m: SimMessage): Promise<void> {
    const link = m.kind === 'event' && m.event.type === 'VehiclePositionReported' ? this.links.get(m.event.data.vehicleId) : undefined;
    if (link === undefined || m.kind !== 'event' || m.event.type !== 'VehiclePositionReported') return this.o.fallback.write(m);
    const fix = fixOfPosition(m.event);
    // The simulator's duplicate (same fix re-sent a little later) is left out: over JT/T 808 a
    // re-sent report gets a new serial, which the gateway puts in the event's meta, so the
    // recorder would dead-letter the copy as a conflict instead of skipping it as a duplicate.
    // The stored positions are the same either way.
    const seen = this.recent.get(m.event.data.vehicleId) ?? [];
    if (seen.includes(fix.timeMs)) {
      this.duplicatesSkipped++;
      return;
    }
    seen.push(fix.timeMs);
    if (seen.length > RECENT_FIXES) seen.shift();
    this.recent.set(m.event.data.vehicleId, seen);
    this.queued++;
    link.send(fix);
  }

  async flush(): Promise<void> {
    await Promise.all([this.o.fallback.flush(), ...[...this.links.values()].map((l) => l.settled())]);
  }

  /** Each terminal sends what it holds and logs out; then the fallback closes. */
  async close(): Promise<void> {
    await Promise.all([this.o.fallback.close(), ...[...this.links.values()].map((l) => l.close())]);
  }

  stats(): SinkStats {
    const f = this.o.fallback.stats();
    const j = this.jt808;
    return { ...f, sent: f.sent + this.queued, accepted: f.accepted + j.fixesAcknowledged, rejected: f.rejected + j.fixesRefused, skipped: f.skipped + this.duplicatesSkipped };
  }

  /** The terminals' counts, summed. */
  get jt808(): Jt808SinkStats {
    const sum: Jt808SinkStats = {
      terminals: this.links.size, ready: 0, duplicatesSkipped: this.duplicatesSkipped,
      connects: 0, linkLosses: 0, registrations: 0, authentications: 0, loginRefusals: 0, locationFrames: 0, batchFrames: 0,
      heartbeats: 0, fixesSent: 0, fixesAcknowledged: 0, fixesRefused: 0, fixesResent: 0, commandsAnswered: 0, textMessages: 0,
    };
    for (const l of this.links.values()) {
      if (l.isReady) sum.ready++;
      for (const k of Object.keys(l.stats) as (keyof TerminalLinkStats)[]) sum[k] += l.stats[k];
    }
    return sum;
  }

  /** The link of one vehicle's terminal (tests, diagnostics). */
  linkOf(vehicleId: string): TerminalLink | undefined {
    return this.links.get(vehicleId);
  }
}
