import { pageNdjson, type PageNdjson } from '@dgt/eventstore';
import { advisoryKinds, type DetectionConfig, DetectionEngine, OccurrenceTracker, type Occurrence, violationKinds } from '@dgt/detection';
import { type DetectionEvent, detectionEventTypes, type DgtEvent, epochMs, type FieldIssue, type EvidenceDigest, safeParseEvent } from '@dgt/events';
import { asOfSection } from './asOf.ts';
import { decodeEnvelope, fastPositionLine, isPlainFix, validateEnvelope } from './decode.ts';
import { feedPages } from './feedIterables.ts';
import { EvidenceDigester } from './digest.ts';
import { ReplayError } from './errors.ts';
import { ReportBuilder } from './reportBuilder.ts';
import type { RegistryFacts } from './registryFacts.ts';
import { type CarrierSummary, REPORT_FORMAT, type ReplayReport, type VehicleTimeline, type VerifySection, type WaybillSummary } from './reportTypes.ts';
import { type RunInfo, runInfo } from './runInfo.ts';
import { describeSelection, type Selection } from './selection.ts';
import { compareDetections } from './verify.ts';
import type { PreparedFeed, ReplaySource, SourceKind } from './source.ts';
import type { FeedItem } from './resolved.ts';

export interface ReplayOptions {
  selection: Selection;
  thresholds: DetectionConfig;
  /** Report each selected vehicle's state at this instant (ISO-8601 with offset). */
  asOf?: string | null;
  /** Compare with the detections recorded live (store sources only). */
  verify?: boolean;
  /** Called every 16,384 events with the count so far. */
  onProgress?: (events: number) => void;
  /** Each detection as it is recomputed (for streaming output). */
  onDetection?: (detection: DetectionEvent) => void;
  /** Who ran it (a principal: operator name, API key id), shown in the HTML header; default "cli". Never in report.json. */
  operator?: string;
  /** When it was run (ISO-8601), shown in the HTML header; the caller's clock. Never in report.json. */
  ranAt?: string | null;
}

export interface ReplayResult {
  report: ReplayReport;
  source: SourceKind;
  /** Operator and run time, for the rendering: kept out of the report so it stays reproducible. */
  run: RunInfo;
}

const detectionTypes = new Set<string>(detectionEventTypes);

async function liveDetections(feed: PreparedFeed): Promise<DetectionEvent[]> {
  if (feed.liveDetections === null) throw new ReplayError('VERIFY_UNAVAILABLE', '--verify needs an event store (the live detections are there), not an NDJSON file');
  const out: DetectionEvent[] = [];
  for await (const raw of feed.liveDetections()) {
    const parsed = safeParseEvent(raw);
    if (parsed.ok && detectionTypes.has(parsed.event.type)) out.push(parsed.event as DetectionEvent);
  }
  return out;
}

/** Every kind of the catalogue, 0 when none occurred: a report always shows what it looked for. */
function byKind(kinds: readonly string[], rows: readonly Occurrence[]): Record<string, number> {
  const out: Record<string, number> = Object.fromEntries(kinds.map((k) => [k, 0]));
  for (const o of rows) out[o.kind] = (out[o.kind] ?? 0) + 1;
  return out;
}

function checkedDigest(computed: EvidenceDigest, stated: EvidenceDigest | null): EvidenceDigest {
  if (stated === null) return computed;
  if (stated.sha256 !== computed.sha256 || stated.events !== computed.events) {
    throw new ReplayError(
      'EXPORT_INVALID',
      `the export states ${stated.events} events with digest ${stated.sha256}, but its events give ${computed.events} with ${computed.sha256}: it was altered or truncated`,
    );
  }
  return stated;
}

/**
 * Re-runs a selection through the detection engine that runs live, and builds the report: the
 * same events and thresholds always give the same report, whatever the source or machine.
 */
