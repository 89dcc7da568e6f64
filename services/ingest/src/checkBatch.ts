import { alertEventTypes, caseEventTypes, detectionEventTypes, isEventType, pointsEventTypes, safeParseClientEvent, type FieldIssue } from '@dgt/events';
import { NotJsonLine, type BatchItems } from './batchBody.ts';
import type { BatchText } from './batchText.ts';
import { isIngestible, type IngestibleEvent } from './eventRouting.ts';
import { authorizationReasons } from './itemAuthorization.ts';
import { shapeProblem, wellFormed } from './itemShape.ts';
import { idHash } from './knownEvents.ts';
import { plainFixJson } from './plainFixLane.ts';
import { timeProblem, type TimeLimits } from './timePlausibility.ts';

/** Closed set: these become metric labels. */
export const rejectReasons = [
  'invalid',
  'unknown_type',
  'detection_not_ingestible',
  'duplicate_in_batch',
  'not_json',
  'too_deep',
  'lone_surrogate',
  'time_in_future',
  'time_too_old',
  // The key that posted a valid item may not (see itemAuthorization.ts).
  ...authorizationReasons,
] as const;
export type RejectReason = (typeof rejectReasons)[number];

/**
 * `accepted`: new, published. `rejected`: refused (see `reason`). `duplicate`: the same event
 * was accepted before — idempotent, not published again. `conflict`: another event was accepted
 * before under this eventId — the first one stands, this one is not published.
 */
export const itemStatuses = ['accepted', 'rejected', 'duplicate', 'conflict'] as const;
export type ItemStatus = (typeof itemStatuses)[number];

export interface ItemResult {
  readonly index: number;
  readonly line?: number;
  readonly eventId?: string;
  readonly status: ItemStatus;
  readonly reason?: RejectReason;
  readonly errors?: FieldIssue[];
}

export interface Rejection {
  /** An event type of the catalogue, or `unknown`: client-chosen strings never become labels. */
  readonly type: string;
  readonly reason: RejectReason;
}

export interface CheckedBatch {
  /** One per item, in item order. */
  readonly results: ItemResult[];
  /** The events to publish, in item order. */
  readonly accepted: IngestibleEvent[];
  /** Per accepted event, its canonical JSON when checking wrote it already (plain fixes), else undefined. */
  readonly json: (string | undefined)[];
  /** Per accepted event, `keyOf` its eventId: hashed once for the in-batch check, the lookup and the remembering. */
  readonly idKeys: number[];
  readonly rejections: Rejection[];
  /** The batch's canonical JSON as the fix scanner wrote it, when every item was accepted: `json` joined and encoded already. */
  readonly text?: BatchText;
}

const detections = new Set<string>(detectionEventTypes);
/** Decisions people made through the case API (who and when recorded by dgt): never a client's to post. */
const decisions = new Set<string>([...caseEventTypes, ...pointsEventTypes, ...alertEventTypes]);

/** When the gateway received the batch, and how far from then an event may be dated. */
export interface BatchContext {
  readonly receivedMs: number;
  readonly time: TimeLimits;
  /** The hash the pipeline files ids under (`RecentIds.keyOf`, seeded: no client can choose ids that share slots); an unseeded one when absent. */
  readonly keyOf?: (eventId: string) => number;
}

const unseeded = (eventId: string): number => idHash(eventId, 1);

/** Validates every item on its own: one bad item never rejects its neighbours. */
export function checkBatch({ values, lines, text }: BatchItems, context: BatchContext): CheckedBatch {
  const out: CheckedBatch = { results: [], accepted: [], json: [], idKeys: [], rejections: [] };
  const keyOf = context.keyOf ?? unseeded;
  const seen = acceptedIds.reset(values.length);
  for (let n = 0; n < values.length; n++) {
    const value = values[n];
    const line = lines?.[n];
    // Items the fix scanner read are plain fixes with their JSON written (fixScanner.ts).
    const json = text === undefined ? plainFixJson(value) : text.texts[n];
    const checked = json === undefined ? checkEvent(value) : (value as IngestibleEvent);
    const timed = checked instanceof Refused ? checked : timeChecked(checked, context);
    const key = timed instanceof Refused ? 0 : keyOf(timed.eventId);
    const verdict = timed instanceof Refused ? timed : firstInBatch(timed, key, seen, n);
    if (!(verdict instanceof Refused)) {
      const eventId = verdict.eventId;
      out.accepted.push(verdict);
      out.json.push(json);
      out.idKeys.push(key);
      // Literals, not `{ ...where, more }`: keys added after a spread take a slow path in Node 20 (~2 µs each).
      out.results.push(line === undefined ? { index: n, eventId, status: 'accepted' } : { index: n, line, eventId, status: 'accepted' });
    } else {
      const where = { index: n, ...(line === undefined ? {} : { line }) };
      const eventId = claimedEventId(value);
      out.rejections.push({ type: typeLabel(value), reason: verdict.reason });
      out.results.push({ ...where, ...(eventId === undefined ? {} : { eventId }), status: 'rejected', reason: verdict.reason, errors: verdict.errors });
    }
  }
  acceptedIds.reset(0);
  return text !== undefined && out.accepted.length === values.length ? { ...out, text } : out;
}

/** Why an item was refused (a class: accepted items are the events themselves, refusals are told apart by `instanceof`). */
export class Refused {
  constructor(
    readonly reason: RejectReason,
    readonly errors: FieldIssue[],
  ) {}
}

function refuse(reason: RejectReason, errors: FieldIssue[]): Refused {
  return new Refused(reason, errors);
}

