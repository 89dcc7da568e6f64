import type { ConsignmentEvent } from '@dgt/events';
import { describe, expect, it } from 'vitest';
import { type Consignment, decideConsignment } from '../src/index.ts';
import { consignment } from './fixtures.ts';

function run(events: ConsignmentEvent[], laden: Record<string, string> = {}) {
  let c: Consignment | undefined;
  const outcomes: string[] = [];
  for (const e of events) {
    const d = decideConsignment(c, e, (v) => laden[v]);
    if (d.ok) c = d.consignment;
    outcomes.push(d.ok ? d.consignment.status : d.code);
  }
  return { c, outcomes };
}

const steps = (...s: Parameters<typeof consignment>[2]) => consignment('W1', 'V1', s) as ConsignmentEvent[];

describe('consignment lifecycle', () => {
  it('goes declared → assigned → loaded → unloaded → closed and records each time', () => {
    const { c, outcomes } = run(steps('declare', 'assign', 'load', 'unload', 'close'));
    expect(outcomes).toEqual(['declared', 'assigned', 'loaded', 'unloaded', 'closed']);
    expect(Object.keys(c?.timeline ?? {})).toEqual(['declared', 'assigned', 'loaded', 'unloaded', 'closed']);
    expect(c?.loadingEventId).toBe('W1-load');
  });

  it('refuses loading before assignment and leaves the consignment declared', () => {
    const { c, outcomes } = run(steps('declare', 'load'));
    expect(outcomes).toEqual(['declared', 'INVALID_TRANSITION']);
    expect(c?.status).toBe('declared');
  });

  it('refuses any step on an undeclared waybill and a second declaration', () => {
    expect(run(steps('assign')).outcomes).toEqual(['WAYBILL_UNKNOWN']);
    expect(run(steps('declare', 'declare')).outcomes).toEqual(['declared', 'WAYBILL_EXISTS']);
  });

  it('refuses loading onto a vehicle other than the assigned one', () => {
    const [declare, assign] = steps('declare', 'assign');
    const wrong = { ...consignment('W1', 'V2', ['load'])[0] } as ConsignmentEvent;
    expect(run([declare!, assign!, wrong]).outcomes).toEqual(['declared', 'assigned', 'VEHICLE_MISMATCH']);
  });

  it('refuses loading a vehicle still laden with another waybill', () => {
    expect(run(steps('declare', 'assign', 'load'), { V1: 'W0' }).outcomes).toEqual(['declared', 'assigned', 'VEHICLE_ALREADY_LADEN']);
  });

  it('allows cancelling before loading but not once goods are on the truck', () => {
    expect(run(steps('declare', 'assign', 'cancel')).outcomes).toEqual(['declared', 'assigned', 'cancelled']);
    expect(run(steps('declare', 'assign', 'load', 'cancel')).outcomes).toEqual(['declared', 'assigned', 'loaded', 'INVALID_TRANSITION']);
  });

  it('refuses closing a consignment that was never unloaded', () => {
    expect(run(steps('declare', 'assign', 'load', 'close')).outcomes.at(-1)).toBe('INVALID_TRANSITION');
  });

  it('allows reassigning before loading (a truck breaks down) but not after', () => {
    expect(run(steps('declare', 'assign', 'assign')).outcomes).toEqual(['declared', 'assigned', 'assigned']);
    expect(run(steps('declare', 'assign', 'load', 'assign')).outcomes.at(-1)).toBe('INVALID_TRANSITION');
  });
});
