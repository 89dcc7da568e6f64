import type { BusLogger } from '@dgt/bus';
import { type DetectionConfig, defaultDetectionConfig } from '@dgt/detection';
import { type DetectionEvent, detectionEventTypes, epochMs } from '@dgt/events';
import { detectionsStream, type EventStore, pagesOf, type Position, type RecordedEvent, streamPrefixes, type Subscription } from '@dgt/eventstore';
import type { AlertView, ReadModelStore } from '@dgt/readmodels';
import type { AlertsPublisher } from './alertsPublisher.ts';
import { ProjectorError } from './errors.ts';
import type { ProjectorMetrics } from './metrics.ts';
import { Projection, type ProjectionOutput } from './projection/projection.ts';
import { stateKeys } from './projection/stateKeys.ts';
import { trustedEvent } from './trustedEvent.ts';

/*
 * The projector: event store → detection engine → (a) detections appended to
 * `detections-<vehicleId>`, (b) read models + checkpoint + engine state in one commit,
 * (c) alerts published. One flush per batch, in this order:
 *
 *   1. appendMany(detections)     idempotent: detection ids are derived from the causing event
 *   2. commit(rows, checkpoint, engine state, outbox = alerts of detections NEWLY written in 1)
 *   3. publish(outbox)
 *   4. commit(outbox = none)      same checkpoint, nothing else
 *
 * Crash points (restart = restore state and checkpoint from the last commit, resume after it):
 * - before 1 or inside 1 (SQLite/memory append atomically): nothing or all of the batch's
 *   detections are recorded. The batch is re-read and the same detections re-derived; re-appending
 *   skips those already there. Their alerts are still published: see the next point.
 * - between 1 and 2: the detections are recorded but their alerts are in no outbox. At restart
 *   the projector lists the detections recorded after the newest one it had committed
 *   (`detectionsHead`): those were written by the attempt that never committed, so when they are
 *   re-derived (and skipped by the store) they still count as new and get their alert.
 *   Residual: if this lineage of read models has never written a detection yet (fresh or rebuilt
 *   store, no `detectionsHead`), such alerts are lost — the detections themselves are not.
 * - between 2 and 3: the outbox is committed; restart publishes it first. No loss, no duplicate.
 * - between 3 and 4: restart publishes the outbox again: at-least-once, consumers de-duplicate
 *   on `alertId` (the detection's eventId). This window is one publish call long.
 * A rebuild re-derives every detection; the store skips them all, so no old alert is re-sent.
 */

export interface ProjectorConfig {
  /** A batch is flushed when it holds this many events... */
  readonly maxBatchEvents: number;
  /** ...or when it is this old while following live appends... */
  readonly flushIntervalMs: number;
  /** ...or this old while catching up (bigger batches: fewer rewrites of the same vehicles). */
  readonly catchUpFlushIntervalMs: number;
  /** Events recorded longer ago than this mean the projector is catching up. */
  readonly catchUpLagMs: number;
  /** How often read-model sizes are refreshed for the row gauges. */
  readonly sizesIntervalMs: number;
  readonly detection: DetectionConfig;
}

export const defaultProjectorConfig: ProjectorConfig = Object.freeze({
  // Every flush rewrites each vehicle the batch touched and commits its detections: while
  // catching up, big batches mean each vehicle is written a few times rather than once per 20
  // fixes (500,000 events: ~3 s of catch-up to redo after a crash; memory holds the changed rows,
  // not the events).
  maxBatchEvents: 500_000,
  flushIntervalMs: 150,
  catchUpFlushIntervalMs: 10_000,
  catchUpLagMs: 5_000,
  sizesIntervalMs: 5_000,
  detection: projectorDetectionConfig(),
});

/**
 * The engine's defaults without its duplicate-id ring. The ring only tells a re-delivered fix
 * from a merely late one — both are ignored, only the counter differs — and an event store
 * holds each eventId once (port contract), so read from one it never matches. Kept, it would
 * hold 16 ids per vehicle: in every saved vehicle state, and alive long enough for the young
 * GC to copy each fix's id twice (the bench's catch-up ran ~15 % faster without it).
 */
function projectorDetectionConfig(): DetectionConfig {
  return Object.freeze({ ...defaultDetectionConfig, duplicateWindow: 0 });
}

