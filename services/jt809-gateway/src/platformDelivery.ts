import type { Jt809FixInput } from '@dgt/jt809';
import { LoginResult } from '@dgt/jt809';
import type { SimulatedPlatformOptions } from './platformSimulator.ts';
import { SimulatedPlatform } from './platformSimulator.ts';

/** A vehicle as the platform names it on the wire. */
export interface DeliveredVehicle {
  readonly plate: string;
  /** JT/T 809 plate colour: 1 blue, 2 yellow (the colour of hazmat trucks), … */
  readonly plateColour: number;
}

export interface PlatformDeliveryOptions extends Omit<SimulatedPlatformOptions, 'downLink' | 'refuseDownLogin'> {
  /** Wait between attempts to log in again after the link was lost. Default 1 s. */
  readonly reconnectDelayMs?: number;
  /** A heartbeat when nothing was acknowledged for this long: the gateway closes idle links (3 min). Default 30 s. */
  readonly keepaliveMs?: number;
  /** How long `close` waits for a link being restored before giving up on what it holds. Default 10 s. */
  readonly closeWaitMs?: number;
  readonly onEvent?: (what: string, fields: Record<string, unknown>) => void;
}

export interface DeliveryStats {
  /** Fixes written as 0x1202 (each counted once). */
  fixesSent: number;
  /** Of those, written again after the link was lost before they were acknowledged (same event, stored once). */
  fixesResent: number;
  /** Fixes written inside 0x1203 frames after an outage. */
  fixesBackfilled: number;
  backfillFrames: number;
  /** Fixes the gateway acknowledged (a heartbeat answered after them: they are on its durable bus). */
  fixesAcknowledged: number;
  logins: number;
  /** 0x1002 result codes other than 0, by code. */
  loginRefusals: Record<number, number>;
  /** Outages asked for (`outage()`), and links lost without being asked. */
  outages: number;
  linkLosses: number;
}

/** The gateway refused the login: `result` is the 0x1002 result code. */
export class LoginRefusedError extends Error {
  override readonly name = 'LoginRefusedError';
  constructor(readonly result: number) {
    super(`the gateway refused the login: 0x1002 result ${result} (${loginResultName(result)})`);
  }
}

export function loginResultName(result: number): string {
  const names: Record<number, string> = {
    [LoginResult.ok]: 'ok',
    [LoginResult.badIp]: 'address not allowed',
    [LoginResult.badAccessCode]: 'unknown access code',
    [LoginResult.unknownUser]: 'unknown user id',
    [LoginResult.badPassword]: 'wrong password',
    [LoginResult.busy]: 'resources busy',
    [LoginResult.other2011]: 'other',
    [LoginResult.other2019]: 'other',
  };
  return names[result] ?? 'unknown result';
}

interface Fix {
  readonly vehicle: DeliveredVehicle;
  readonly fix: Jt809FixInput;
}

/**
 * A subordinate platform that delivers fixes and keeps them until the gateway acknowledged them:
 * the simulator's `SimulatedPlatform` plus what a real platform does around it — log in again
 * after a lost link, re-send what was not acknowledged, hold fixes while the link is down and
 * back-fill them (0x1203, at most five per vehicle and frame) after the next login. JT/T 809 has no
 * per-fix acknowledgement; the gateway answers a heartbeat only once everything sent before it is
 * durable, so "acknowledged" here means "a heartbeat sent after it was answered".
 */
export class PlatformDelivery {
  private platform: SimulatedPlatform | undefined;
  /** Bumped on every new connection: an answer on an old one acknowledges nothing now pending. */
  private generation = 0;
  private state: 'idle' | 'up' | 'down' | 'closed' = 'idle';
  /** Sent as 0x1202 on the current connection, not yet acknowledged. */
  private pending: Fix[] = [];
  /** Sent live on a connection that was lost before acknowledging them: re-sent alike (same event, same content). */
  private resend: Fix[] = [];
  /** Never sent (the link was down): back-filled after the next login. */
  private held: Fix[] = [];
  private reconnecting: Promise<void> | undefined;
  /** Set when `close` stops waiting for the link: a re-login still under way then ends quietly. */
  private gaveUp = false;
  private acking: Promise<void> | undefined;
  private keepalive: NodeJS.Timeout | undefined;
  private lastAckAt = performance.now();
  readonly stats: DeliveryStats = { fixesSent: 0, fixesResent: 0, fixesBackfilled: 0, backfillFrames: 0, fixesAcknowledged: 0, logins: 0, loginRefusals: {}, outages: 0, linkLosses: 0 };

