import type { TopicNames } from '@dgt/bus';
import { consignmentEventTypes, driverMessageEventTypes, platformEventTypes, positionEventTypes, productEventTypes, registryEventTypes, terminalEventTypes, vehicleCodeEventTypes, zoneEventTypes } from '@dgt/events';

/** The topics the recorder reads and the one it writes refusals to. */
export type RecorderTopics = Pick<TopicNames, 'positions' | 'consignments' | 'zones' | 'deadletter'>;

/**
 * Which event types each consumed topic may carry (the gateway publishes by the same catalog groups).
 * Driver messages ride the consignments topic: the API requests them there and the JT/T 808
 * gateways, which read that topic, publish what became of them there.
 */
export function acceptedTypesByTopic(topics: RecorderTopics): Map<string, ReadonlySet<string>> {
  return new Map<string, ReadonlySet<string>>([
    [topics.positions, new Set<string>(positionEventTypes)],
    [topics.consignments, new Set<string>([...consignmentEventTypes, ...registryEventTypes, ...terminalEventTypes, ...platformEventTypes, ...driverMessageEventTypes, ...productEventTypes, ...vehicleCodeEventTypes])],
    [topics.zones, new Set<string>(zoneEventTypes)],
  ]);
}
