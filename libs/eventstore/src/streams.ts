import type { DgtEvent } from '@dgt/events';

/**
 * Stream naming, in one place. A vehicle's fixes and its detections live in separate streams
 * so the projector's output never contends with the recorder's input.
 */
export const streamPrefixes = {
  vehicle: 'vehicle-',
  consignment: 'consignment-',
  detections: 'detections-',
  carrier: 'carrier-',
  terminal: 'terminal-',
  platform: 'platform-',
  case: 'case-',
  points: 'points-',
  driverMessages: 'driver-messages-',
  product: 'product-',
  // Not under `vehicle-`: a vehicle whose id begins with "code-" would share its fixes' stream,
  // and every reader of `vehicle-` prefixes would meet revocations among positions.
  vehicleCode: 'safety-code-vehicle-',
} as const;

export const zonesStream = 'zones';
/** Time in the record (ClockTicked): one stream for the whole store, read with every vehicle's replay. */
export const clockStream = 'clock';

export function vehicleStream(vehicleId: string): string {
  return `${streamPrefixes.vehicle}${vehicleId}`;
}

export function consignmentStream(waybillNo: string): string {
  return `${streamPrefixes.consignment}${waybillNo}`;
}

export function detectionsStream(vehicleId: string): string {
  return `${streamPrefixes.detections}${vehicleId}`;
}

/** A carrier's register: the carrier itself and every vehicle registered to it. */
export function carrierStream(carrierId: string): string {
  return `${streamPrefixes.carrier}${carrierId}`;
}

/** A JT/T 808 terminal's registrations and resets, by normalised phone. */
export function terminalStream(phone: string): string {
  return `${streamPrefixes.terminal}${phone}`;
}

/** What a JT/T 809 platform reported besides positions (alarms, registration mismatches), by its configured id. */
export function platformStream(platformId: string): string {
  return `${streamPrefixes.platform}${platformId}`;
}

/** A case's history (opened, assigned, evidence, checks, notice, response, appeal, disposal, reopening). */
export function caseStream(caseId: string): string {
  return `${streamPrefixes.case}${caseId}`;
}

/** A carrier's points ledger: points recorded by disposals, corrective actions, points cleared. */
export function pointsStream(carrierId: string): string {
  return `${streamPrefixes.points}${carrierId}`;
}

/** Messages to a vehicle's driver and what became of each (requested, sent, delivered, undeliverable). */
export function driverMessagesStream(vehicleId: string): string {
  return `${streamPrefixes.driverMessages}${vehicleId}`;
}

/** A firm's hazardous products and the revocations of their safety codes (一企一品一码). */
export function productStream(firmId: string): string {
  return `${streamPrefixes.product}${firmId}`;
}

/** The revocations of a vehicle's safety code (一企一品一码): its generation is their count plus one. */
export function vehicleCodeStream(vehicleId: string): string {
  return `${streamPrefixes.vehicleCode}${vehicleId}`;
}

/** Duty officers' acknowledgements of alerts, one stream for all (a few hundred a day). */
export const alertAcknowledgementsStream = 'alert-acknowledgements';

/** The stream a catalog event is recorded in. */
export function streamFor(event: DgtEvent): string {
  switch (event.type) {
    case 'VehiclePositionReported':
      return vehicleStream(event.data.vehicleId);
    case 'ConsignmentDeclared':
    case 'CarriageAssigned':
    case 'LoadingCompleted':
    case 'UnloadingCompleted':
    case 'ConsignmentClosed':
    case 'ConsignmentCancelled':
      return consignmentStream(event.data.waybillNo);
    case 'ZoneDesignated':
    case 'ZoneWithdrawn':
      return zonesStream;
    case 'IllegalParkingStarted':
    case 'IllegalParkingEnded':
    case 'AccidentSegmentEntered':
    case 'AccidentSegmentExited':
    case 'RestrictedEntryStarted':
    case 'RestrictedEntryEnded':
    case 'OverspeedStarted':
    case 'OverspeedEnded':
    case 'FatigueDrivingStarted':
    case 'FatigueDrivingEnded':
    case 'TerminalOffline':
    case 'TerminalOnline':
    case 'RouteDeviationStarted':
    case 'RouteDeviationEnded':
      return detectionsStream(event.data.vehicleId);
    case 'CarrierRegistered':
    case 'VehicleRegistered':
      return carrierStream(event.data.carrierId);
    // The new owner's register holds the hand-over; the old owner's periods come from the projection.
    case 'VehicleTransferred':
      return carrierStream(event.data.toCarrierId);
    case 'TerminalRegistered':
    case 'TerminalRegistrationReset':
      return terminalStream(event.data.phone);
    case 'VehicleAlarmReported':
    case 'PlatformRegistrationMismatched':
      return platformStream(event.data.platformId);
    case 'ClockTicked':
      return clockStream;
    case 'CaseOpened':
    case 'CaseAssigned':
    case 'EvidenceFrozen':
    case 'OnSiteCheckRecorded':
    case 'CarrierNotified':
    case 'CarrierResponded':
    case 'AppealDecided':
    case 'CaseDisposed':
    case 'CaseReopened':
      return caseStream(event.data.caseId);
    case 'PointsRecorded':
    case 'CorrectiveActionSubmitted':
    case 'PointsCleared':
      return pointsStream(event.data.carrierId);
    case 'DriverMessageRequested':
    case 'DriverMessageSent':
    case 'DriverMessageDelivered':
    case 'DriverMessageUndeliverable':
      return driverMessagesStream(event.data.vehicleId);
    case 'AlertAcknowledged':
      return alertAcknowledgementsStream;
    case 'ProductRegistered':
    case 'ProductCodeRevoked':
      return productStream(event.data.firmId);
    case 'VehicleCodeRevoked':
      return vehicleCodeStream(event.data.vehicleId);
    default: {
      const never: never = event;
      throw new Error(`no stream for event type ${(never as { type: string }).type}`);
    }
  }
}
