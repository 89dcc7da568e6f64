import { z } from 'zod';

/** ISO-8601 timestamp with an explicit offset (`Z` or `+08:00`); never a local time without zone. */
export const timestamp = z.iso.datetime({ offset: true, message: 'must be an ISO-8601 date-time with offset, e.g. 2026-03-01T08:00:00+08:00' });

export const identifier = z
  .string()
  .min(1, 'must not be empty')
  .max(128, 'must be at most 128 characters');

/**
 * Event ids are longer than entity ids: detections derive theirs from the triggering event's id,
 * so an auditor can read where each came from.
 */
export const eventId = z.string().min(1, 'must not be empty').max(512, 'must be at most 512 characters');

export const longitude = z.number().finite().min(-180).max(180);
export const latitude = z.number().finite().min(-90).max(90);

/** `[lon, lat]`, the GeoJSON order. */
export const lonLat = z.tuple([longitude, latitude]);

export const place = z.looseObject({
  name: z.string().min(1),
  lon: longitude,
  lat: latitude,
});

export const datum = z.enum(['WGS84', 'GCJ02']);
