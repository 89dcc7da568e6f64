import { timestamp } from '@dgt/events';
import { z } from 'zod';

/** Query-string pieces shared by the read routes; every refusal names its field (`query.bbox`). */

export const entityId = z.string().min(1, 'must not be empty').max(128, 'must be at most 128 characters');

/** `true`/`false` only: `z.coerce.boolean()` would read "false" as true. */
export const queryBoolean = z.enum(['true', 'false']).transform((v) => v === 'true');

export const pageLimit = (fallback: number, max: number) => z.coerce.number().int().min(1).max(max).default(fallback);

export const cursor = z.string().min(1).max(512).optional();

/**
 * An ISO time with its offset. A `+` written unencoded in a URL arrives as a space (form
 * encoding), so `…T08:00:00 08:00` is read as `…T08:00:00+08:00`: that is the only thing it can
 * mean, and refusing it would punish a hand-typed query. Anything else is checked as is.
 */
export const queryTimestamp = z
  .string()
  .transform((text) => text.replace(/^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?) (\d{2}:\d{2})$/, '$1+$2'))
  .pipe(timestamp)
  .meta({ description: 'ISO-8601 with offset, e.g. 2026-03-01T08:00:00+08:00 (a + sent unencoded, read as a space, is accepted)', example: '2026-03-01T08:00:00+08:00' });

/** `west,south,east,north` in WGS-84 degrees, edges inclusive. */
export const bbox = z
  .string()
  .transform((text, ctx) => {
    const parts = text.split(',').map((p) => (p.trim() === '' ? Number.NaN : Number(p)));
    const [west, south, east, north] = parts;
    if (parts.length !== 4 || west === undefined || south === undefined || east === undefined || north === undefined || !parts.every(Number.isFinite)) {
      ctx.addIssue({ code: 'custom', message: 'must be west,south,east,north: four numbers separated by commas' });
      return z.NEVER;
    }
    if (west < -180 || east > 180 || south < -90 || north > 90) ctx.addIssue({ code: 'custom', message: 'longitudes must be within [-180, 180] and latitudes within [-90, 90]' });
    if (west > east || south > north) ctx.addIssue({ code: 'custom', message: 'must have west <= east and south <= north' });
    return { west, south, east, north };
  })
  .meta({ description: 'west,south,east,north (WGS-84 degrees), e.g. 121.3,28.5,121.5,28.7', example: '121.3,28.5,121.5,28.7' });