export interface ProjectorOptions {
  readonly store: EventStore;
  readonly readModels: ReadModelStore;
  readonly alerts: AlertsPublisher;
  readonly metrics: ProjectorMetrics;
  readonly logger: BusLogger;
  readonly config?: Partial<ProjectorConfig>;
  /** Wall clock (ms) for lag metrics only; never for domain time. */
  readonly now?: () => number;
}

export interface Progress {
  readonly events: number;
  readonly checkpoint: string | null;
  readonly eventsPerSecond: number;
}

export type ProjectorState = 'idle' | 'running' | 'stopping' | 'stopped' | 'failed';

export interface Projector {
  /** Restores the saved state and follows the store from the checkpoint (catch-up, then live). */
  start(): Promise<void>;
  /** Stops following, flushes what was read, waits for the last commit. */
  stop(): Promise<void>;
  /** Projects everything recorded now, then returns (the projector is left idle). */
  catchUp(options?: { onProgress?: (p: Progress) => void }): Promise<void>;
  /** Drops read models and engine state, then projects the whole store from the beginning. */
  rebuild(options?: { onProgress?: (p: Progress) => void }): Promise<void>;
  state(): ProjectorState;
  /** Settles when a started projector ends: rejects with the error that stopped it. */
  done(): Promise<void>;
  /** Checkpoint of the last commit. */
  checkpoint(): string | null;
}

interface Captured {
  out: ProjectionOutput;
  checkpoint: string;
  last: RecordedEvent;
  events: number;
  counts: Map<string, number>;
}

export function createProjector(options: ProjectorOptions): Projector {
  return new ProjectorImpl(options);
}

class ProjectorImpl implements Projector {
  readonly #o: ProjectorOptions;
  readonly #cfg: ProjectorConfig;
  readonly #now: () => number;
  #projection: Projection | null = null;
  #state: ProjectorState = 'idle';
  #committed: string | null = null;
  /** Detections recorded by an attempt that crashed before committing them (see top of file). */
  #recovered = new Set<string>();
  #sub: Subscription | null = null;
  #loop: Promise<void> | null = null;
  #timer: NodeJS.Timeout | null = null;
  #failure: unknown = null;
  #chain: Promise<void> = Promise.resolve();
  #writing = false;
  // The batch being read.
  #pending = 0;
  #last: RecordedEvent | null = null;
  #counts = new Map<string, number>();
  /** Positions are nearly every event: counted apart from the per-type map. */
  #positions = 0;
  #batchStartedAt = 0;
  #forceCatchUp = false;
  #lastSizesAt = -Infinity;
  #progress: ((p: Progress) => void) | undefined;
  #progressEvents = 0;
  #progressStartedAt = 0;

