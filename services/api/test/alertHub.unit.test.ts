import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import type { AlertView } from '@dgt/readmodels';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AlertHub } from '../src/alerts/alertHub.ts';
import { parseAlert } from '../src/alerts/alertConsumer.ts';
import { registerApiMetrics } from '../src/apiMetrics.ts';
import { createMemoryReadModelStore } from '@dgt/readmodels';

/** A response that records what was written; `full` makes write() report a full socket buffer. */
class FakeResponse extends EventEmitter {
  readonly chunks: string[] = [];
  full = false;
  ended = false;
  destroyed = false;
  write(chunk: string): boolean {
    this.chunks.push(chunk);
    return !this.full;
  }
  end(): void {
    this.ended = true;
  }
  destroy(): void {
    this.destroyed = true;
    this.emit('close');
  }
  ids(): string[] {
    return this.chunks.flatMap((c) => [...c.matchAll(/^id: (.*)$/gm)].map((m) => m[1]!));
  }
}

const alert = (alertId: string, carrierId: string | null): AlertView => ({ alertId, type: 'IllegalParkingStarted', category: 'violation', kind: 'illegal-parking', severity: 'medium', occurredAt: '2026-03-05T09:59:00Z', vehicleId: 'V1', plateNo: null, carrierId, waybillNo: null, zoneId: null, zoneName: null, laden: true, lon: 121.4, lat: 28.6, message: 'parked' });

function hub(settings: Partial<{ ringSize: number; clientQueueMax: number; heartbeatMs: number }> = {}) {
  const registry = new Registry();
  const metrics = registerApiMetrics(registry, createMemoryReadModelStore());
  return { hub: new AlertHub({ ringSize: 10, clientQueueMax: 3, heartbeatMs: 15_000, ...settings }, metrics), registry };
}

const connect = (h: AlertHub, carrierId: string | null, lastEventId?: string) => {
  const res = new FakeResponse();
  h.connect({ carrierId }, res as unknown as ServerResponse, lastEventId);
  return res;
};

afterEach(() => {
  vi.useRealTimers();
});

describe('AlertHub', () => {
  it('sends every alert to unscoped clients and only its own carrier’s to a carrier client', () => {
    const { hub: h } = hub();
    const bureau = connect(h, null);
    const c1 = connect(h, 'C1');
    h.publish(alert('a1', 'C1'));
    h.publish(alert('a2', 'C2'));
    h.publish(alert('a3', null));
    expect(bureau.ids()).toEqual(['a1', 'a2', 'a3']);
    expect(c1.ids()).toEqual(['a1']);
    expect(c1.chunks.at(-1)).toMatch(/^event: alert\nid: a1\ndata: \{.*"alertId":"a1".*\}\n\n$/);
  });

  it('ignores a repeated alert id (at-least-once delivery)', () => {
    const { hub: h } = hub();
    const c = connect(h, null);
    expect(h.publish(alert('a1', 'C1'))).toBe(true);
    expect(h.publish(alert('a1', 'C1'))).toBe(false);
    expect(c.ids()).toEqual(['a1']);
  });

  it('replays the ring after Last-Event-ID, in scope; an unknown id replays the whole ring', () => {
    const { hub: h } = hub({ ringSize: 3 });
    for (const [id, carrier] of [['a1', 'C1'], ['a2', 'C1'], ['a3', 'C2'], ['a4', 'C1']] as const) h.publish(alert(id, carrier));
    expect(connect(h, null, 'a2').ids()).toEqual(['a3', 'a4']);
    expect(connect(h, 'C1', 'a2').ids()).toEqual(['a4']);
    expect(connect(h, null, 'a1').ids()).toEqual(['a2', 'a3', 'a4']);
    expect(connect(h, null).ids()).toEqual([]);
  });

  it('queues frames while a client’s socket is full and drops it once the queue overflows', async () => {
    const { hub: h, registry } = hub({ clientQueueMax: 3 });
    const fast = connect(h, null);
    const slow = connect(h, null);
    slow.full = true;
    h.publish(alert('a1', 'C1'));
    for (const id of ['a2', 'a3', 'a4']) h.publish(alert(id, 'C1'));
    expect(slow.destroyed).toBe(false);
    h.publish(alert('a5', 'C1'));
    expect(slow.destroyed).toBe(true);
    expect(fast.ids()).toEqual(['a1', 'a2', 'a3', 'a4', 'a5']);
    expect(h.clientCount).toBe(1);
    const text = await registry.metrics();
    expect(text).toContain('dgt_api_sse_clients_dropped_total{reason="slow"} 1');
    expect(text).toContain('dgt_api_sse_clients 1');
  });

  it('flushes the queue in order once the socket drains', () => {
    const { hub: h } = hub({ clientQueueMax: 10 });
    const c = connect(h, null);
    c.full = true;
    h.publish(alert('a1', 'C1'));
    h.publish(alert('a2', 'C1'));
    expect(c.ids()).toEqual(['a1']);
    c.full = false;
    c.emit('drain');
    h.publish(alert('a3', 'C1'));
    expect(c.ids()).toEqual(['a1', 'a2', 'a3']);
  });

  it('sends a heartbeat comment every heartbeatMs and forgets a client that disconnects', () => {
    vi.useFakeTimers();
    const { hub: h } = hub({ heartbeatMs: 1000 });
    const c = connect(h, null);
    vi.advanceTimersByTime(2500);
    expect(c.chunks.filter((x) => x === ': heartbeat\n\n')).toHaveLength(2);
    c.emit('close');
    expect(h.clientCount).toBe(0);
    vi.advanceTimersByTime(2000);
    expect(c.chunks.filter((x) => x === ': heartbeat\n\n')).toHaveLength(2);
  });

  it('ends every stream on close', () => {
    const { hub: h } = hub();
    const a = connect(h, null);
    const b = connect(h, 'C1');
    h.close();
    expect([a.ended, b.ended]).toEqual([true, true]);
    expect(h.clientCount).toBe(0);
  });
});

describe('parseAlert', () => {
  it('accepts an AlertView, refuses other JSON, broken JSON and ids with line breaks', () => {
    const ok = alert('a1', 'C1');
    expect(parseAlert({ value: Buffer.from(JSON.stringify({ ...ok, extra: 1 })) })).toEqual(ok);
    expect(parseAlert({ value: Buffer.from('{"alertId":1}') })).toBeUndefined();
    expect(parseAlert({ value: Buffer.from('not json') })).toBeUndefined();
    expect(parseAlert({ value: Buffer.from(JSON.stringify({ ...ok, alertId: 'a\ndata: forged' })) })).toBeUndefined();
  });
});
