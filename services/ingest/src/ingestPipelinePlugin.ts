import type { Bus, TopicNames } from '@dgt/bus';
import { AppError } from '@dgt/http';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Registry } from 'prom-client';
import { BatchText, StagingBuffers } from './batchText.ts';
import { EventPublisher } from './eventPublisher.ts';
import type { IngestibleEvent } from './eventRouting.ts';
import { eventJson } from './fixJson.ts';
import { IngestMetrics } from './ingestMetrics.ts';
import { knownStatuses, RecentIds, type IdLookup, type KnownStatus, type PreparedEvent } from './knownEvents.ts';

export interface IngestPipelineOptions {
  readonly bus: Bus;
  readonly topics: TopicNames;
  readonly registry: Registry;
  readonly publishTimeoutMs: number;
  /** The gateway's wall clock: receipt time of a batch, `dgt-ingested-at`. */
  readonly now: () => Date;
  /** How many recently accepted ids to remember (see RecentIds). */
  readonly recentIds: number;
  /** Where recorded events are looked up by id, if anywhere. */
  readonly lookup?: IdLookup;
}

/** What the routes use: publishing with broker failures turned into 503, and the gateway's metrics. */
export interface IngestPipeline {
  readonly metrics: IngestMetrics;
  readonly now: () => Date;
  /**
   * Publishes the events not accepted before; for each event, `duplicate` / `conflict` when it
   * was (then it is not published), undefined when it was published now. Resolves after every
   * broker ack; throws AppError UNAVAILABLE (with Retry-After) otherwise. `text`, when given, is
   * the events' JSON written and encoded already (the fix scanner's); its owner releases it.
   */
  publishNew(events: readonly IngestibleEvent[], json?: readonly (string | undefined)[], idKeys?: readonly number[], text?: BatchText): Promise<(KnownStatus | undefined)[]>;
  /** The hash recently accepted ids are filed under (seeded per gateway): `checkBatch` computes it once per id, `publishNew` takes it back. */
  readonly keyOf: (eventId: string) => number;
}

declare module 'fastify' {
  interface FastifyInstance {
    ingest: IngestPipeline;
  }
}

const retryAfterSeconds = 5;

/** The app's producer, flushed and closed with the app; the bus itself belongs to the caller. */
export const ingestPipelinePlugin = fp(
  async (app: FastifyInstance, options: IngestPipelineOptions) => {
    const metrics = new IngestMetrics(options.registry);
    const recent = new RecentIds(options.recentIds);
    const publisher = new EventPublisher({
      createProducer: () => options.bus.producer(),
      topics: options.topics,
      timeoutMs: options.publishTimeoutMs,
      now: options.now,
      onLateFailure: (error) => app.log.warn({ err: error }, 'a timed-out publish failed later'),
    });
    const onLookupFailure = (error: unknown): void => {
      metrics.lookupFailed();
      app.log.warn({ err: error }, 'the event store could not be asked which ids are recorded; the batch is treated as new (the recorder still dead-letters conflicts)');
    };
    const publish = async (events: readonly PreparedEvent<IngestibleEvent>[]): Promise<void> => {
      const done = metrics.publishTimer();
      try {
        await publisher.publish(events);
        done('ok');
      } catch (error) {
        done('failed');
        const message = 'the events could not be published to the message bus; nothing of this batch is confirmed: retry the whole batch (duplicates are dropped by eventId)';
        throw new AppError('UNAVAILABLE', message, undefined, { retryAfterSeconds, cause: error });
      }
    };
    const staging = new StagingBuffers();
    const batchText = (events: readonly IngestibleEvent[], written?: readonly (string | undefined)[]): BatchText => {
      const json = new Array<string>(events.length);
      for (let i = 0; i < events.length; i++) json[i] = written?.[i] ?? eventJson(events[i] as IngestibleEvent);
      return BatchText.of(json, staging);
    };
    const publishNew = async (events: readonly IngestibleEvent[], written?: readonly (string | undefined)[], idKeys?: readonly number[], whole?: BatchText): Promise<(KnownStatus | undefined)[]> => {
      if (events.length === 0) return [];
      // The one canonical serialisation of each event (written while checking, for plain fixes,
      // or by the fix scanner for the whole batch), all of the batch's encoded at once
      // (batchText.ts): compared with the record and with what was accepted lately, published
      // (each bus encodes a flat text), remembered.
      const text = whole !== undefined && whole.texts.length === events.length ? whole : batchText(events, written);
      try {
        const prepared: PreparedEvent<IngestibleEvent>[] = new Array(events.length);
        for (let i = 0; i < events.length; i++) {
          const event = events[i] as IngestibleEvent;
          prepared[i] = { event, json: text.texts[i] as string, idKey: idKeys?.[i] ?? recent.keyOf(event.eventId) };
        }
        const statuses = await knownStatuses(prepared, recent, options.lookup, onLookupFailure);
        const known = statuses.includes('duplicate') || statuses.includes('conflict');
        const fresh = known ? prepared.filter((_, i) => statuses[i] === undefined) : prepared;
        await publish(fresh);
        // Only once the broker has them: a batch that failed is retried, and must not find itself "known".
        if (known) for (const p of fresh) recent.remember(p.event.eventId, p.json, p.idKey);
        else recent.rememberAll(prepared, text);
        return statuses;
      } finally {
        // Only the text written here: the scanner's belongs to the request (the route releases it).
        if (text !== whole) text.release();
      }
    };
    const keyOf = (eventId: string): number => recent.keyOf(eventId);
    app.decorate('ingest', { metrics, now: options.now, publishNew, keyOf });
    app.addHook('onClose', () => publisher.close());
  },
  // Its metrics go to the registry that dgt-metrics serves.
  { name: 'dgt-ingest-pipeline', fastify: '5.x', dependencies: ['dgt-errors', 'dgt-metrics'] },
);
