import type { ReceivedMessage } from '@dgt/bus';
import { topicNames, topicSpecs } from '@dgt/bus';
import type { DgtEvent, DriverMessageRequestedData } from '@dgt/events';
import { driverMessageEventId } from '@dgt/events';
import { detectionsStream, driverMessagesStream, openMemoryEventStore } from '@dgt/eventstore';
import type { ZoneView } from '@dgt/readmodels';
import { afterEach, describe, expect, it } from 'vitest';
import { nearestLot } from '../src/driverMessages/nearestLot.ts';
import { defaultDriverMessagePolicy, driverMessagePolicyOf, DriverMessagePolicyError, nearestLotText } from '../src/driverMessages/policyConfig.ts';
import { policyMessageId, startDriverMessagePolicy } from '../src/driverMessages/policyRunner.ts';
import type { DriverMessageRequests } from '../src/driverMessages/requestPublisher.ts';
import { readApiConfig } from '../src/env.ts';
import { emptyBatch, NOW, startTestApi } from './apiTestKit.ts';

/** Small square lots centred on the suggested lots of domain.md (WGS-84). */
function lot(zoneId: string, name: string, lon: number, lat: number): ZoneView {
  const d = 0.001;
  return { zoneId, kind: 'parking-lot', name, declaredDatum: 'WGS84', polygon: [[lon - d, lat - d], [lon + d, lat - d], [lon + d, lat + d], [lon - d, lat + d], [lon - d, lat - d]], path: null, bufferM: null, rules: null, capacity: 40, designatedAt: '2026-01-01T00:00:00+08:00' };
}
const lots = [lot('LOT-XJ', '仙居危险货物专用停车场', 120.8, 28.86), lot('LOT-JJ', '椒江危险货物专用停车场', 121.48, 28.69), lot('LOT-LH', '临海危险货物专用停车场', 121.59, 28.73)];
// The Jiaojiang Waisha–Yantou chemical park: 1.6 km from the Jiaojiang lot (haversine, R = 6371.0088 km).
const PARK = { lon: 121.465, lat: 28.685 };

const minutes = (m: number) => new Date(NOW.getTime() + m * 60_000).toISOString();
const parkingStarted = (vehicleId: string, atMin: number, place = PARK): DgtEvent =>
  ({
    eventId: `f-${vehicleId}-${atMin}/IllegalParkingStarted`,
    type: 'IllegalParkingStarted',
    occurredAt: minutes(atMin),
    data: { vehicleId, waybillNo: 'W1', carrierId: 'C1', lon: place.lon, lat: place.lat, stoppedSince: minutes(atMin - 10), evidence: [`f-${vehicleId}-${atMin}`] },
  }) as DgtEvent;

/** Records what the policy asks for instead of publishing it. */
function capture(): DriverMessageRequests & { readonly asked: DriverMessageRequestedData[] } {
  const asked: DriverMessageRequestedData[] = [];
  return {
    asked,
    publish: async (data, now) => {
      asked.push(data);
      return { eventId: driverMessageEventId(data.messageId, 'requested'), type: 'DriverMessageRequested', occurredAt: now.toISOString(), data };
    },
    close: async () => undefined,
  };
}

describe('the nearest dedicated lot', () => {
  it('is the parking-lot zone whose centre is nearest by great-circle distance, other kinds ignored', () => {
    const segment: ZoneView = { ...lot('SEG', 'bend', 121.466, 28.686), kind: 'accident-segment' };
    const found = nearestLot([...lots, segment], PARK.lon, PARK.lat);
    expect(found?.zoneId).toBe('LOT-JJ');
    expect(found!.distanceM).toBeGreaterThan(1_550);
    expect(found!.distanceM).toBeLessThan(1_650);
    expect(nearestLot([lots[0]!], PARK.lon, PARK.lat)?.zoneId).toBe('LOT-XJ');
    expect(nearestLot([segment], PARK.lon, PARK.lat)).toBeUndefined();
  });

  it('is told with its name and the distance in km to one decimal', () => {
    expect(nearestLotText(defaultDriverMessagePolicy.template, '椒江危险货物专用停车场', 3_249)).toBe('您已在非指定地点停车，请驶入最近的危险货物专用停车场：椒江危险货物专用停车场，约 3.2 公里');
    expect(nearestLotText('{lot} {km} km', 'A', 950)).toBe('A 1.0 km');
  });
});

