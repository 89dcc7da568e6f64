import type { z } from 'zod';
import {
  appealDecidedData,
  carrierNotifiedData,
  carrierRespondedData,
  caseAssignedData,
  caseDisposedData,
  caseOpenedData,
  caseReopenedData,
  correctiveActionSubmittedData,
  evidenceFrozenData,
  onSiteCheckRecordedData,
  pointsClearedData,
  pointsRecordedData,
} from './cases.ts';
import { clockTickedData } from './clock.ts';
import {
  carriageAssignedData,
  consignmentCancelledData,
  consignmentClosedData,
  consignmentDeclaredData,
  loadingCompletedData,
  unloadingCompletedData,
} from './consignments.ts';
import {
  accidentSegmentEnteredData,
  accidentSegmentExitedData,
  illegalParkingEndedData,
  illegalParkingStartedData,
  overspeedEndedData,
  overspeedStartedData,
  restrictedEntryEndedData,
  restrictedEntryStartedData,
  fatigueDrivingEndedData,
  fatigueDrivingStartedData,
  routeDeviationEndedData,
  routeDeviationStartedData,
  terminalOfflineData,
  terminalOnlineData,
} from './detections.ts';
import { alertAcknowledgedData } from './alertAcknowledgements.ts';
import { driverMessageDeliveredData, driverMessageRequestedData, driverMessageSentData, driverMessageUndeliverableData } from './driverMessages.ts';
import { platformRegistrationMismatchedData, vehicleAlarmReportedData } from './platforms.ts';
import { vehiclePositionReportedData } from './positions.ts';
import { productCodeRevokedData, productRegisteredData } from './products.ts';
import { vehicleCodeRevokedData } from './vehicleCodes.ts';
import { carrierRegisteredData, terminalRegisteredData, terminalRegistrationResetData, vehicleRegisteredData, vehicleTransferredData } from './registry.ts';
import { zoneDesignatedData, zoneWithdrawnData } from './zones.ts';

/**
 * Every event type, its `data` schema and its current schema version.
 * Bumping a version requires an upcaster in `upcasters.ts` from the previous one.
 */
export const eventCatalog = {
  ZoneDesignated: { version: 1, data: zoneDesignatedData },
  ZoneWithdrawn: { version: 1, data: zoneWithdrawnData },
  ConsignmentDeclared: { version: 1, data: consignmentDeclaredData },
  CarriageAssigned: { version: 1, data: carriageAssignedData },
  LoadingCompleted: { version: 1, data: loadingCompletedData },
  UnloadingCompleted: { version: 1, data: unloadingCompletedData },
  ConsignmentClosed: { version: 1, data: consignmentClosedData },
  ConsignmentCancelled: { version: 1, data: consignmentCancelledData },
  VehiclePositionReported: { version: 1, data: vehiclePositionReportedData },
  IllegalParkingStarted: { version: 1, data: illegalParkingStartedData },
  IllegalParkingEnded: { version: 1, data: illegalParkingEndedData },
  AccidentSegmentEntered: { version: 1, data: accidentSegmentEnteredData },
  AccidentSegmentExited: { version: 1, data: accidentSegmentExitedData },
  RestrictedEntryStarted: { version: 1, data: restrictedEntryStartedData },
  RestrictedEntryEnded: { version: 1, data: restrictedEntryEndedData },
  OverspeedStarted: { version: 1, data: overspeedStartedData },
  OverspeedEnded: { version: 1, data: overspeedEndedData },
  FatigueDrivingStarted: { version: 1, data: fatigueDrivingStartedData },
  FatigueDrivingEnded: { version: 1, data: fatigueDrivingEndedData },
  TerminalOffline: { version: 1, data: terminalOfflineData },
  TerminalOnline: { version: 1, data: terminalOnlineData },
  RouteDeviationStarted: { version: 1, data: routeDeviationStartedData },
  RouteDeviationEnded: { version: 1, data: routeDeviationEndedData },
  CarrierRegistered: { version: 1, data: carrierRegisteredData },
  VehicleRegistered: { version: 1, data: vehicleRegisteredData },
  VehicleTransferred: { version: 1, data: vehicleTransferredData },
  TerminalRegistered: { version: 1, data: terminalRegisteredData },
  TerminalRegistrationReset: { version: 1, data: terminalRegistrationResetData },
  VehicleAlarmReported: { version: 1, data: vehicleAlarmReportedData },
  PlatformRegistrationMismatched: { version: 1, data: platformRegistrationMismatchedData },
  ClockTicked: { version: 1, data: clockTickedData },
  CaseOpened: { version: 1, data: caseOpenedData },
  CaseAssigned: { version: 1, data: caseAssignedData },
  EvidenceFrozen: { version: 1, data: evidenceFrozenData },
  OnSiteCheckRecorded: { version: 1, data: onSiteCheckRecordedData },
  CarrierNotified: { version: 1, data: carrierNotifiedData },
  CarrierResponded: { version: 1, data: carrierRespondedData },
  AppealDecided: { version: 1, data: appealDecidedData },
  CaseDisposed: { version: 1, data: caseDisposedData },
  CaseReopened: { version: 1, data: caseReopenedData },
  PointsRecorded: { version: 1, data: pointsRecordedData },
  CorrectiveActionSubmitted: { version: 1, data: correctiveActionSubmittedData },
  PointsCleared: { version: 1, data: pointsClearedData },
  DriverMessageRequested: { version: 1, data: driverMessageRequestedData },
  DriverMessageSent: { version: 1, data: driverMessageSentData },
  DriverMessageDelivered: { version: 1, data: driverMessageDeliveredData },
  DriverMessageUndeliverable: { version: 1, data: driverMessageUndeliverableData },
  AlertAcknowledged: { version: 1, data: alertAcknowledgedData },
  ProductRegistered: { version: 1, data: productRegisteredData },
  ProductCodeRevoked: { version: 1, data: productCodeRevokedData },
  VehicleCodeRevoked: { version: 1, data: vehicleCodeRevokedData },
} as const satisfies Record<string, { version: number; data: z.ZodType }>;

