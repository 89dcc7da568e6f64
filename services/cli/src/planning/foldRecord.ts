import { DetectionEngine } from '@dgt/detection';
import { detectionEventTypes, epochMs } from '@dgt/events';
import { pagesOf, type RecordedEvent } from '@dgt/eventstore';
import { parsePlanningRows, type PlanningConfig, PlanningFold, type PlanningRows, type Window } from '@dgt/planning';
import { trustedEvent } from '@dgt/projector';

/** What the read met, for planning.json: the same store always gives the same counts. */
export interface RecordCounts {
  /** Records read from the store, of every type. */
  read: number;
  /** Given to the detection engine: catalogue events other than detections, in store order. */
  fed: number;
  /** Of those, position reports. */
  positions: number;
  /** Of those fed, the ones that occurred at or after `to`: they shape the engine's state only (see foldRecord). */
  atOrAfterTo: number;
  /** The engine's own detections read back (the engine re-derives them, it never reads them). */
  ownDetections: number;
  /** Types outside the event catalogue (audit records, …): not planning's business. */
  otherTypes: number;
  /** Older schema versions that would not upcast. */
  unreadable: number;
  /** What the engine set aside or refused, as live: late fixes, duplicates, refused events. */
  late: number;
  duplicates: number;
  rejected: number;
}

export interface FoldedRecord {
  rows: PlanningRows;
  counts: RecordCounts;
}

const detectionTypes: ReadonlySet<string> = new Set(detectionEventTypes);

/**
 * Feeds the record, in store order, through the detection engine and the planning fold, exactly
 * as the projector does (same decoding, same engine), with the fold limited to `window`; then
 * ends the window (`finish(to)`).
 *
 * Every event goes to the engine, whenever it occurred: the engine judged each fix live with
 * everything recorded before it — a consignment event or a zone recorded early, or a fix after
 * `to` that makes a terminal's backlog recorded later "late" and ignored — so the report's
 * judgement of a fix is the projection's. Events that occurred at or after `to` go to the engine
 * only, not to the fold: the window's tables then stand as they were at `to` (the vehicles inside
 * a lot then, a stop under way then counted up to the vehicle's last fix before `to`, a lot's name
 * and capacity then), and later facts cannot change them. A vehicle's fixes after the first one
 * at or after `to` are all late to the engine or after `to` themselves, so the fold never sees a
 * vehicle's history with a hole in it.
 */
export async function foldRecord(
  records: AsyncIterable<RecordedEvent>,
  options: { config: PlanningConfig; window: Window; onProgress?: (read: number) => void },
): Promise<FoldedRecord> {
  const { config, window } = options;
  const engine = new DetectionEngine(config.detection);
  const fold = new PlanningFold(config, window);
  const counts = { read: 0, fed: 0, positions: 0, atOrAfterTo: 0, ownDetections: 0, otherTypes: 0, unreadable: 0 };
  const one = (rec: RecordedEvent): void => {
    counts.read++;
    const t = trustedEvent(rec.event);
    if (!t.ok) {
      if (t.reason === 'unknown-type') counts.otherTypes++;
      else counts.unreadable++;
      return;
    }
    const event = t.event;
    if (detectionTypes.has(event.type)) {
      counts.ownDetections++;
      return;
    }
    const step = engine.apply(event);
    counts.fed++;
    if (event.type === 'VehiclePositionReported') counts.positions++;
    if (epochMs(event.occurredAt) >= window.toMs) {
      counts.atOrAfterTo++;
      return;
    }
    fold.apply(event, step, engine);
  };
  // The SQLite and memory stores hand out pages: no promise per event.
  const pages = pagesOf(records);
  if (pages !== undefined) {
    for await (const page of pages) {
      for (const rec of page) one(rec);
      options.onProgress?.(counts.read);
    }
  } else {
    for await (const rec of records) {
      one(rec);
      if ((counts.read & 1023) === 0) options.onProgress?.(counts.read);
    }
  }
  fold.finish(window.toMs);
  const stats = engine.stats();
  return { rows: parsePlanningRows(fold.rows()), counts: { ...counts, late: stats.late, duplicates: stats.duplicates, rejected: stats.rejected } };
}
