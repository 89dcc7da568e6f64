import { canonicalJson, type DgtEvent } from '@dgt/events';
import type { MalformedDefect } from './messages.ts';

/** A broken copy of a position report, as a faulty terminal or gateway might send it. */
export function corrupt(event: DgtEvent, defect: MalformedDefect): string {
  const copy = JSON.parse(canonicalJson(event)) as { eventId: string; occurredAt: string; data: Record<string, unknown> };
  copy.eventId = `${copy.eventId}~bad`;
  switch (defect) {
    case 'latitude-out-of-range':
      copy.data.lat = (copy.data.lat as number) + 100;
      return JSON.stringify(copy);
    case 'missing-vehicle-id':
      delete copy.data.vehicleId;
      return JSON.stringify(copy);
    case 'time-without-offset':
      copy.occurredAt = copy.occurredAt.slice(0, 19).replace('T', ' ');
      return JSON.stringify(copy);
    case 'negative-speed':
      copy.data.speedKmh = -1 - (copy.data.speedKmh as number);
      return JSON.stringify(copy);
    case 'truncated-json': {
      const text = JSON.stringify(copy);
      return text.slice(0, Math.floor(text.length * 0.6));
    }
    default: {
      const unreachable: never = defect;
      throw new Error(`unknown defect ${String(unreachable)}`);
    }
  }
}