export type EventType = keyof typeof eventCatalog;
export const eventTypes = Object.keys(eventCatalog) as EventType[];

export const zoneEventTypes = ['ZoneDesignated', 'ZoneWithdrawn'] as const satisfies readonly EventType[];
export const consignmentEventTypes = [
  'ConsignmentDeclared',
  'CarriageAssigned',
  'LoadingCompleted',
  'UnloadingCompleted',
  'ConsignmentClosed',
  'ConsignmentCancelled',
] as const satisfies readonly EventType[];
/** Who owns which vehicle: posted only with a `registry` key. */
export const registryEventTypes = ['CarrierRegistered', 'VehicleRegistered', 'VehicleTransferred'] as const satisfies readonly EventType[];
/** JT/T 808 terminals' registrations: written by the JT/T 808 gateway and `dgt terminals`, never posted over HTTP. */
export const terminalEventTypes = ['TerminalRegistered', 'TerminalRegistrationReset'] as const satisfies readonly EventType[];
/** What JT/T 809 platforms report besides positions: written by the JT/T 809 gateway, never posted over HTTP. */
export const platformEventTypes = ['VehicleAlarmReported', 'PlatformRegistrationMismatched'] as const satisfies readonly EventType[];
/** Time in the record: appended by the recorder, never posted over HTTP (see clock.ts). */
export const clockEventTypes = ['ClockTicked'] as const satisfies readonly EventType[];
/** A case's history (`case-<caseId>`): decided by `@dgt/cases` behind the API, never posted to ingest. */
export const caseEventTypes = [
  'CaseOpened',
  'CaseAssigned',
  'EvidenceFrozen',
  'OnSiteCheckRecorded',
  'CarrierNotified',
  'CarrierResponded',
  'AppealDecided',
  'CaseDisposed',
  'CaseReopened',
] as const satisfies readonly EventType[];
/** A carrier's points ledger (`points-<carrierId>`): decided by `@dgt/cases` behind the API, never posted to ingest. */
export const pointsEventTypes = ['PointsRecorded', 'CorrectiveActionSubmitted', 'PointsCleared'] as const satisfies readonly EventType[];
/** Duty officers' acknowledgements of alerts (`alert-acknowledgements`): recorded by the API, never posted to ingest. */
export const alertEventTypes = ['AlertAcknowledged'] as const satisfies readonly EventType[];
/** Firms' hazardous products and their safety codes (`product-<firmId>`, 一企一品一码): posted only with a `registry` key. */
export const productEventTypes = ['ProductRegistered', 'ProductCodeRevoked'] as const satisfies readonly EventType[];
/** Revocations of vehicles' safety codes (`safety-code-vehicle-<vehicleId>`, 一企一品一码): posted only with a `registry` key. */
export const vehicleCodeEventTypes = ['VehicleCodeRevoked'] as const satisfies readonly EventType[];
/** Messages to drivers (`driver-messages-<vehicleId>`): requested by the API, sent and settled by the JT/T 808 gateway; never posted to ingest. */
export const driverMessageEventTypes = ['DriverMessageRequested', 'DriverMessageSent', 'DriverMessageDelivered', 'DriverMessageUndeliverable'] as const satisfies readonly EventType[];
export const positionEventTypes = ['VehiclePositionReported'] as const satisfies readonly EventType[];
export const detectionEventTypes = [
  'IllegalParkingStarted',
  'IllegalParkingEnded',
  'AccidentSegmentEntered',
  'AccidentSegmentExited',
  'RestrictedEntryStarted',
  'RestrictedEntryEnded',
  'OverspeedStarted',
  'OverspeedEnded',
  'FatigueDrivingStarted',
  'FatigueDrivingEnded',
  'TerminalOffline',
  'TerminalOnline',
  'RouteDeviationStarted',
  'RouteDeviationEnded',
] as const satisfies readonly EventType[];

