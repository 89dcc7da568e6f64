import { epochMs, timestamp } from '@dgt/events';

/**
 * Epoch ms of an ISO-8601 instant with offset, or NaN if it is not one. Comparisons with NaN are
 * false, so a rule about time never fires on an unreadable one: the event schema then names it.
 */
export function instantMs(iso: string): number {
  return timestamp.safeParse(iso).success ? epochMs(iso) : Number.NaN;
}
