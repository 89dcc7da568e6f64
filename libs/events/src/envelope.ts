import { z } from 'zod';
import { eventId, timestamp } from './primitives.ts';

/** The envelope every event shares; `data` is checked against the catalog once the type is known. */
export const envelope = z.strictObject({
  eventId,
  type: z.string().min(1, 'must not be empty'),
  occurredAt: timestamp,
  schemaVersion: z.number().int().min(1).optional(),
  data: z.record(z.string(), z.unknown()),
  meta: z.record(z.string(), z.unknown()).optional(),
});