export function isEventType(type: string): type is EventType {
  return Object.hasOwn(eventCatalog, type);
}

type DataOf<T extends EventType> = z.infer<(typeof eventCatalog)[T]['data']>;

/** The envelope of one event, typed by its `type`. */
export type EventOf<T extends EventType> = {
  eventId: string;
  type: T;
  occurredAt: string;
  schemaVersion?: number;
  data: DataOf<T>;
  meta?: Record<string, unknown>;
};

/** A discriminated union of the envelopes of the given types. */
export type EventsOf<U extends EventType> = { [T in U]: EventOf<T> }[U];

export type DgtEvent = EventsOf<EventType>;
export type ZoneEvent = EventsOf<(typeof zoneEventTypes)[number]>;
export type RegistryEvent = EventsOf<(typeof registryEventTypes)[number]>;
export type TerminalEvent = EventsOf<(typeof terminalEventTypes)[number]>;
export type ConsignmentEvent = EventsOf<(typeof consignmentEventTypes)[number]>;
export type PositionEvent = EventOf<'VehiclePositionReported'>;
export type PlatformEvent = EventsOf<(typeof platformEventTypes)[number]>;
export type DetectionEvent = EventsOf<(typeof detectionEventTypes)[number]>;
export type CaseEvent = EventsOf<(typeof caseEventTypes)[number]>;
export type PointsEvent = EventsOf<(typeof pointsEventTypes)[number]>;
export type AlertEvent = EventsOf<(typeof alertEventTypes)[number]>;
export type DriverMessageEvent = EventsOf<(typeof driverMessageEventTypes)[number]>;
export type ProductEvent = EventsOf<(typeof productEventTypes)[number]>;
export type VehicleCodeEvent = EventsOf<(typeof vehicleCodeEventTypes)[number]>;

/** What no detection rule, projection row or report label reads (see `isSetAsideEvent`). */
export type SetAsideEvent = CaseEvent | PointsEvent | AlertEvent | DriverMessageEvent | ProductEvent | VehicleCodeEvent;

const setAsideTypes: ReadonlySet<string> = new Set([...caseEventTypes, ...pointsEventTypes, ...alertEventTypes, ...driverMessageEventTypes, ...productEventTypes, ...vehicleCodeEventTypes]);

/**
 * An event the record keeps for people and other routes, not for the rules: what people decided
 * about detections (cases, points, acknowledgements), what was said to drivers, the product
 * register and the revocations of vehicles' safety codes. The engine, the projection and report labels set them aside in one place with this;
 * a new kind of such event is added here, not at each of them.
 */
export function isSetAsideEvent<E extends { type: string }>(event: E): event is Extract<E, SetAsideEvent> {
  return setAsideTypes.has(event.type);
}

const driverMessageTypes: ReadonlySet<string> = new Set(driverMessageEventTypes);

/**
 * A driver message event: what was said to a driver and whether it arrived. No rule, projection
 * or report reads them; consumers of the record set them aside with this, as with cases.
 */
export function isDriverMessageEvent<E extends { type: string }>(event: E): event is Extract<E, DriverMessageEvent> {
  return driverMessageTypes.has(event.type);
}

const productTypes: ReadonlySet<string> = new Set(productEventTypes);

/**
 * A product register event (一企一品一码): what a firm ships and how to respond to it. No rule,
 * projection row or report reads them; the API's safety-code routes read their streams.
 */
export function isProductEvent<E extends { type: string }>(event: E): event is Extract<E, ProductEvent> {
  return productTypes.has(event.type);
}

const vehicleCodeTypes: ReadonlySet<string> = new Set(vehicleCodeEventTypes);

/** A revocation of a vehicle's safety code: only the API's safety-code routes read them. */
export function isVehicleCodeEvent<E extends { type: string }>(event: E): event is Extract<E, VehicleCodeEvent> {
  return vehicleCodeTypes.has(event.type);
}