  constructor(options: ProjectorOptions) {
    this.#o = options;
    this.#cfg = { ...defaultProjectorConfig, ...options.config };
    if (!(this.#cfg.maxBatchEvents >= 1)) throw new ProjectorError('INVALID_CONFIG', 'maxBatchEvents must be at least 1');
    this.#now = options.now ?? Date.now;
  }

  state(): ProjectorState {
    return this.#state;
  }

  checkpoint(): string | null {
    return this.#committed;
  }

  done(): Promise<void> {
    return this.#loop ?? Promise.resolve();
  }

  async start(): Promise<void> {
    if (this.#state === 'running' || this.#state === 'stopping') throw new ProjectorError('ALREADY_RUNNING', 'the projector is already running');
    await this.#restore();
    const from = this.#committed === null ? {} : { fromCheckpoint: this.#committed as Position };
    const sub = this.#o.store.subscribeAll(from);
    this.#sub = sub;
    this.#state = 'running';
    this.#forceCatchUp = false;
    this.#batchStartedAt = performance.now();
    const tick = Math.max(10, Math.floor(this.#cfg.flushIntervalMs / 2));
    this.#timer = setInterval(() => this.#onTick(), tick);
    this.#timer.unref();
    this.#loop = this.#consume(sub)
      .then(() => this.#flush())
      .then(
        () => {
          if (this.#failure !== null) throw this.#failure;
          this.#state = 'stopped';
        },
        (err: unknown) => {
          this.#fail(err);
          throw err;
        },
      )
      .finally(() => this.#clearTimer());
    // The loop's rejection is reported through done(); keep it from being an unhandled rejection.
    this.#loop.catch(() => undefined);
    this.#o.logger.info('projector started', { checkpoint: this.#committed });
  }

  async stop(): Promise<void> {
    if (this.#state !== 'running') {
      await this.#chain;
      return;
    }
    this.#state = 'stopping';
    await this.#sub?.close();
    await this.#loop?.catch(() => undefined);
    await this.#chain;
    this.#clearTimer();
    if (this.#state === 'stopping') this.#state = 'stopped';
    this.#o.logger.info('projector stopped', { checkpoint: this.#committed });
  }

  async catchUp(options: { onProgress?: (p: Progress) => void } = {}): Promise<void> {
    if (this.#state === 'running' || this.#state === 'stopping') throw new ProjectorError('ALREADY_RUNNING', 'stop the projector before a one-off catch-up');
    await this.#restore();
    this.#forceCatchUp = true;
    this.#progress = options.onProgress;
    this.#progressEvents = 0;
    this.#progressStartedAt = performance.now();
    this.#batchStartedAt = performance.now();
    try {
      const from = this.#committed === null ? {} : { fromPosition: this.#committed as Position };
      await this.#consume(this.#o.store.readAll(from));
      await this.#flush();
      if (this.#failure !== null) throw this.#failure;
      await this.#refreshSizes(true);
    } finally {
      this.#forceCatchUp = false;
      this.#progress = undefined;
    }
  }

  async rebuild(options: { onProgress?: (p: Progress) => void } = {}): Promise<void> {
    if (this.#state === 'running' || this.#state === 'stopping') throw new ProjectorError('ALREADY_RUNNING', 'stop the projector before rebuilding');
    await this.#o.readModels.reset();
    this.#projection = null;
    this.#committed = null;
    this.#recovered = new Set();
    this.#o.logger.info('read models reset; projecting the store from the beginning');
    await this.catchUp(options);
  }

  // ---- restart

  async #restore(): Promise<void> {
    if (this.#projection !== null) return;
    const rm = this.#o.readModels;
    const [saved, checkpoint, planningRows] = await Promise.all([rm.engineState(), rm.checkpoint(), rm.planningRows()]);
    this.#projection = Projection.restore(saved, this.#cfg.detection, planningRows);
    this.#committed = checkpoint;
    const outbox = saved.get(stateKeys.outbox);
    if (outbox !== undefined && checkpoint !== null) {
      // Committed but maybe never published (crash between steps 2 and 4).
      const alerts = JSON.parse(outbox) as AlertView[];
      await this.#o.alerts.publish(alerts);
      this.#o.metrics.alertsPublished.inc(alerts.length);
      await rm.commit(emptyBatch(checkpoint, new Map([[stateKeys.outbox, null]])));
      this.#o.logger.warn('re-published the alerts of the last batch (consumers de-duplicate on alertId)', { alerts: alerts.length });
    }
    const head = saved.get(stateKeys.detectionsHead);
    if (head !== undefined) {
      // Detections recorded after the newest one committed: written by an attempt that crashed before its commit.
      for await (const r of this.#o.store.readAll({ fromPosition: head as Position, filter: { streamPrefixes: [streamPrefixes.detections] } })) {
        this.#recovered.add(r.event.eventId);
      }
      if (this.#recovered.size > 0) this.#o.logger.warn('found detections of an uncommitted batch; their alerts will be sent', { detections: this.#recovered.size });
    }
    if (checkpoint !== null) this.#setCheckpointGauge(checkpoint);
  }

  // ---- the read loop (hot path)

  async #consume(source: AsyncIterable<RecordedEvent>): Promise<void> {
    const projection = this.#projection;
    if (projection === null) throw new ProjectorError('NOT_RUNNING', 'state not restored');
    // Catching up, the store hands out pages: no promise per event.
    const pages = pagesOf(source);
    if (pages !== undefined) {
      for await (const page of pages) {
        if (this.#failure !== null) throw this.#failure;
        for (const rec of page) this.#project(projection, rec);
        if (this.#dueForFlush()) await this.#flush();
      }
      return;
    }
    let n = 0;
    for await (const rec of source) {
      if (this.#failure !== null) throw this.#failure;
      this.#project(projection, rec);
      if ((++n & 255) === 0 && this.#dueForFlush()) await this.#flush();
    }
  }

  #project(projection: Projection, rec: RecordedEvent): void {
    const t = trustedEvent(rec.event);
    const type = rec.event.type;
    if (!t.ok) {
      this.#o.metrics.skipped.inc({ reason: t.reason });
      if (t.reason === 'unreadable') this.#o.logger.warn('skipping an unreadable event', { eventId: rec.event.eventId, type });
    } else if (isDetectionType(type)) {
      // Our own output coming back: the engine re-derives detections, it never reads them.
      this.#o.metrics.skipped.inc({ reason: 'own-detection' });
    } else {
      projection.apply(t.event);
      if (type === 'VehiclePositionReported') this.#positions++;
      else this.#counts.set(type, (this.#counts.get(type) ?? 0) + 1);
    }
    this.#last = rec;
    this.#pending++;
  }

  #catchingUp(): boolean {
    if (this.#forceCatchUp) return true;
    const last = this.#last;
    return last !== null && this.#now() - epochMs(last.recordedAt) > this.#cfg.catchUpLagMs;
  }

  #dueForFlush(): boolean {
    if (this.#pending >= this.#cfg.maxBatchEvents) return true;
    const age = performance.now() - this.#batchStartedAt;
    return age >= (this.#catchingUp() ? this.#cfg.catchUpFlushIntervalMs : this.#cfg.flushIntervalMs);
  }

  /** Live: the stream went quiet with a batch open, so nothing else would flush it. */
  #onTick(): void {
    if (this.#pending === 0 || this.#writing || this.#state !== 'running') return;
    if (performance.now() - this.#batchStartedAt < this.#cfg.flushIntervalMs) return;
    this.#flush().catch((err: unknown) => this.#fail(err));
  }

  // ---- flush

  /** Captures the open batch now (synchronously) and queues its write after the previous one. */
  #flush(): Promise<void> {
    const last = this.#last;
    if (this.#pending === 0 || last === null || this.#projection === null) return this.#chain;
    if (this.#positions > 0) this.#counts.set('VehiclePositionReported', this.#positions);
    const captured: Captured = {
      out: this.#projection.take(),
      checkpoint: last.position,
      last,
      events: this.#pending,
      counts: this.#counts,
    };
    this.#pending = 0;
    this.#positions = 0;
    this.#counts = new Map();
    this.#batchStartedAt = performance.now();
    const write = this.#chain.then(() => this.#write(captured));
    this.#chain = write.catch((err: unknown) => this.#fail(err));
    return write;
  }

  async #write(b: Captured): Promise<void> {
    if (this.#failure !== null) throw this.#failure;
    this.#writing = true;
    const { metrics, readModels } = this.#o;
    const started = performance.now();
    try {
      const { out } = b;
      // 1. detections
      const appended = out.detections.length === 0 ? null : await this.#appendDetections(out.detections);
      const alerts: AlertView[] = [];
      if (appended !== null) {
        for (let i = 0; i < out.detections.length; i++) {
          if (appended.fresh.has((out.detections[i] as DetectionEvent).eventId)) alerts.push(out.alerts[i] as AlertView);
        }
      }
      // 2. commit
      const state = out.state;
      if (alerts.length > 0) state.set(stateKeys.outbox, JSON.stringify(alerts));
      if (appended?.head != null) state.set(stateKeys.detectionsHead, appended.head);
      await readModels.commit({
        checkpoint: b.checkpoint,
        vehicles: out.vehicles,
        violations: out.violations,
        advisories: out.advisories,
        consignments: out.consignments,
        carriers: out.carriers,
        zones: out.zones,
        withdrawnZoneIds: out.withdrawnZoneIds,
        registrations: out.registrations,
        unregisteredVehicleIds: out.unregisteredVehicleIds,
        planning: out.planning,
        engineState: state,
      });
      this.#committed = b.checkpoint;
      // 3–4. publish, then forget the outbox
      if (alerts.length > 0) {
        await this.#o.alerts.publish(alerts);
        metrics.alertsPublished.inc(alerts.length);
        await readModels.commit(emptyBatch(b.checkpoint, new Map([[stateKeys.outbox, null]])));
      }
      // metrics
      for (const [type, count] of b.counts) metrics.events.inc({ type }, count);
      for (const i of out.ignoredRegistry) {
        metrics.registryIgnored.inc({ code: i.code });
        this.#o.logger.warn('registry event ignored: the register does not allow it', { eventId: i.eventId, type: i.type, vehicleId: i.vehicleId, code: i.code });
      }
      const byType = new Map<string, number>();
      for (const d of out.detections) byType.set(d.type, (byType.get(d.type) ?? 0) + 1);
      for (const [type, count] of byType) metrics.detections.inc({ type }, count);
      metrics.batchSeconds.observe((performance.now() - started) / 1000);
      metrics.batchEvents.observe(b.events);
      const now = this.#now();
      metrics.lagSeconds.set(Math.max(0, (now - epochMs(b.last.event.occurredAt)) / 1000));
      metrics.recordedLagSeconds.set(Math.max(0, (now - epochMs(b.last.recordedAt)) / 1000));
      this.#setCheckpointGauge(b.checkpoint);
      await this.#refreshSizes(false);
      this.#reportProgress(b);
    } finally {
      this.#writing = false;
    }
  }

  /** Appends the batch's detections; says which were new (their alerts are due) and where the newest landed. */
  async #appendDetections(detections: readonly DetectionEvent[]): Promise<{ fresh: Set<string>; head: string | null }> {
    const { store, metrics } = this.#o;
    const byStream = new Map<string, DetectionEvent[]>();
    for (const d of detections) {
      const streamId = detectionsStream(d.data.vehicleId);
      const list = byStream.get(streamId);
      if (list === undefined) byStream.set(streamId, [d]);
      else list.push(d);
    }
    const batches = [...byStream].map(([streamId, events]) => ({ streamId, events }));
    const results = await store.appendMany(batches);
    const fresh = new Set<string>();
    let head: string | null = null;
    let written = 0;
    let skipped = 0;
    for (let i = 0; i < batches.length; i++) {
      const batch = batches[i]!;
      const r = results[i]!;
      written += r.written;
      skipped += r.skipped;
      if (r.written > 0 && r.position !== null) head = r.position;
      if (r.skipped === 0) {
        for (const e of batch.events) fresh.add(e.eventId);
      } else if (r.written > 0 && typeof r.nextExpectedRevision === 'number') {
        // Mixed (only after a crash): the stream's tail holds exactly what this call wrote.
        for await (const e of store.readStream(batch.streamId, { fromRevision: r.nextExpectedRevision - r.written + 1 })) fresh.add(e.event.eventId);
      }
      if (r.skipped > 0 && this.#recovered.size > 0) {
        for (const e of batch.events) if (this.#recovered.delete(e.eventId)) fresh.add(e.eventId);
      }
    }
    metrics.detectionsAppended.inc({ result: 'written' }, written);
    metrics.detectionsAppended.inc({ result: 'skipped' }, skipped);
    return { fresh, head };
  }

  async #refreshSizes(force: boolean): Promise<void> {
    const now = performance.now();
    if (!force && now - this.#lastSizesAt < this.#cfg.sizesIntervalMs) return;
    this.#lastSizesAt = now;
    const s = await this.#o.readModels.sizes();
    const rows = this.#o.metrics.rows;
    rows.set({ model: 'vehicles' }, s.vehicles);
    rows.set({ model: 'violations' }, s.violations);
    rows.set({ model: 'open_violations' }, s.openViolations);
    rows.set({ model: 'advisories' }, s.advisories);
    rows.set({ model: 'open_advisories' }, s.openAdvisories);
    rows.set({ model: 'consignments' }, s.consignments);
    rows.set({ model: 'carriers' }, s.carriers);
    rows.set({ model: 'zones' }, s.zones);
  }

  #setCheckpointGauge(checkpoint: string): void {
    const n = Number(checkpoint);
    if (Number.isSafeInteger(n)) this.#o.metrics.checkpoint.set(n);
  }

  #reportProgress(b: Captured): void {
    const report = this.#progress;
    if (report === undefined) return;
    this.#progressEvents += b.events;
    const seconds = (performance.now() - this.#progressStartedAt) / 1000;
    report({ events: this.#progressEvents, checkpoint: b.checkpoint, eventsPerSecond: seconds > 0 ? this.#progressEvents / seconds : 0 });
  }

  #fail(err: unknown): void {
    if (this.#failure !== null) return;
    this.#failure = err;
    this.#state = 'failed';
    this.#o.logger.error('projector failed; restart resumes from the last commit', { error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) });
    void this.#sub?.close();
  }

  #clearTimer(): void {
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
  }
}

/** Every detection type of the contract: a list written out here had missed the types added since (#15, #16). */
const detectionTypes: ReadonlySet<string> = new Set(detectionEventTypes);

function isDetectionType(type: string): boolean {
  return detectionTypes.has(type);
}

function emptyBatch(checkpoint: string, engineState: Map<string, string | null>) {
  return { checkpoint, vehicles: [], violations: [], consignments: [], carriers: [], zones: [], withdrawnZoneIds: [], engineState };
}
