import { caseEventTypes, safeParseEvent } from '@dgt/events';
import { expect } from 'vitest';
import {
  type Actor,
  type AssignCase,
  type CaseCommand,
  type DecideAppeal,
  type Dispose,
  type FreezeEvidence,
  type NotifyCarrier,
  type OpenCase,
  type RecordOnSiteCheck,
  type Reopen,
  type Respond,
  type CaseContext,
  type CaseDecisionEvent,
  type CaseRecorded,
  type CaseState,
  decideCase,
  evolveCase,
  type Refusal,
  type RefusalCode,
} from '../src/index.ts';

/*
 * given(commands).when(command).then…: the case's history is built by the decider itself (so every
 * given history is one the library allows), then one more command is decided.
 */

const caseTypes: ReadonlySet<string> = new Set(caseEventTypes);
export const isCaseEvent = (e: CaseDecisionEvent): e is CaseRecorded => caseTypes.has(e.type);

/** Every recorded event is a valid event of the contract once the API wraps it in an envelope. */
export function expectValidEvents(events: readonly CaseDecisionEvent[] | readonly { type: string; occurredAt: string; data: unknown }[]): void {
  events.forEach((e, i) => {
    const r = safeParseEvent({ eventId: `e-${i}`, type: e.type, occurredAt: e.occurredAt, data: e.data });
    expect(r.ok ? [] : r.error.issues, `${e.type} must satisfy its schema`).toEqual([]);
  });
}

export function fold(events: readonly CaseDecisionEvent[], state: CaseState | null = null): CaseState | null {
  return events.filter(isCaseEvent).reduce<CaseState | null>(evolveCase, state);
}

export function given(...commands: CaseCommand[]) {
  let state: CaseState | null = null;
  const recorded: CaseDecisionEvent[] = [];
  for (const c of commands) {
    const d = decideCase(state, c);
    if (!d.ok) throw new Error(`given: ${c.type} was refused (${d.refusal.code}: ${d.refusal.message})`);
    recorded.push(...d.events);
    state = fold(d.events, state);
  }
  return {
    state,
    recorded,
    when(command: CaseCommand, ctx?: CaseContext) {
      const decision = decideCase(state, command, ctx);
      /** The events recorded (valid against the contract); fails if the command was refused. */
      const thenEvents = (): CaseDecisionEvent[] => {
        if (!decision.ok) throw new Error(`expected events, got ${decision.refusal.code}: ${decision.refusal.message}`);
        expectValidEvents(decision.events);
        return [...decision.events];
      };
      /** The case after the events. */
      const thenState = (): CaseState => {
        const after = fold(thenEvents(), state);
        if (after === null) throw new Error('no case after the events');
        return after;
      };
      const thenRefused = (code: RefusalCode): Refusal => {
        if (decision.ok) throw new Error(`expected ${code}, got events ${decision.events.map((e) => e.type).join(', ')}`);
        expect(decision.refusal.code, decision.refusal.message).toBe(code);
        return decision.refusal;
      };
      return { decision, thenEvents, thenState, thenRefused };
    },
  };
}

export const T0 = '2026-03-02T08:00:00+08:00';
/** `T0` plus `min` minutes, in +08:00. */
export function at(min: number): string {
  const ms = Date.parse(T0) + min * 60_000;
  return new Date(ms + 8 * 3_600_000).toISOString().slice(0, 19) + '+08:00';
}

export const bureau: Actor = { principal: 'bureau-key', role: 'bureau' };
export const enforcement: Actor = { principal: 'enforcement-key', role: 'enforcement' };
export const carrier: Actor = { principal: 'c1-key', role: 'carrier', carrierId: 'C1' };
export const otherCarrier: Actor = { principal: 'c2-key', role: 'carrier', carrierId: 'C2' };
export const admin: Actor = { principal: 'admin-key', role: 'admin' };
export const policyRunner: Actor = { principal: 'case-policy', role: 'system' };
export const ingest: Actor = { principal: 'ingest-key', role: 'ingest' };