describe('the driver message policy at IllegalParkingStarted', () => {
  let stop: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await stop?.();
    stop = undefined;
  });

  it('asks for one message naming the nearest lot and its distance, by policy, for the detection that set it off', async () => {
    const store = openMemoryEventStore();
    await store.append(detectionsStream('V1'), [parkingStarted('V1', -5)]);
    const requests = capture();
    const runner = startDriverMessagePolicy({ store, zones: async () => lots, policy: defaultDriverMessagePolicy, requests, now: () => NOW });
    stop = () => runner.stop();
    await runner.caughtUp();
    expect(requests.asked).toEqual([
      {
        messageId: policyMessageId('f-V1--5/IllegalParkingStarted'),
        vehicleId: 'V1',
        text: '您已在非指定地点停车，请驶入最近的危险货物专用停车场：椒江危险货物专用停车场，约 1.6 公里',
        display: true,
        tts: true,
        emergency: false,
        by: 'driver-message-policy',
        reason: 'policy',
        policyRule: 'nearest-lot-on-illegal-parking',
        detectionId: 'f-V1--5/IllegalParkingStarted',
      },
    ]);
    expect(runner.stats.requested).toBe(1);
  });

  it('passes over a detection older than the policy’s age limit, and one whose request is already recorded (a restart)', async () => {
    const store = openMemoryEventStore();
    await store.append(detectionsStream('V1'), [parkingStarted('V1', -31)]);
    await store.append(detectionsStream('V2'), [parkingStarted('V2', -1)]);
    const id = policyMessageId('f-V2--1/IllegalParkingStarted');
    await store.append(driverMessagesStream('V2'), [
      { eventId: driverMessageEventId(id, 'requested'), type: 'DriverMessageRequested', occurredAt: minutes(-1), data: { messageId: id, vehicleId: 'V2', text: 'x', display: true, tts: true, emergency: false, by: 'driver-message-policy', reason: 'policy', policyRule: 'r', detectionId: 'f-V2--1/IllegalParkingStarted' } },
    ]);
    const requests = capture();
    const runner = startDriverMessagePolicy({ store, zones: async () => lots, policy: defaultDriverMessagePolicy, requests, now: () => NOW });
    stop = () => runner.stop();
    await runner.caughtUp();
    expect(requests.asked).toEqual([]);
    expect(runner.stats).toMatchObject({ requested: 0, stale: 1, 'already-requested': 1 });
  });

  it('asks for nothing when no lot is designated, and says why', async () => {
    const store = openMemoryEventStore();
    await store.append(detectionsStream('V1'), [parkingStarted('V1', 0)]);
    const requests = capture();
    const skipped: string[] = [];
    const runner = startDriverMessagePolicy({ store, zones: async () => [], policy: defaultDriverMessagePolicy, requests, now: () => NOW, onSkipped: (_id, reason) => skipped.push(reason) });
    stop = () => runner.stop();
    await runner.caughtUp();
    expect(requests.asked).toEqual([]);
    expect(skipped).toEqual(['no-lot']);
  });

  it('in the API: a detection recorded while it runs puts the request on the consignments topic', async () => {
    const api = await startTestApi({ withBus: true, app: { driverMessagePolicy: defaultDriverMessagePolicy } });
    stop = () => api.close();
    await api.bus!.ensureTopics(topicSpecs());
    await api.readModels.commit(emptyBatch('2', { zones: lots }));
    await api.store.append(detectionsStream('V1'), [parkingStarted('V1', 0)]);
    const seen: ReceivedMessage[] = [];
    const consumer = api.bus!.consumer({ groupId: 'policy-test', startFrom: 'earliest' });
    await consumer.run({ topics: [topicNames().consignments], eachBatch: async (b) => void seen.push(...b.messages) });
    const until = Date.now() + 3_000;
    while (seen.length === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    await consumer.stop();
    expect(seen).toHaveLength(1);
    const event = JSON.parse(seen[0]!.value.toString()) as { eventId: string; data: DriverMessageRequestedData };
    expect(seen[0]!.key).toBe('V1');
    expect(event.eventId).toBe(`dm:${policyMessageId('f-V1-0/IllegalParkingStarted')}:requested`);
    expect(event.data.text).toBe('您已在非指定地点停车，请驶入最近的危险货物专用停车场：椒江危险货物专用停车场，约 1.6 公里');
  });
});

const baseEnv = { DGT_API_KEYS: JSON.stringify([{ id: 'k', role: 'bureau', sha256: 'a'.repeat(64) }]) };

describe('API_DRIVER_MESSAGE_POLICY', () => {
  it('is off unless set, on with the default template, or a JSON object overriding parts of it', () => {
    expect(driverMessagePolicyOf(undefined)).toBeNull();
    expect(driverMessagePolicyOf('off')).toBeNull();
    expect(driverMessagePolicyOf('on')).toEqual(defaultDriverMessagePolicy);
    expect(driverMessagePolicyOf('{"template":"请驶入{lot}（{km} 公里）","tts":false,"maxAgeMinutes":10}')).toEqual({ ...defaultDriverMessagePolicy, template: '请驶入{lot}（{km} 公里）', tts: false, maxAgeMs: 600_000 });
  });

  it('refuses a template without its placeholders, unknown keys and bad JSON, naming the variable and the field', () => {
    expect(() => driverMessagePolicyOf('{"template":"请驶入停车场"}')).toThrow(DriverMessagePolicyError);
    expect(() => driverMessagePolicyOf('{"template":"请驶入停车场"}')).toThrow(/template: must contain \{lot\} and \{km\}/);
    expect(() => driverMessagePolicyOf('{"colour":1}')).toThrow(/colour/);
    expect(() => readApiConfig({ ...baseEnv, API_DRIVER_MESSAGE_POLICY: '{oops' })).toThrow(/API_DRIVER_MESSAGE_POLICY: not JSON/);
    expect(readApiConfig({ ...baseEnv, API_DRIVER_MESSAGE_POLICY: 'on' }).driverMessagePolicy).toEqual(defaultDriverMessagePolicy);
  });
});
