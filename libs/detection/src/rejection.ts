/** Why an input event was refused; refused events never change state. */
export type RejectionCode =
  | 'WAYBILL_EXISTS'
  | 'WAYBILL_UNKNOWN'
  | 'INVALID_TRANSITION'
  | 'VEHICLE_MISMATCH'
  | 'VEHICLE_ALREADY_LADEN'
  | 'ZONE_INVALID'
  | 'ZONE_UNKNOWN';

export interface Rejection {
  eventId: string;
  type: string;
  occurredAt: string;
  code: RejectionCode;
  reason: string;
}
