import type { TopicNames } from '@dgt/bus';
import { consignmentEventTypes, positionEventTypes, productEventTypes, registryEventTypes, vehicleCodeEventTypes, zoneEventTypes, type DgtEvent } from '@dgt/events';

export interface Destination {
  readonly topic: string;
  /** Partition key: all events of one vehicle / waybill / zone stay on one partition, in order. */
  readonly key: string;
}

type IngestibleType =
  | (typeof positionEventTypes)[number]
  | (typeof consignmentEventTypes)[number]
  | (typeof zoneEventTypes)[number]
  | (typeof registryEventTypes)[number]
  | (typeof productEventTypes)[number]
  | (typeof vehicleCodeEventTypes)[number];
export type IngestibleEvent = Extract<DgtEvent, { type: IngestibleType }>;

const ingestible = new Set<string>([...positionEventTypes, ...consignmentEventTypes, ...zoneEventTypes, ...registryEventTypes, ...productEventTypes, ...vehicleCodeEventTypes]);

/** Detections are produced by dgt's engine from what was ingested; a client must never inject them. */
export function isIngestible(event: DgtEvent): event is IngestibleEvent {
  return ingestible.has(event.type);
}

export function destinationOf(event: IngestibleEvent, topics: TopicNames): Destination {
  switch (event.type) {
    case 'VehiclePositionReported':
      return { topic: topics.positions, key: event.data.vehicleId };
    case 'ConsignmentDeclared':
    case 'CarriageAssigned':
    case 'LoadingCompleted':
    case 'UnloadingCompleted':
    case 'ConsignmentClosed':
    case 'ConsignmentCancelled':
      return { topic: topics.consignments, key: event.data.waybillNo };
    case 'ZoneDesignated':
    case 'ZoneWithdrawn':
      return { topic: topics.zones, key: event.data.zoneId };
    case 'CarrierRegistered':
      // Low-volume master data, like waybills, on the consignments topic.
      return { topic: topics.consignments, key: `carrier:${event.data.carrierId}` };
    case 'VehicleRegistered':
    case 'VehicleTransferred':
      // By vehicle: a vehicle's registration and its transfers stay in order on one partition.
      return { topic: topics.consignments, key: `vehicle:${event.data.vehicleId}` };
    case 'ProductRegistered':
    case 'ProductCodeRevoked':
      // By product: a registration and the revocations of its codes stay in order on one partition.
      return { topic: topics.consignments, key: `product:${event.data.firmId}/${event.data.productId}` };
    case 'VehicleCodeRevoked':
      // By vehicle, beside its registration and transfers: one partition keeps their order.
      return { topic: topics.consignments, key: `vehicle:${event.data.vehicleId}` };
    default: {
      const unreachable: never = event;
      throw new Error(`no destination for ${(unreachable as DgtEvent).type}`);
    }
  }
}
