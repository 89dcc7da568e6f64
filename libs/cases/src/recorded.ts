import type { caseEventTypes, EventOf, EventType, pointsEventTypes } from '@dgt/events';

/**
 * An event as a decider returns it and an evolver reads it: type, time and data. The API wraps a
 * decision's events in envelopes (it chooses the eventIds) and appends each to the stream
 * `@dgt/eventstore`'s `streamFor` names; full envelopes read back from the store evolve as they are.
 */
export type Recorded<T extends EventType> = Pick<EventOf<T>, 'type' | 'occurredAt' | 'data'>;
export type RecordedOf<U extends EventType> = { [T in U]: Recorded<T> }[U];

export type CaseEventType = (typeof caseEventTypes)[number];
export type PointsEventType = (typeof pointsEventTypes)[number];
export type CaseRecorded = RecordedOf<CaseEventType>;
export type LedgerRecorded = RecordedOf<PointsEventType>;