/** The time checks of an item's event. */
function timeChecked(event: IngestibleEvent, context: BatchContext): IngestibleEvent | Refused {
  const time = timeProblem(event, context.receivedMs, context.time);
  return time === undefined ? event : refuse(time.reason, time.errors);
}

/** The event, now filed as accepted at `index`, or refused when the batch accepted its eventId before. */
function firstInBatch(event: IngestibleEvent, key: number, seen: BatchIds, index: number): IngestibleEvent | Refused {
  const first = seen.firstIndex(event.eventId, key, index);
  if (first === index) return event;
  return refuse('duplicate_in_batch', [{ path: 'eventId', message: `duplicate in batch: the same eventId was accepted at index ${first}` }]);
}

/**
 * The eventIds a batch accepted so far, filed by the hash the pipeline files them under (computed
 * once per id): an open-addressing table of item indexes, at most half full, reused from batch to
 * batch (checking is synchronous). A Map of the ids hashed each id again and grew through nine
 * rehashes for a batch of 500. Only the slots a batch filled are emptied for the next: emptying
 * the whole table (1,024 slots at least, twice a batch) was 3 % of a one-fix request's CPU.
 */
class BatchIds {
  #keys = new Int32Array(1024);
  /** Per slot: the item index + 1, or 0 when empty. */
  #indexes = new Int32Array(1024);
  #ids = new Array<string | undefined>(1024).fill(undefined);
  #mask = 1023;
  /** The slots the batch being checked filled, in the order it filled them (emptied by the next reset). */
  #filled = new Int32Array(1024);
  #count = 0;

  /** Empties the table (and lets go of the last batch's ids), sized for `items` ids. */
  reset(items: number): this {
    const filled = this.#filled;
    for (let k = 0; k < this.#count; k++) {
      const i = filled[k] as number;
      this.#indexes[i] = 0;
      this.#ids[i] = undefined;
    }
    this.#count = 0;
    let slots = 1024;
    while (slots < 2 * items) slots *= 2;
    if (slots > this.#indexes.length) {
      this.#keys = new Int32Array(slots);
      this.#indexes = new Int32Array(slots);
      this.#ids = new Array<string | undefined>(slots).fill(undefined);
      this.#filled = new Int32Array(slots);
    }
    this.#mask = slots - 1;
    return this;
  }

  /** The index of the item that first had `id` (`index`, now filed, if none did). */
  firstIndex(id: string, key: number, index: number): number {
    const mask = this.#mask;
    for (let i = key & mask; ; i = (i + 1) & mask) {
      const at = this.#indexes[i] as number;
      if (at === 0) {
        this.#indexes[i] = index + 1;
        this.#keys[i] = key;
        this.#ids[i] = id;
        this.#filled[this.#count++] = i;
        return index;
      }
      if (this.#keys[i] === key && this.#ids[i] === id) return at - 1;
    }
  }
}

const acceptedIds = new BatchIds();

/** Every check before the time checks, step by step: the item's event, or why it is refused. */
export function checkEvent(value: unknown): IngestibleEvent | Refused {
  const verdict = checkEventSteps(value);
  return verdict.ok ? verdict.event : refuse(verdict.reason, verdict.errors);
}

type Verdict = { ok: true; event: IngestibleEvent } | { ok: false; reason: RejectReason; errors: FieldIssue[] };

function checkEventSteps(value: unknown): Verdict {
  if (value instanceof NotJsonLine) return { ok: false, reason: 'not_json', errors: [{ path: '', message: value.message }] };
  // Before anything recursive sees the item (validation, canonical JSON).
  const shape = shapeProblem(value);
  if (shape !== undefined) return { ok: false, reason: shape.reason, errors: shape.errors };
  const type = claimedType(value);
  if (type !== undefined && detections.has(type)) {
    const message = `${type} events are produced by dgt's detection engine and cannot be ingested`;
    return { ok: false, reason: 'detection_not_ingestible', errors: [{ path: 'type', message }] };
  }
  if (type !== undefined && decisions.has(type)) {
    const message = `${type} events are recorded by dgt's case handling (the /v1/cases API) and cannot be ingested`;
    return { ok: false, reason: 'detection_not_ingestible', errors: [{ path: 'type', message }] };
  }
  // The client id rule: no client can post an id in the namespace of derived ids (`/`), nor a control character.
  const parsed = safeParseClientEvent(value);
  if (!parsed.ok) {
    const reason = type !== undefined && !isEventType(type) ? 'unknown_type' : 'invalid';
    return { ok: false, reason, errors: parsed.error.issues.map((i) => ({ path: i.path, message: i.message })) };
  }
  const event = parsed.event;
  if (!isIngestible(event)) {
    return { ok: false, reason: 'detection_not_ingestible', errors: [{ path: 'type', message: `${event.type} events cannot be ingested` }] };
  }
  return { ok: true, event };
}

function field(value: unknown, name: string): unknown {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>)[name] : undefined;
}

function claimedType(value: unknown): string | undefined {
  const type = field(value, 'type');
  return typeof type === 'string' ? type : undefined;
}

/** Echoed back so clients can match results, but only if it looks like an id (bounded size; a lone surrogate never: the answer must be well-formed JSON). */
function claimedEventId(value: unknown): string | undefined {
  const id = field(value, 'eventId');
  return typeof id === 'string' && id.length > 0 && id.length <= 512 && wellFormed(id) ? id : undefined;
}

function typeLabel(value: unknown): string {
  const type = claimedType(value);
  return type !== undefined && isEventType(type) ? type : 'unknown';
}