  constructor(private readonly options: PlatformDeliveryOptions) {}

  get linkUp(): boolean {
    return this.state === 'up';
  }

  /** Fixes given to `send` and not yet acknowledged (held, waiting for a re-send, or in flight). */
  get unacknowledged(): number {
    return this.pending.length + this.resend.length + this.held.length;
  }

  /** Connects and logs in; a refused login is a `LoginRefusedError` (nothing is retried). */
  async start(): Promise<void> {
    await this.login();
    const every = this.options.keepaliveMs ?? 30_000;
    this.keepalive = setInterval(() => {
      if (this.state === 'up' && performance.now() - this.lastAckAt >= every) void this.acknowledge().catch(() => undefined);
    }, Math.max(100, Math.min(every / 2, 5_000)));
    this.keepalive.unref();
  }

  /** Sends one fix, or holds it for the back-fill while the link is down. */
  send(vehicle: DeliveredVehicle, fix: Jt809FixInput): void {
    if (this.state === 'closed') throw new Error('the delivery is closed');
    const item = { vehicle, fix };
    const platform = this.platform;
    if (this.state !== 'up' || platform === undefined || !platform.writable) {
      this.held.push(item);
      return;
    }
    platform.sendFix(vehicle.plate, vehicle.plateColour, fix);
    this.pending.push(item);
    this.stats.fixesSent++;
  }

  /**
   * A heartbeat; once it is answered, everything sent before it counts as acknowledged. Resolves
   * without acknowledging when the link is down (what was pending is re-sent after the next login).
   */
  acknowledge(): Promise<void> {
    this.acking ??= this.heartbeat().finally(() => (this.acking = undefined));
    return this.acking;
  }

  /**
   * A planned outage: acknowledges what was sent, drops the link without a logout, holds every
   * fix given meanwhile, and after `durationMs` (or the signal) starts logging in again to
   * back-fill them. Resolves once that re-login has started — `restored()` waits for it; it does
   * not wait itself, so a gateway that stays away cannot hang the caller (`close` bounds the wait).
   */
  async outage(durationMs: number, signal?: AbortSignal): Promise<void> {
    if (this.state !== 'up') return;
    await this.acknowledge();
    await this.acknowledge();
    if (this.state !== 'up') return;
    this.stats.outages++;
    this.options.onEvent?.('outage', { seconds: durationMs / 1000 });
    this.state = 'down';
    this.generation++;
    this.platform?.dropMainLink();
    await sleep(durationMs, signal);
    if (this.gaveUp) return;
    void this.reconnect();
  }

  /** Acknowledges what was sent (waiting a while for a link that is being restored), logs out and closes. */
  async close(): Promise<void> {
    if (this.keepalive !== undefined) clearInterval(this.keepalive);
    if (this.state === 'closed') return;
    try {
      if (this.reconnecting !== undefined) {
        // A gateway that is gone must not keep the caller from stopping: what is held stays unacknowledged.
        const restored = await Promise.race([this.reconnecting.then(() => true, () => false), sleep(this.options.closeWaitMs ?? 10_000).then(() => false)]);
        if (!restored) this.gaveUp = true;
      }
      if (!this.gaveUp) {
        // A heartbeat already in flight covers only what was sent before it: repeat until none is left.
        while (this.state === 'up' && this.pending.length > 0) await this.acknowledge();
        if (this.state === 'up') await this.platform?.logout().catch(() => undefined);
      }
    } finally {
      this.gaveUp = true;
      this.state = 'closed';
      await this.platform?.close();
    }
  }

  /** Waits for an ongoing re-login (after an outage or a lost link), if any. */
  async restored(): Promise<void> {
    await this.reconnecting;
  }

  private async heartbeat(): Promise<void> {
    const platform = this.platform;
    if (this.state !== 'up' || platform === undefined) return;
    const generation = this.generation;
    const covered = this.pending.length;
    try {
      await Promise.race([platform.heartbeat(), platform.closed.then(() => Promise.reject(new Error('link closed')))]);
    } catch {
      if (generation === this.generation && this.state === 'up') this.linkLost();
      return;
    }
    if (generation !== this.generation) return;
    this.pending.splice(0, covered);
    this.stats.fixesAcknowledged += covered;
    this.lastAckAt = performance.now();
  }

