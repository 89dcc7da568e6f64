import type { Bus, TopicNames } from '@dgt/bus';
import { AppError } from '@dgt/http';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Registry } from 'prom-client';
import { EventPublisher } from './eventPublisher.ts';
import type { IngestibleEvent } from './eventRouting.ts';
import { IngestMetrics } from './ingestMetrics.ts';

export interface IngestPipelineOptions {
  readonly bus: Bus;
  readonly topics: TopicNames;
  readonly registry: Registry;
  readonly publishTimeoutMs: number;
}

/** What the routes use: publishing with broker failures turned into 503, and the gateway's metrics. */
export interface IngestPipeline {
  readonly metrics: IngestMetrics;
  /** Resolves after every broker ack; throws AppError UNAVAILABLE (with Retry-After) otherwise. */
  publish(events: readonly IngestibleEvent[]): Promise<void>;
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
    const publisher = new EventPublisher({
      createProducer: () => options.bus.producer(),
      topics: options.topics,
      timeoutMs: options.publishTimeoutMs,
      onLateFailure: (error) => app.log.warn({ err: error }, 'a timed-out publish failed later'),
    });
    const publish = async (events: readonly IngestibleEvent[]): Promise<void> => {
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
    app.decorate('ingest', { metrics, publish });
    app.addHook('onClose', () => publisher.close());
  },
  // Its metrics go to the registry that dgt-metrics serves.
  { name: 'dgt-ingest-pipeline', fastify: '5.x', dependencies: ['dgt-errors', 'dgt-metrics'] },
);
