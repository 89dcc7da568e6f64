import { epochMs, isoUtc } from '@dgt/events';
import type { EventStore } from '@dgt/eventstore';
import { AppError } from '@dgt/http';
import { fixView, fleetVehicle, type ReadModelStore } from '@dgt/readmodels';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { readRoles, scopeOf } from '../access.ts';
import { PlaceNamer, placeView } from '../placeNames.ts';
import { readErrors } from '../errorResponses.ts';
import { entityId, pageLimit, queryTimestamp } from '../queryParams.ts';
import { readTrack, visibleTrack } from '../vehicleTrack.ts';

/** Track windows are bounded so one request never reads a vehicle's whole history. */
export const trackLimits = { maxWindowMs: 24 * 3_600_000, defaultWindowMs: 6 * 3_600_000, defaultPoints: 2000, maxPoints: 10_000 } as const;

export const vehicleParams = z.object({ id: entityId });
export const trackQuery = z.object({
  from: queryTimestamp.optional().meta({ description: 'Inclusive; default `to` minus 6 hours' }),
  to: queryTimestamp.optional().meta({ description: 'Exclusive; default now. At most 24 hours after `from`' }),
  limit: pageLimit(trackLimits.defaultPoints, trackLimits.maxPoints).meta({ description: 'Most fixes returned' }),
});
export const trackResponse = z.object({ vehicleId: z.string(), from: z.string(), to: z.string(), points: z.array(fixView), truncated: z.boolean() });

export interface VehicleRoutesOptions {
  readonly readModels: ReadModelStore;
  readonly store: EventStore;
  readonly now: () => Date;
  /** Names the vehicle's county and road (none configured: both null). */
  readonly places?: PlaceNamer;
}

/** The same answer for an unknown vehicle and another carrier's, and the id is not repeated (it is request content). */
function notFound(): AppError {
  return new AppError('NOT_FOUND', 'no such vehicle');
}

function trackWindow(from: string | undefined, to: string | undefined, now: Date): { fromMs: number; toMs: number } {
  const toMs = to === undefined ? now.getTime() : epochMs(to);
  const fromMs = from === undefined ? toMs - trackLimits.defaultWindowMs : epochMs(from);
  if (fromMs >= toMs) throw new AppError('VALIDATION_FAILED', 'the request is invalid', [{ path: 'query.from', message: 'must be before to' }]);
  if (toMs - fromMs > trackLimits.maxWindowMs) throw new AppError('VALIDATION_FAILED', 'the request is invalid', [{ path: 'query.from', message: 'the window from..to must be at most 24 hours' }]);
  return { fromMs, toMs };
}

/**
 * `GET /v1/vehicles/:id` (its fleet row: the current owner's) and `GET /v1/vehicles/:id/track`
 * (its fixes from the event store: a carrier's only for the periods it owned the vehicle).
 */
export const vehicleRoutes: FastifyPluginAsyncZod<VehicleRoutesOptions> = async (app, { readModels, store, now, places = new PlaceNamer(undefined, undefined) }) => {
  app.get('/v1/vehicles/:id', { config: { roles: readRoles }, schema: { params: vehicleParams, response: { 200: fleetVehicle.extend({ place: placeView.nullable() }), ...readErrors } } }, async (request) => {
    const vehicle = await readModels.vehicle(request.params.id, scopeOf(request.principal));
    if (vehicle === undefined) throw notFound();
    return { ...vehicle, place: places.placeOf(vehicle.lastFix?.lon ?? null, vehicle.lastFix?.lat ?? null) };
  });

  app.get('/v1/vehicles/:id/track', { config: { roles: readRoles }, schema: { params: vehicleParams, querystring: trackQuery, response: { 200: trackResponse, ...readErrors } } }, async (request) => {
    const { id } = request.params;
    const window = trackWindow(request.query.from, request.query.to, now());
    // Scope first: a vehicle the caller never owned has no track either (404, as if unknown);
    // one it owned for a while shows only the fixes of that while.
    const visible = await visibleTrack(readModels, id, scopeOf(request.principal));
    if (visible === undefined) throw notFound();
    const track = await readTrack(store, id, window, request.query.limit, visible);
    return { vehicleId: id, from: isoUtc(window.fromMs), to: isoUtc(window.toMs), ...track };
  });
};
