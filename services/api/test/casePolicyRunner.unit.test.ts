import { type CaseCommand, type CaseRecorded, type CaseState, decideCase, defaultCasePolicy, defaultCasesConfig, evolveCase } from '@dgt/cases';
import { clockTick, type DgtEvent } from '@dgt/events';
import { type EventStore, openMemoryEventStore, streamFor } from '@dgt/eventstore';
import type { VehicleRegistration } from '@dgt/readmodels';
import { afterEach, describe, expect, it } from 'vitest';
import { type CasePolicyRunner, policyCaseId, startCasePolicyRunner } from '../src/cases/policyRunner.ts';

const T0 = Date.parse('2026-03-02T08:00:00+08:00');
const at = (min: number) => new Date(T0 + min * 60_000).toISOString();
const NOW = new Date('2026-03-05T10:00:00Z');

const parkingStarted = (vehicleId: string, sinceMin: number, atMin: number, carrierId?: string): DgtEvent =>
  ({
    eventId: `f-${vehicleId}-${atMin}/IllegalParkingStarted`,
    type: 'IllegalParkingStarted',
    occurredAt: at(atMin),
    data: { vehicleId, waybillNo: 'W1', ...(carrierId === undefined ? {} : { carrierId }), lon: 121.4, lat: 28.6, stoppedSince: at(sinceMin), evidence: [`f-${vehicleId}-${atMin}`] },
  }) as DgtEvent;
const restricted = (vehicleId: string, atMin: number): DgtEvent =>
  ({
    eventId: `f-${vehicleId}-${atMin}/RestrictedEntryStarted/Z1`,
    type: 'RestrictedEntryStarted',
    occurredAt: at(atMin),
    data: { vehicleId, zoneId: 'Z1', rule: 'laden-banned', waybillNo: 'W2', carrierId: 'C2', speedKmh: 40, evidence: [`f-${vehicleId}-${atMin}`] },
  }) as DgtEvent;
const tick = (min: number) => clockTick(T0 + min * 60_000) as DgtEvent;

/** The case repository's decide, reduced to what opening needs: fold the stream, decide, append at its revision. */
function decideOn(store: EventStore) {
  return async (caseId: string, command: CaseCommand) => {
    let state: CaseState | null = null;
    let revision: number | 'no-stream' = 'no-stream';
    for await (const r of store.readStream(`case-${caseId}`)) {
      state = evolveCase(state, r.event as unknown as CaseRecorded);
      revision = r.revision;
    }
    const d = decideCase(state, command, { config: defaultCasesConfig });
    if (!d.ok) return d;
    await store.append(`case-${caseId}`, d.events.map((e, i) => ({ eventId: `case-${caseId}/${i}`, type: e.type, occurredAt: e.occurredAt, data: e.data })), { expectedRevision: revision });
    return { ok: true as const };
  };
}

async function record(store: EventStore, events: DgtEvent[]) {
  for (const e of events) await store.append(streamFor(e), [e]);
}
async function cases(store: EventStore) {
  const out: Record<string, unknown>[] = [];
  for await (const r of store.readAll({ filter: { streamPrefixes: ['case-'] } })) out.push({ stream: r.streamId, ...(r.event.data as Record<string, unknown>) });
  return out;
}

const registrations: Record<string, VehicleRegistration> = {
  V1: { vehicleId: 'V1', plateNo: '浙J·10001', plateKey: '浙J·10001', periods: [{ carrierId: 'C1', from: null, to: null }] },
};

let runners: CasePolicyRunner[] = [];
afterEach(async () => {
  for (const r of runners) await r.stop();
  runners = [];
});
function start(store: EventStore) {
  const runner = startCasePolicyRunner({ store, policy: defaultCasePolicy, registration: async (id) => registrations[id], decide: decideOn(store), now: () => NOW });
  runners.push(runner);
  return runner;
}

describe('the case policy runner', () => {
  it('opens a case for each violation the policy names, as the system, with the carrier from the waybill or the register', async () => {
    const store = openMemoryEventStore();
    await record(store, [parkingStarted('V1', 0, 10), restricted('V2', 12), tick(20), tick(31), parkingStarted('V3', 40, 45, 'C3')]);
    const runner = start(store);
    await runner.caughtUp();
    expect(runner.stats).toEqual({ opened: 2, alreadyOpen: 0, skipped: 0, refused: 0 });
    const opened = await cases(store);
    expect(opened).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ stream: `case-${policyCaseId('f-V2-12/RestrictedEntryStarted/Z1')}`, carrierId: 'C2', vehicleId: 'V2', kind: 'restricted-entry', policy: 'restricted-entry', openedBy: 'policy' }),
        expect.objectContaining({ stream: `case-${policyCaseId('f-V1-10/IllegalParkingStarted')}`, carrierId: 'C1', vehicleId: 'V1', kind: 'illegal-parking', policy: 'parking-30min', violationIds: ['f-V1-10/IllegalParkingStarted'], window: { from: at(0), to: tick(31).occurredAt } }),
      ]),
    );
    expect(opened).toHaveLength(2);
    expect(opened[0]).toMatchObject({ by: { principal: 'case-policy', role: 'system' } });
  });

  it('follows violations recorded after it started, and a second run over the same record opens nothing twice', async () => {
    const store = openMemoryEventStore();
    const first = start(store);
    await first.caughtUp();
    await record(store, [restricted('V2', 1)]);
    await expect.poll(() => first.stats.opened).toBe(1);
    await first.stop();
    const second = start(store);
    await second.caughtUp();
    expect(second.stats).toMatchObject({ opened: 0, alreadyOpen: 1 });
    expect(await cases(store)).toHaveLength(1);
  });

  it('skips a violation with no carrier to notify (no waybill carrier, vehicle not registered), and says why', async () => {
    const store = openMemoryEventStore();
    await record(store, [parkingStarted('V9', 0, 10), tick(40)]);
    const skipped: string[] = [];
    const runner = startCasePolicyRunner({ store, policy: defaultCasePolicy, registration: async () => undefined, decide: decideOn(store), now: () => NOW, onSkipped: (_o, why) => skipped.push(why) });
    runners.push(runner);
    await runner.caughtUp();
    expect(runner.stats).toMatchObject({ opened: 0, skipped: 1 });
    expect(skipped[0]).toContain('not registered');
    expect(await cases(store)).toEqual([]);
  });
});