  private async login(): Promise<void> {
    const platform = new SimulatedPlatform({ ...this.options, downLink: false });
    await platform.connect();
    const result = await platform.login().catch(async (e: unknown) => {
      await platform.close();
      throw e;
    });
    if (result !== LoginResult.ok) {
      this.stats.loginRefusals[result] = (this.stats.loginRefusals[result] ?? 0) + 1;
      await platform.close();
      throw new LoginRefusedError(result);
    }
    this.stats.logins++;
    this.generation++;
    this.platform = platform;
    this.state = 'up';
    const generation = this.generation;
    void platform.closed.then(() => {
      if (generation === this.generation && this.state === 'up') this.linkLost();
    });
    this.options.onEvent?.('logged-in', { logins: this.stats.logins });
  }

  /** The link broke without being asked to: what it did not acknowledge is re-sent after the next login. */
  private linkLost(): void {
    this.stats.linkLosses++;
    this.options.onEvent?.('link-lost', { unacknowledged: this.pending.length });
    this.state = 'down';
    this.generation++;
    this.platform?.dropMainLink();
    void this.reconnect().catch(() => undefined);
  }

  private reconnect(): Promise<void> {
    this.reconnecting ??= (async () => {
      this.resend.push(...this.pending);
      this.pending = [];
      for (;;) {
        if (this.gaveUp) return;
        try {
          await this.login();
          if (this.gaveUp) {
            this.state = 'closed';
            await this.platform?.close();
            return;
          }
          break;
        } catch (e) {
          // A refusal now (the account changed under us) will not heal by retrying quickly either; keep trying slowly.
          this.options.onEvent?.('reconnect-failed', { error: e instanceof Error ? e.message : String(e) });
          await sleep(this.options.reconnectDelayMs ?? 1_000);
        }
      }
      this.flushAfterLogin();
    })().finally(() => (this.reconnecting = undefined));
    return this.reconnecting;
  }

  /** After a login: re-send what was sent but not acknowledged (as it was), then back-fill what was held. */
  private flushAfterLogin(): void {
    const platform = this.platform!;
    for (const item of this.resend.splice(0)) {
      platform.sendFix(item.vehicle.plate, item.vehicle.plateColour, item.fix);
      this.pending.push(item);
      this.stats.fixesResent++;
    }
    const byPlate = new Map<string, Fix[]>();
    for (const item of this.held.splice(0)) {
      const list = byPlate.get(item.vehicle.plate) ?? [];
      list.push(item);
      byPlate.set(item.vehicle.plate, list);
    }
    for (const list of byPlate.values()) {
      for (const chunk of backfillFrames(list)) {
        platform.sendBackfill(chunk[0]!.vehicle.plate, chunk[0]!.vehicle.plateColour, chunk.map((c) => c.fix));
        this.pending.push(...chunk);
        this.stats.fixesBackfilled += chunk.length;
        this.stats.backfillFrames++;
      }
    }
    if (byPlate.size > 0) this.options.onEvent?.('backfilled', { fixes: this.stats.fixesBackfilled, frames: this.stats.backfillFrames });
  }
}

const fixTimeMs = (fix: Jt809FixInput): number => (fix.layout === '2011' ? fix.timeMs : fix.location.timeMs);

/**
 * One vehicle's held fixes as 0x1203 frames of at most five. A frame never holds two fixes of one
 * second: the gateway numbers such fixes apart (`:<n>`, distinct readings), so a fix a terminal
 * reported twice would be stored twice; in separate frames both get the same id and are stored once.
 */
export function backfillFrames<T extends { readonly fix: Jt809FixInput }>(fixes: readonly T[]): T[][] {
  const frames: T[][] = [];
  let frame: T[] = [];
  let seconds = new Set<number>();
  for (const item of fixes) {
    const second = Math.floor(fixTimeMs(item.fix) / 1000);
    if (frame.length === 5 || seconds.has(second)) {
      frames.push(frame);
      frame = [];
      seconds = new Set();
    }
    frame.push(item);
    seconds.add(second);
  }
  if (frame.length > 0) frames.push(frame);
  return frames;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted === true) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