const sha = (c: string) => c.repeat(64);

/** Commands of one case (C1's vehicle V1, illegal parking from T0 to T0+40 min), each at minute `min`. */
export const cmd = {
  open: (over: Partial<OpenCase> = {}): OpenCase => ({
    type: 'open',
    actor: bureau,
    now: at(60),
    caseId: 'K1',
    carrierId: 'C1',
    vehicleId: 'V1',
    kind: 'illegal-parking',
    violationIds: ['p-17/IllegalParkingStarted'],
    window: { from: T0, to: at(40) },
    ...over,
  }),
  assign: (min = 61, actor = bureau): AssignCase => ({ type: 'assign', actor, now: at(min), unit: '临海执法中队', officer: '王警官' }),
  freeze: (min = 62, over: Partial<FreezeEvidence> = {}): FreezeEvidence => ({
    type: 'freezeEvidence',
    actor: enforcement,
    now: at(min),
    selection: { vehicleIds: ['V1'], from: at(-10), to: at(50) },
    thresholds: { illegalParkingAfterS: 600 },
    inputs: { sha256: sha('a'), events: 120, firstPosition: '1', lastPosition: '120' },
    reportDigest: sha('b'),
    archive: { html: sha('c'), json: sha('d'), csv: sha('e') },
    ...over,
  }),
  check: (min = 63, over: Partial<RecordOnSiteCheck> = {}): RecordOnSiteCheck => ({
    type: 'recordOnSiteCheck',
    actor: enforcement,
    now: at(min),
    officer: '王警官',
    checkedAt: at(min - 1),
    place: { lon: 121.42, lat: 28.65, text: 'G15 K1520 应急车道' },
    findings: '车辆满载停于应急车道，驾驶员称等待卸货。',
    attachments: [{ sha256: sha('f'), name: 'photo-1.jpg', type: 'image/jpeg', size: 204_800 }],
    ...over,
  }),
  /** Notice at minute `min`, deadline `days` days later. */
  notify: (min = 64, days = 7): NotifyCarrier => ({ type: 'notifyCarrier', actor: enforcement, now: at(min), responseDeadline: at(min + days * 1440) }),
  acknowledge: (min = 70, actor = carrier): Respond => ({ type: 'respond', actor, now: at(min), response: 'acknowledge' }),
  appeal: (min = 70, actor = carrier): Respond => ({ type: 'respond', actor, now: at(min), response: 'appeal', reasons: '卸货点临时封闭，停车系等待指引。' }),
  decideAppeal: (outcome: 'upheld' | 'rejected', min = 80): DecideAppeal => ({ type: 'decideAppeal', actor: enforcement, now: at(min), outcome, reasons: outcome === 'upheld' ? '卸货点封闭属实。' : '未提供封闭证明。' }),
  penalise: (min = 90, over: Partial<Dispose> = {}): Dispose => ({
    type: 'dispose',
    actor: enforcement,
    now: at(min),
    disposition: 'penalised',
    legalBasis: '《危险货物道路运输安全管理办法》第六十六条',
    amountYuan: 2000,
    ...over,
  }),
  warn: (min = 90, over: Partial<Dispose> = {}): Dispose => ({ type: 'dispose', actor: enforcement, now: at(min), disposition: 'warned', ...over }),
  dismiss: (min = 90, over: Partial<Dispose> = {}): Dispose => ({ type: 'dispose', actor: enforcement, now: at(min), disposition: 'dismissed', reason: '停车点为临时指定停车区。', ...over }),
  reopen: (min = 100, actor = bureau): Reopen => ({ type: 'reopen', actor, now: at(min), reason: '复核发现新的轨迹证据。' }),
};

/** A case notified at minute 64 and acknowledged at 70: ready to be penalised. */
export const acknowledgedCase = (): CaseCommand[] => [cmd.open(), cmd.assign(), cmd.freeze(), cmd.check(), cmd.notify(), cmd.acknowledge()];