export async function runReplay(options: ReplayOptions, source: ReplaySource): Promise<ReplayResult> {
  const feed = await source.prepare(options.selection);
  const live = options.verify ? await liveDetections(feed) : null;
  const engine = new DetectionEngine(options.thresholds);
  const asOfMs = options.asOf == null ? null : epochMs(options.asOf);
  const asOf = asOfMs === null ? null : { engine: new DetectionEngine(options.thresholds), occurrences: new OccurrenceTracker() };
  const { from, to } = feed.resolved.window;
  const fromMs = from === null ? null : epochMs(from);
  const toMs = to === null ? null : epochMs(to);
  const builder = new ReportBuilder(fromMs, toMs);
  const inWindow = (at: string) => (fromMs === null || epochMs(at) >= fromMs) && (toMs === null || epochMs(at) < toMs);
  const digester = new EvidenceDigester();
  const onDetection = options.onDetection;
  let n = 0;
  for await (const page of feedPages(feed.items())) {
    // The page's stored JSON as NDJSON bytes when the store hands it so: digested as they are.
    const lines = pageNdjson(page);
    let lineStart = 0;
    for (let i = 0; i < page.length; i++) {
      const item = page[i] as FeedItem;
      const raw = item.event as Record<string, unknown>;
      if ((++n & 0x3fff) === 0) options.onProgress?.(n);
      const lineEnd = lines === undefined ? -1 : (lines.ends[i] as number);
      let event: DgtEvent | null;
      let issues: readonly FieldIssue[] | null = null;
      if (lineEnd >= 0) {
        digester.addEncoded((lines as PageNdjson).bytes, lineStart, lineEnd, item.position);
        lineStart = lineEnd;
        if (isPlainFix(raw)) event = raw as unknown as DgtEvent;
        else ({ event, issues } = validateEnvelope(raw));
      } else {
        // Plain fixes (nearly every event) without a Decoded per event; the rest through decodeEnvelope.
        const fastLine = fastPositionLine(raw, item.json);
        if (fastLine !== null) {
          digester.add(fastLine, item.position);
          event = raw as unknown as DgtEvent;
        } else {
          const decoded = decodeEnvelope(raw, item.json);
          digester.add(decoded.line, item.position);
          ({ event, issues } = decoded);
        }
      }
      if (event === null) {
        builder.invalid(raw, item.position, issues as readonly FieldIssue[]);
        continue;
      }
      const step = engine.apply(event);
      builder.event(event, item.position, step);
      if (asOf !== null && epochMs(event.occurredAt) <= (asOfMs as number)) {
        const trigger = event.type === 'VehiclePositionReported' ? event.data : null;
        for (const d of asOf.engine.apply(event).detections) asOf.occurrences.apply(d, trigger);
      }
      // Only the window's: the detections of the lead-in and lead-out are reported nowhere.
      if (onDetection !== undefined) for (const d of step.detections) if (inWindow(d.occurredAt)) onDetection(d);
    }
  }
  options.onProgress?.(n);
  const digest = checkedDigest(digester.finish(), feed.statedDigest());
  const verify: VerifySection | null = live === null ? null : compareDetections(live, builder.detections);
  const registry = await feed.registry();
  return { report: buildReport(options, feed, builder, engine, asOf, digest, verify, registry), source: source.kind, run: runInfo(options.operator, options.ranAt) };
}

/** Every carrier the report names, with the name the register gives it. */
function carriersNamed(registry: RegistryFacts | null, waybills: readonly WaybillSummary[], vehicles: readonly VehicleTimeline[], rows: readonly Occurrence[]): CarrierSummary[] {
  const ids = new Set<string>();
  for (const w of waybills) if (w.carrierId !== null) ids.add(w.carrierId);
  for (const v of vehicles) if (v.registeredCarrierId !== null) ids.add(v.registeredCarrierId);
  for (const o of rows) if (o.carrierId !== null) ids.add(o.carrierId);
  const registered = new Map((registry?.carriers ?? []).map((c) => [c.carrierId, c]));
  return [...ids].sort().map((carrierId) => ({ carrierId, name: registered.get(carrierId)?.name ?? null, licenceNo: registered.get(carrierId)?.licenceNo ?? null }));
}

function buildReport(
  options: ReplayOptions,
  feed: PreparedFeed,
  builder: ReportBuilder,
  engine: DetectionEngine,
  asOf: { engine: DetectionEngine; occurrences: OccurrenceTracker } | null,
  digest: EvidenceDigest,
  verify: VerifySection | null,
  registry: RegistryFacts | null,
): ReplayReport {
  const timelines = builder.timelines(registry);
  const waybills = builder.waybillSummaries();
  const withFixes = new Set(timelines.filter((t) => t.fixes > 0).map((t) => t.vehicleId));
  const selected = feed.resolved.vehicles ?? [...withFixes].sort();
  const stats = engine.stats();
  const byType: Record<string, number> = {};
  for (const t of detectionEventTypes) byType[t] = 0;
  for (const d of builder.detections) byType[d.type] = (byType[d.type] ?? 0) + 1;
  const violations = builder.violations;
  const advisories = builder.advisories;
  const matchedNothing = builder.positions === 0;
  const what = describeSelection(feed.selection);
  return {
    format: REPORT_FORMAT,
    selection: { requested: feed.selection, resolved: feed.resolved, vehiclesWithoutFixes: selected.filter((v) => !withFixes.has(v)) },
    thresholds: { ...options.thresholds },
    digest,
    matchedNothing,
    message: matchedNothing
      ? `the selection (${what}) matched nothing: no position events`
      : `${digest.events} events replayed (${builder.positions} positions of ${withFixes.size} vehicles in the window, ${builder.leadInPositions} of the lead-in, ${builder.leadOutPositions} of the lead-out), ${builder.detections.length} detections, ${violations.length} violations, ${advisories.length} advisories`,
    counts: {
      events: digest.events,
      positions: builder.positions,
      zoneEvents: builder.zoneEvents,
      consignmentEvents: builder.consignmentEvents,
      otherEvents: builder.otherEvents,
      invalid: builder.invalidEvents.length,
      rejected: stats.rejected,
      late: stats.late,
      duplicates: stats.duplicates,
      leadInPositions: builder.leadInPositions,
      leadOutPositions: builder.leadOutPositions,
      detections: builder.detections.length,
      detectionsByType: byType,
      violations: violations.length,
      violationsByKind: byKind(violationKinds, violations),
      advisories: advisories.length,
      advisoriesByKind: byKind(advisoryKinds, advisories),
      vehicles: withFixes.size,
    },
    violations,
    advisories,
    detections: builder.detections,
    rejections: builder.rejections,
    invalidEvents: builder.invalidEvents,
    vehicles: timelines,
    carriers: carriersNamed(registry, waybills, timelines, [...violations, ...advisories]),
    waybills,
    zones: builder.zoneSummaries(),
    asOf: asOf === null || options.asOf == null ? null : asOfSection(asOf.engine, asOf.occurrences, options.asOf, selected),
    verify,
  };
}
