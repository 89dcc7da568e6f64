import { Counter, Histogram, type Registry } from 'prom-client';
import type { Rejection } from './checkBatch.ts';

/** Who read a body that parsed: the fix scanner (fixScanner.ts), JSON.parse, or the NDJSON reader. */
export type BodyReader = 'scanner' | 'json' | 'ndjson';

export type BatchStatus = 'accepted' | 'bad_request' | 'too_large' | 'denied' | 'conflict' | 'rate_limited' | 'unavailable' | 'error';

/** The gateway's own metrics, next to the HTTP ones in the app's registry. */
export class IngestMetrics {
  private readonly events: Counter<'type' | 'outcome' | 'reason'>;
  private readonly batches: Counter<'status'>;
  private readonly publish: Histogram<'outcome'>;
  private readonly lookupFailures: Counter;
  private readonly bodies: Counter<'reader'>;

  constructor(registry: Registry) {
    this.events = new Counter({
      name: 'dgt_ingest_events_total',
      help: 'Events accepted (published), rejected (by reason), or known already (outcome duplicate or conflict), by event type',
      labelNames: ['type', 'outcome', 'reason'] as const,
      registers: [registry],
    });
    this.batches = new Counter({
      name: 'dgt_ingest_batches_total',
      help: 'POST /v1/events requests by outcome',
      labelNames: ['status'] as const,
      registers: [registry],
    });
    this.publish = new Histogram({
      name: 'dgt_ingest_publish_seconds',
      help: 'Time from the first send to the last broker acknowledgement of one batch',
      labelNames: ['outcome'] as const,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    });
    this.lookupFailures = new Counter({
      name: 'dgt_ingest_id_lookup_failures_total',
      help: 'Batches whose ids could not be looked up in the event store (treated as new)',
      registers: [registry],
    });
    this.bodies = new Counter({
      name: 'dgt_ingest_bodies_total',
      help: 'POST /v1/events bodies that parsed, by reader: scanner (JSON bodies of plain fixes), json (any other JSON body), ndjson',
      labelNames: ['reader'] as const,
      registers: [registry],
    });
  }

  /** A body that parsed, by who read it: a client whose bodies leave the scanner shows as json. */
  bodyRead(reader: BodyReader): void {
    this.bodies.inc({ reader });
  }

  /** The events of a batch published now (`known[i]` undefined) and those known before, by type. */
  acceptedEvents(events: readonly { readonly type: string }[], known: readonly ('duplicate' | 'conflict' | undefined)[]): void {
    // Nearly every batch is of one type (fixes): those are counted by comparing strings, the rest
    // in a Map (each event's type is its own string from the body, hashed anew for every lookup).
    let first: string | undefined;
    let firstCount = 0;
    let others: Map<string, number> | undefined;
    for (let i = 0; i < events.length; i++) {
      const type = (events[i] as { readonly type: string }).type;
      const status = known[i];
      if (status !== undefined) this.known(type, status);
      else if (type === (first ??= type)) firstCount++;
      else (others ??= new Map()).set(type, (others.get(type) ?? 0) + 1);
    }
    if (first !== undefined && firstCount > 0) this.events.inc({ type: first, outcome: 'accepted', reason: 'none' }, firstCount);
    for (const [type, n] of others ?? []) this.events.inc({ type, outcome: 'accepted', reason: 'none' }, n);
  }

  /** Events accepted before under their id: the same (`duplicate`) or another event (`conflict`). */
  known(type: string, outcome: 'duplicate' | 'conflict'): void {
    this.events.inc({ type, outcome, reason: 'none' });
  }

  lookupFailed(): void {
    this.lookupFailures.inc();
  }

  rejected(rejections: readonly Rejection[]): void {
    for (const r of rejections) this.events.inc({ type: r.type, outcome: 'rejected', reason: r.reason });
  }

  batch(status: BatchStatus): void {
    this.batches.inc({ status });
  }

  publishTimer(): (outcome: 'ok' | 'failed') => void {
    const end = this.publish.startTimer();
    return (outcome) => end({ outcome });
  }
}

export function batchStatusOf(httpStatus: number): BatchStatus {
  if (httpStatus === 202) return 'accepted';
  if (httpStatus === 401 || httpStatus === 403) return 'denied';
  if (httpStatus === 413) return 'too_large';
  if (httpStatus === 409) return 'conflict';
  if (httpStatus === 429) return 'rate_limited';
  if (httpStatus === 503) return 'unavailable';
  if (httpStatus >= 400 && httpStatus < 500) return 'bad_request';
  return 'error';
}
