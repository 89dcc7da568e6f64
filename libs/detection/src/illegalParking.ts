import { distanceM } from '@dgt/geo';
import type { ZoneIndex } from '@dgt/geo';
import type { DetectionConfig } from './config.ts';
import type { Consignment } from './consignmentLifecycle.ts';
import type { Fix } from './fix.ts';
import type { Stop } from './stopTracker.ts';

/**
 * A laden stop becomes illegal parking at the first fix at least `illegalParkingAfterS` after its
 * anchor, if the anchor is outside every dedicated lot active at that fix's time and away from
 * the waybill's loading and unloading sites. Checked at every fix until it holds, so a load that
 * completes mid-stop or a lot that opens mid-stop are both judged at the moment that matters.
 */
export function isIllegalParking(stop: Stop, fix: Fix, load: Consignment | undefined, zones: ZoneIndex, cfg: DetectionConfig): boolean {
  if (stop.violation !== null || load === undefined) return false;
  const a = stop.anchor;
  if (fix.ms - a.ms < cfg.illegalParkingAfterS * 1000) return false;
  const { origin, destination } = load;
  if (distanceM(a.lon, a.lat, origin.lon, origin.lat) <= cfg.siteRadiusM) return false;
  if (distanceM(a.lon, a.lat, destination.lon, destination.lat) <= cfg.siteRadiusM) return false;
  return !zones.inAny(a.lon, a.lat, fix.ms, 'parking-lot');
}
