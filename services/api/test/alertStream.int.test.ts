import { topicNames } from '@dgt/bus';
import type { AlertView } from '@dgt/readmodels';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { keys, startTestApi, type TestRole } from './apiTestKit.ts';

type Started = Awaited<ReturnType<typeof startTestApi>>;
let api: Started;
let base: string;
const open: Stream[] = [];

beforeEach(async () => {
  api = await startTestApi({ withBus: true, app: { alerts: { heartbeatMs: 200 } } });
  base = await api.app.listen({ port: 0, host: '127.0.0.1' });
});
afterEach(async () => {
  for (const s of open.splice(0)) s.close();
  await api.close();
});

interface Stream {
  readonly status: number;
  readonly contentType: string | null;
  readonly alerts: AlertView[];
  readonly ids: string[];
  text(): string;
  waitFor(predicate: () => boolean, what: string): Promise<void>;
  close(): void;
}

/** Reads GET /v1/alerts/stream with fetch, as a browser or a script would. */
async function stream(role: TestRole, lastEventId?: string): Promise<Stream> {
  const abort = new AbortController();
  const res = await fetch(`${base}/v1/alerts/stream`, { headers: { 'x-api-key': keys[role], ...(lastEventId === undefined ? {} : { 'last-event-id': lastEventId }) }, signal: abort.signal });
  /** Everything received (comments included); `consumed` marks how far frames were parsed. */
  let text = '';
  let consumed = 0;
  const buffer = () => text.slice(consumed);
  const alerts: AlertView[] = [];
  const ids: string[] = [];
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  void (async () => {
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        text += decoder.decode(value, { stream: true });
        let end: number;
        while ((end = buffer().indexOf('\n\n')) >= 0) {
          const frame = buffer().slice(0, end);
          consumed += end + 2;
          if (!frame.includes('event: alert')) continue;
          ids.push(/^id: (.*)$/m.exec(frame)![1]!);
          alerts.push(JSON.parse(/^data: (.*)$/m.exec(frame)![1]!) as AlertView);
        }
      }
    } catch {
      // aborted
    }
  })();
  const s: Stream = {
    status: res.status,
    contentType: res.headers.get('content-type'),
    alerts,
    ids,
    text: () => text,
    waitFor: async (predicate, what) => {
      const deadline = Date.now() + 5000;
      while (!predicate()) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; received ${ids.join(',')} / ${JSON.stringify(text)}`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    close: () => abort.abort(),
  };
  open.push(s);
  await s.waitFor(() => text.includes(': connected') || ids.length > 0, 'the connected comment');
  return s;
}

const alert = (alertId: string, carrierId: string | null): AlertView => ({ alertId, type: 'IllegalParkingStarted', category: 'violation', kind: 'illegal-parking', severity: 'medium', occurredAt: '2026-03-05T09:59:00Z', vehicleId: carrierId === 'C2' ? 'V3' : 'V1', plateNo: null, carrierId, waybillNo: null, zoneId: null, zoneName: null, laden: true, lon: 121.4, lat: 28.6, message: `alert ${alertId}` });

async function publish(...alerts: AlertView[]): Promise<void> {
  // As the projector publishes: key = vehicle, carrier in a header.
  await api.bus!.producer().send(topicNames().alerts, alerts.map((a) => ({ key: a.vehicleId, value: JSON.stringify(a), headers: { 'dgt-alert-carrier': a.carrierId ?? '' } })));
}

describe('GET /v1/alerts/stream', () => {
  it('streams alerts from the bus as SSE: bureau gets both carriers’, a carrier only its own', async () => {
    const bureau = await stream('bureau');
    const c1 = await stream('carrier:C1');
    const c2 = await stream('carrier:C2');
    expect(bureau.status).toBe(200);
    expect(bureau.contentType).toContain('text/event-stream');
    await publish(alert('a1', 'C1'), alert('a2', 'C2'), alert('a3', null), alert('a4', 'C1'));
    await bureau.waitFor(() => bureau.ids.length === 4, 'four alerts for bureau');
    await c1.waitFor(() => c1.ids.length === 2, 'two alerts for C1');
    await c2.waitFor(() => c2.ids.length === 1, 'one alert for C2');
    // Order holds per vehicle (the partition key), not across vehicles.
    expect([...bureau.ids].sort()).toEqual(['a1', 'a2', 'a3', 'a4']);
    expect(c1.ids).toEqual(['a1', 'a4']);
    expect(c2.ids).toEqual(['a2']);
    expect(c1.alerts.every((a) => a.carrierId === 'C1')).toBe(true);
    expect(bureau.alerts[0]).toEqual(alert('a1', 'C1'));
    // Nothing of another carrier's reached C1 after the fact either.
    await new Promise((r) => setTimeout(r, 100));
    expect(c1.ids).toEqual(['a1', 'a4']);
  });

  it('passes on each alert as the projector classified it: a passage arrives as an advisory, an overspeed as a violation', async () => {
    const s = await stream('bureau');
    const passage: AlertView = { ...alert('p1', 'C1'), type: 'AccidentSegmentEntered', category: 'advisory', kind: 'segment-passage', severity: 'low' };
    const overspeed: AlertView = { ...alert('o1', 'C1'), type: 'OverspeedStarted', category: 'violation', kind: 'overspeed', severity: 'high' };
    await publish(passage, overspeed);
    await s.waitFor(() => s.ids.length === 2, 'both alerts');
    expect(s.alerts.map((a) => [a.alertId, a.category, a.kind])).toEqual([
      ['p1', 'advisory', 'segment-passage'],
      ['o1', 'violation', 'overspeed'],
    ]);
  });

  it('resumes after Last-Event-ID from the recent-alerts ring, still in scope', async () => {
    const first = await stream('bureau');
    for (const [id, carrier] of [['a1', 'C1'], ['a2', 'C2'], ['a3', 'C1']] as const) {
      await publish(alert(id, carrier));
      await first.waitFor(() => first.ids.includes(id), id);
    }
    first.close();
    const resumed = await stream('bureau', 'a1');
    await resumed.waitFor(() => resumed.ids.length === 2, 'the two missed alerts');
    expect(resumed.ids).toEqual(['a2', 'a3']);
    const carrier = await stream('carrier:C1', 'a1');
    await carrier.waitFor(() => carrier.ids.length === 1, 'the missed C1 alert');
    expect(carrier.ids).toEqual(['a3']);
    await publish(alert('a4', 'C1'));
    await resumed.waitFor(() => resumed.ids.length === 3, 'the live alert after the replay');
    expect(resumed.ids).toEqual(['a2', 'a3', 'a4']);
  });

  it('sends heartbeat comments and forgets clients that disconnect', async () => {
    const s = await stream('enforcement');
    await s.waitFor(() => s.text().includes(': heartbeat'), 'a heartbeat');
    const gauge = async () => /dgt_api_sse_clients (\d+)/.exec((await fetch(`${base}/metrics`, { headers: { 'x-api-key': keys.metrics } }).then((r) => r.text())))![1];
    expect(await gauge()).toBe('1');
    s.close();
    for (let i = 0; i < 100 && (await gauge()) !== '0'; i++) await new Promise((r) => setTimeout(r, 20));
    expect(await gauge()).toBe('0');
  });

  it('closes open streams when the app closes', async () => {
    await stream('bureau');
    const closing = api.app.close();
    await expect(Promise.race([closing.then(() => 'closed'), new Promise((r) => setTimeout(() => r('hung'), 3000))])).resolves.toBe('closed');
  });
});
