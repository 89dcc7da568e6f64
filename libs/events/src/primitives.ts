import { z } from 'zod';

/** ISO-8601 timestamp with an explicit offset (`Z` or `+08:00`); never a local time without zone. */
export const timestamp = z.iso.datetime({ offset: true, message: 'must be an ISO-8601 date-time with offset, e.g. 2026-03-01T08:00:00+08:00' });

export const identifier = z
  .string()
  .min(1, 'must not be empty')
  .max(128, 'must be at most 128 characters');

/** C0 and C1 control characters (CR, LF, NUL, …): never part of an id, a name a log line or a header could be split by. */
// Unicode's Cc category is exactly C0, DEL and C1.
const controlCharacter = /\p{Cc}/u;

/**
 * Any recorded event's id. Longer than entity ids: detections derive theirs from the triggering
 * event's id, so an auditor can read where each came from. Never a control character.
 */
export const eventId = z
  .string()
  .min(1, 'must not be empty')
  .max(512, 'must be at most 512 characters')
  .refine((id) => !controlCharacter.test(id), 'must not contain control characters');

/**
 * Marks ids dgt derives itself (detections, alerts, cases, audits): `<source id>/<Type>[/<zone>]`.
 * No id a client may post contains it, so no client can squat a derived id (see `clientEventId`).
 */
export const derivedIdSeparator = '/';

/** What a client's (or a gateway's) event id may be made of: 1–200 of `A–Z a–z 0–9 . _ - : @ ~ + = #`. */
export const clientEventIdPattern = /^[A-Za-z0-9._:@~+=#-]{1,200}$/;

export const clientEventIdRule = 'must be 1–200 characters of A–Z a–z 0–9 . _ - : @ ~ + = # (no "/": ids with "/" are derived by dgt)';

/**
 * The id of an event entering through a gateway (HTTP ingest, JT/T 808, JT/T 809). Stricter than
 * `eventId`: a documented character set without `/`, so client ids and derived ids can never collide.
 */
export const clientEventId = z.string().regex(clientEventIdPattern, clientEventIdRule);

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
