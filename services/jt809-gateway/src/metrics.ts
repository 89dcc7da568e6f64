import type { Jt809ErrorKind } from '@dgt/jt809';
import { MessageId, jt809ErrorKinds } from '@dgt/jt809';
import type { Registry } from 'prom-client';
import { Counter, Gauge, Histogram } from 'prom-client';
import type { CloseReason } from './closeReasons.ts';
import { closeReasons } from './closeReasons.ts';
import type { LoginRefusal } from './loginCheck.ts';

type Inc = { inc(n?: number): void };
type Set = { set(v: number): void };

/** Why a fix, alarm or registration of a logged-in platform was not taken: the `reason` label of dgt_jt809_refused_total. */
export type RefusedReason = 'unknown-vehicle' | 'other-carrier' | 'terminal-sim' | 'bad-time' | 'future' | 'too-old' | 'no-fix' | 'out-of-range' | 'wrong-access-code' | 'not-logged-in';

export type LinkKind = 'main' | 'down';

/** Label children are resolved once per (platform, label): the hot path only increments. */
export interface GatewayMetrics {
  readonly connections: Gauge;
  readonly connectionsTotal: Counter;
  closed(reason: CloseReason): Inc;
  frames(messageId: number): Inc;
  decodeError(kind: Jt809ErrorKind): Inc;
  /** Frames sent without escaping, by platform and whether they were accepted by the platform's policy. */
  unescaped(platformId: string, outcome: 'accepted' | 'refused'): Inc;
  login(result: 'ok' | LoginRefusal): Inc;
  /** 1 while the platform's main / down link is up. */
  linkUp(platformId: string, link: LinkKind): Set;
  /** Unix seconds of the platform's last frame (either link). */
  lastMessage(platformId: string): Set;
  fixesPublished(platformId: string): Inc;
  refused(platformId: string, reason: RefusedReason): Inc;
  registrations(platformId: string, outcome: 'match' | 'mismatch'): Inc;
  alarmsPublished(platformId: string): Inc;
  downLinkConnects(platformId: string, result: 'ok' | 'failed' | 'refused'): Inc;
  readonly publishSeconds: Histogram;
  readonly publishFailures: Counter;
  acceptError(code: string): Inc;
  readonly pauses: Counter;
}

const knownIds = new Set<number>(Object.values(MessageId));
const hex = (id: number): string => `0x${id.toString(16).padStart(4, '0')}`;

export function createGatewayMetrics(registry: Registry): GatewayMetrics {
  const registers = [registry];
  const connections = new Gauge({ name: 'dgt_jt809_connections', help: 'Open main-link connections (logged in or not).', registers });
  const connectionsTotal = new Counter({ name: 'dgt_jt809_connections_total', help: 'Main-link connections accepted.', registers });
  const closedC = new Counter({ name: 'dgt_jt809_connections_closed_total', help: 'Main-link connections closed, by reason.', labelNames: ['reason'], registers });
  const framesC = new Counter({ name: 'dgt_jt809_frames_total', help: 'Frames received (both links), by message id (unknown ids as "other").', labelNames: ['msg_id'], registers });
  const decodeC = new Counter({ name: 'dgt_jt809_decode_errors_total', help: 'Frames that did not decode, by error kind.', labelNames: ['kind'], registers });
  const unescapedC = new Counter({
    name: 'dgt_jt809_unescaped_frames_total',
    help: 'Frames sent without the standard escaping, by platform and outcome (refused unless the platform is configured with acceptUnescaped).',
    labelNames: ['platform', 'outcome'],
    registers,
  });
  const loginC = new Counter({ name: 'dgt_jt809_logins_total', help: 'Main-link logins (0x1001), by result.', labelNames: ['result'], registers });
  const linkUpG = new Gauge({ name: 'dgt_jt809_link_up', help: '1 while a platform\'s main or down link is up.', labelNames: ['platform', 'link'], registers });
  const lastG = new Gauge({ name: 'dgt_jt809_last_message_seconds', help: 'Unix time of a platform\'s last frame on either link.', labelNames: ['platform'], registers });
  const fixesC = new Counter({ name: 'dgt_jt809_fixes_published_total', help: 'Positions the bus accepted, by platform (rate() = fixes/s).', labelNames: ['platform'], registers });
  const refusedC = new Counter({ name: 'dgt_jt809_refused_total', help: 'Fixes, alarms and registrations not taken, by platform and reason.', labelNames: ['platform', 'reason'], registers });
  const registrationsC = new Counter({ name: 'dgt_jt809_registrations_total', help: 'Vehicle registrations (0x1201) checked against the register, by platform and outcome.', labelNames: ['platform', 'outcome'], registers });
  const alarmsC = new Counter({ name: 'dgt_jt809_alarms_published_total', help: 'Alarms (0x1402) published, by platform.', labelNames: ['platform'], registers });
  const downC = new Counter({ name: 'dgt_jt809_down_link_connects_total', help: 'Down-link (0x9001) attempts, by platform and result.', labelNames: ['platform', 'result'], registers });
  const publishSeconds = new Histogram({
    name: 'dgt_jt809_publish_seconds',
    help: 'Time from a frame arriving to its events being accepted by the bus.',
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers,
  });
  const publishFailures = new Counter({ name: 'dgt_jt809_publish_failures_total', help: 'Frames whose events the bus did not accept.', registers });
  const acceptC = new Counter({ name: 'dgt_jt809_accept_errors_total', help: 'Errors accepting connections (e.g. EMFILE), by code.', labelNames: ['code'], registers });
  const pauses = new Counter({ name: 'dgt_jt809_backpressure_pauses_total', help: 'Times a link was paused for too many frames in flight or a full socket buffer.', registers });
  for (const r of closeReasons) closedC.labels(r);
  for (const k of jt809ErrorKinds) decodeC.labels(k);

  const cached = <L extends readonly string[], C extends Inc | Set>(make: (...labels: L) => C): ((...labels: L) => C) => {
    const children = new Map<string, C>();
    return (...labels) => {
      const key = labels.join('\u0000');
      let c = children.get(key);
      if (c === undefined) {
        c = make(...labels);
        children.set(key, c);
      }
      return c;
    };
  };
  return {
    connections,
    connectionsTotal,
    closed: cached((r: CloseReason) => closedC.labels(r)),
    frames: (() => {
      const byId = cached((label: string) => framesC.labels(label));
      return (id: number) => byId(knownIds.has(id) ? hex(id) : 'other');
    })(),
    decodeError: cached((k: Jt809ErrorKind) => decodeC.labels(k)),
    unescaped: cached((p: string, o: 'accepted' | 'refused') => unescapedC.labels(p, o)),
    login: cached((r: string) => loginC.labels(r)),
    linkUp: cached((p: string, l: LinkKind) => linkUpG.labels(p, l)),
    lastMessage: cached((p: string) => lastG.labels(p)),
    fixesPublished: cached((p: string) => fixesC.labels(p)),
    refused: cached((p: string, r: RefusedReason) => refusedC.labels(p, r)),
    registrations: cached((p: string, o: 'match' | 'mismatch') => registrationsC.labels(p, o)),
    alarmsPublished: cached((p: string) => alarmsC.labels(p)),
    downLinkConnects: cached((p: string, r: 'ok' | 'failed' | 'refused') => downC.labels(p, r)),
    publishSeconds,
    publishFailures,
    acceptError: (() => {
      const byCode = cached((c: string) => acceptC.labels(c));
      return (code: string) => byCode(/^E[A-Z]+$/.test(code) ? code : 'other');
    })(),
    pauses,
  };
}
