import { z } from 'zod';
import { datum, identifier, lonLat, place } from './primitives.ts';

/** GB 6944 / JT/T 617 classes and divisions. */
export const hazardClass = z
  .string()
  .regex(/^(1(\.[1-6])?|2(\.[1-3])?|3|4\.[1-3]|5\.[12]|6\.[12]|7|8|9)$/, 'must be a GB 6944 class or division, e.g. "3", "2.1", "6.1"');

export const goodsItem = z.looseObject({
  unNumber: z.string().regex(/^\d{4}$/, 'must be a four-digit UN number, e.g. "1230"'),
  name: z.string().min(1, 'must not be empty'),
  hazardClass,
  quantityKg: z.number().finite().positive(),
});

/**
 * A declared route: the path to follow (≥ 2 points, WGS-84 unless `datum` says GCJ02) and how far
 * from it (metres, default 500) a fix may lie before it counts as off the route.
 */
export const declaredRoute = z.strictObject({
  path: z.array(lonLat).min(2, 'needs at least 2 points').max(10_000),
  toleranceM: z.number().finite().positive().max(50_000).optional(),
  datum: datum.optional(),
});

export type DeclaredRoute = z.infer<typeof declaredRoute>;

/** A route's tolerance when the waybill names none. */
export const DEFAULT_ROUTE_TOLERANCE_M = 500;

export const consignmentDeclaredData = z.looseObject({
  waybillNo: identifier,
  consignorId: identifier,
  goods: z.array(goodsItem).min(1, 'a consignment carries at least one item').max(1_000),
  origin: place,
  destination: place,
  /** The route the carriage is to follow (electronic waybill); a laden vehicle leaving it deviates. */
  route: declaredRoute.optional(),
});

export const carriageAssignedData = z.looseObject({
  waybillNo: identifier,
  carrierId: identifier,
  vehicleId: identifier,
  driverId: identifier,
  escortId: identifier,
});

export const loadingCompletedData = z.looseObject({ waybillNo: identifier, vehicleId: identifier });
export const unloadingCompletedData = z.looseObject({ waybillNo: identifier, vehicleId: identifier });
export const consignmentClosedData = z.looseObject({ waybillNo: identifier });
export const consignmentCancelledData = z.looseObject({ waybillNo: identifier, reason: z.string().min(1, 'must not be empty') });

export type GoodsItem = z.infer<typeof goodsItem>;
export type ConsignmentDeclaredData = z.infer<typeof consignmentDeclaredData>;
export type CarriageAssignedData = z.infer<typeof carriageAssignedData>;
