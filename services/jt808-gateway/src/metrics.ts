import type { Jt808ErrorKind } from '@dgt/jt808';
import { MessageId, jt808ErrorKinds } from '@dgt/jt808';
import type { Registry } from 'prom-client';
import { Counter, Gauge, Histogram } from 'prom-client';
import type { CloseReason } from './closeReasons.ts';
import { closeReasons } from './closeReasons.ts';
import type { SkipReason, TimeRefusal } from './positionEvent.ts';
import type { RefusalReason } from './session.ts';

type Inc = { inc(n?: number): void };

/** Label children are resolved once: the hot path only increments. */
export interface GatewayMetrics {
  readonly connections: Gauge;
  readonly connectionsTotal: Counter;
  closed(reason: CloseReason): Inc;
  frames(messageId: number): Inc;
  decodeError(kind: Jt808ErrorKind): Inc;
  readonly ackSeconds: Histogram;
  readonly reportsPublished: Counter;
  skipped(reason: SkipReason): Inc;
  /** Fixes not published for their time (impossible, too far ahead, older than the back-fill window). */
  fixRefused(reason: TimeRefusal): Inc;
  refused(reason: RefusalReason): Inc;
  readonly registrations: Counter;
  /** Terminal 0x0001 responses, by result; consumed without a reply. */
  terminalResponse(result: number): Inc;
  readonly outboxPublished: Counter;
  readonly outboxFailures: Counter;
  readonly outboxPending: Gauge;
  readonly publishFailures: Counter;
  acceptError(code: string): Inc;
  readonly pauses: Counter;
  /** Bytes of sub-packaged messages being reassembled, all connections. */
  readonly subpackageBytes: Gauge;
}

const knownIds = new Set<number>(Object.values(MessageId));
const terminalResults: Readonly<Record<number, string>> = { 0: 'success', 1: 'failure', 2: 'bad-message', 3: 'unsupported' };
const hex = (id: number): string => `0x${id.toString(16).padStart(4, '0')}`;

export function createGatewayMetrics(registry: Registry): GatewayMetrics {
  const registers = [registry];
  const connections = new Gauge({ name: 'dgt_jt808_connections', help: 'Open terminal connections.', registers });
  const connectionsTotal = new Counter({ name: 'dgt_jt808_connections_total', help: 'Terminal connections accepted.', registers });
  const closedC = new Counter({ name: 'dgt_jt808_connections_closed_total', help: 'Terminal connections closed, by reason.', labelNames: ['reason'], registers });
  const framesC = new Counter({ name: 'dgt_jt808_frames_total', help: 'Frames received, by message id (unknown ids as "other").', labelNames: ['msg_id'], registers });
  const decodeC = new Counter({ name: 'dgt_jt808_decode_errors_total', help: 'Frames that did not decode, by error kind.', labelNames: ['kind'], registers });
  const ackSeconds = new Histogram({
    name: 'dgt_jt808_ack_seconds',
    help: 'Time from a location frame arriving to its 0x8001 being written (includes the bus publish).',
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers,
  });
  const reportsPublished = new Counter({ name: 'dgt_jt808_reports_published_total', help: 'Positions accepted by the bus.', registers });
  const skippedC = new Counter({ name: 'dgt_jt808_reports_skipped_total', help: 'Fixes acknowledged but not published, by reason.', labelNames: ['reason'], registers });
  const fixRefusedC = new Counter({
    name: 'dgt_jt808_fixes_refused_total',
    help: 'Positioned fixes not published for their time, by reason (bad-time, future, too-old).',
    labelNames: ['reason'],
    registers,
  });
  const refusedC = new Counter({ name: 'dgt_jt808_refused_total', help: 'Frames refused (registration, authentication, unauthenticated), by reason.', labelNames: ['reason'], registers });
  const registrations = new Counter({ name: 'dgt_jt808_registrations_total', help: 'Terminals registered (0x8100 result 0, auth code issued).', registers });
  const terminalC = new Counter({ name: 'dgt_jt808_terminal_responses_total', help: 'Terminal general responses (0x0001) consumed without a reply, by result.', labelNames: ['result'], registers });
  const outboxPublished = new Counter({ name: 'dgt_jt808_outbox_published_total', help: 'Terminal registration/reset events the bus accepted from the state outbox.', registers });
  const outboxFailures = new Counter({ name: 'dgt_jt808_outbox_failures_total', help: 'Outbox sends the bus refused (retried).', registers });
  const outboxPending = new Gauge({ name: 'dgt_jt808_outbox_pending', help: 'Terminal registration/reset events waiting in the state outbox.', registers });
  const publishFailures = new Counter({ name: 'dgt_jt808_publish_failures_total', help: 'Location frames acked with failure because the bus did not accept them.', registers });
  const acceptC = new Counter({ name: 'dgt_jt808_accept_errors_total', help: 'Errors accepting connections (e.g. EMFILE), by code.', labelNames: ['code'], registers });
  const pauses = new Counter({ name: 'dgt_jt808_backpressure_pauses_total', help: 'Times a connection was paused for too many reports in flight or a full socket buffer.', registers });

  const subpackageBytes = new Gauge({ name: 'dgt_jt808_subpackage_bytes', help: 'Bytes of sub-packaged messages held for reassembly (all connections).', registers });
  for (const r of closeReasons) closedC.labels(r);
  for (const r of ['bad-time', 'future', 'too-old'] as const) fixRefusedC.labels(r);
  for (const k of jt808ErrorKinds) decodeC.labels(k);

  const cached = <K extends string | number>(counter: Counter, label: (k: K) => string): ((k: K) => Inc) => {
    const children = new Map<K, Inc>();
    return (k) => {
      let c = children.get(k);
      if (c === undefined) {
        c = counter.labels(label(k));
        children.set(k, c);
      }
      return c;
    };
  };
  return {
    connections,
    connectionsTotal,
    closed: cached<CloseReason>(closedC, (r) => r),
    frames: cached<number>(framesC, (id) => (knownIds.has(id) ? hex(id) : 'other')),
    decodeError: cached<Jt808ErrorKind>(decodeC, (k) => k),
    ackSeconds,
    reportsPublished,
    skipped: cached<SkipReason>(skippedC, (r) => r),
    fixRefused: cached<TimeRefusal>(fixRefusedC, (r) => r),
    refused: cached<RefusalReason>(refusedC, (r) => r),
    registrations,
    terminalResponse: cached<number>(terminalC, (r) => terminalResults[r] ?? 'other'),
    outboxPublished,
    outboxFailures,
    outboxPending,
    publishFailures,
    acceptError: cached<string>(acceptC, (c) => (/^E[A-Z]+$/.test(c) ? c : 'other')),
    pauses,
    subpackageBytes,
  };
}
