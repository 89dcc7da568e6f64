import { z } from 'zod';
import { decisionMaker } from './cases.ts';
import { eventId, identifier } from './primitives.ts';

/**
 * A duty officer has seen an alert and taken it in hand (告警确认): who, when (the event's server
 * time), and what they noted — a hand-over tells the next shift what was done. One per alert:
 * the stream keeps the first; another officer's later attempt is refused with who acknowledged it.
 */
export const alertAcknowledgedData = z.looseObject({
  /** The alert's id: the detection's eventId (for a violation's opening, the violation id). */
  alertId: eventId,
  vehicleId: identifier,
  /** What the officer noted (phoned the carrier, sent a patrol …); empty when nothing. */
  note: z.string().max(500, 'must be at most 500 characters'),
  by: decisionMaker,
});

export type AlertAcknowledgedData = z.infer<typeof alertAcknowledgedData>;
