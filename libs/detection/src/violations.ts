import type { DetectionEvent } from '@dgt/events';

/*
 * The one violation catalogue. Which detections open and close a violation, which are advisories
 * (exposure worth recording, not a breach of a rule), and what each kind weighs in case handling.
 * Read models, compliance, the API, alerts, replay reports and eval all ask this module; nothing
 * else decides what a violation is, so replay and the live desk cannot disagree.
 */

/** Rule breaches (违法违规): each can become a case, and a disposed case records points. */
export const violationKinds = ['illegal-parking', 'restricted-entry', 'overspeed', 'fatigue-driving', 'terminal-offline', 'route-deviation'] as const;
export type ViolationKind = (typeof violationKinds)[number];

/**
 * Exposure, not a breach: laden or empty passages of accident-prone segments (事故多发路段通行), and
 * terminals offline while their vehicle is assigned but not laden (a violation only while laden).
 */
export const advisoryKinds = ['segment-passage', 'terminal-offline'] as const;
export type AdvisoryKind = (typeof advisoryKinds)[number];

export type DetectionKind = ViolationKind | AdvisoryKind;
/** Every kind once (terminal-offline is both: which one, its data says); a test holds it to the two lists. */
export const detectionKinds = ['illegal-parking', 'restricted-entry', 'overspeed', 'fatigue-driving', 'terminal-offline', 'route-deviation', 'segment-passage'] as const satisfies readonly DetectionKind[];
export type DetectionCategory = 'violation' | 'advisory';
export type Severity = 'low' | 'medium' | 'high';
export type DetectionType = DetectionEvent['type'];

export interface CatalogueEntry {
  readonly kind: DetectionKind;
  /** What an occurrence of this kind is; see `advisoryUnlessLaden`. */
  readonly category: DetectionCategory;
  /**
   * A violation only when its opening detection says the vehicle was laden (`data.laden`), an
   * advisory otherwise: a terminal off while the vehicle waits for its load hides nothing dangerous.
   */
  readonly advisoryUnlessLaden: boolean;
  /** The detection that opens an occurrence (its eventId identifies the occurrence). */
  readonly opens: DetectionType;
  /** The detection that closes it (carries no id of its opener: match by vehicle and, when `matchZone`, zone). */
  readonly closes: DetectionType;
  /**
   * A closer names the zone of the occurrence it closes (several can be open at once, one per
   * zone). False where one vehicle has at most one open at a time (its `zoneId`, if any, is not a key).
   */
  readonly matchZone: boolean;
  /** The rule applies to laden vehicles only, so an occurrence is laden without the detection saying so. */
  readonly ladenOnly: boolean;
  readonly severity: Severity;
  /** Points a disposed case records against the carrier unless overridden with a reason (记分). 0 for advisories. */
  readonly defaultPoints: number;
  readonly label: { readonly zh: string; readonly en: string };
}

export const detectionCatalogue: Readonly<Record<DetectionKind, CatalogueEntry>> = Object.freeze({
  'illegal-parking': {
    kind: 'illegal-parking',
    category: 'violation',
    opens: 'IllegalParkingStarted',
    closes: 'IllegalParkingEnded',
    matchZone: false,
    ladenOnly: true,
    advisoryUnlessLaden: false,
    severity: 'medium',
    // Parking a laden vehicle outside a dedicated lot is what the plan sets out to end.
    defaultPoints: 3,
    label: { zh: '违规停车', en: 'Illegal parking' },
  },
  'restricted-entry': {
    kind: 'restricted-entry',
    category: 'violation',
    opens: 'RestrictedEntryStarted',
    closes: 'RestrictedEntryEnded',
    matchZone: true,
    ladenOnly: true,
    advisoryUnlessLaden: false,
    severity: 'high',
    // Entering a hazmat restricted zone without approval: 6 points for the driver (domain brief).
    defaultPoints: 6,
    label: { zh: '闯入禁行区', en: 'Restricted entry' },
  },
  overspeed: {
    kind: 'overspeed',
    category: 'violation',
    opens: 'OverspeedStarted',
    closes: 'OverspeedEnded',
    // The zone that set the limit, not a key: a run goes on across zones of different limits.
    matchZone: false,
    // A hazmat vehicle's limit does not depend on its load.
    ladenOnly: false,
    advisoryUnlessLaden: false,
    severity: 'high',
    // Hazmat vehicles are held to 80/60 km/h (办法 §46); a sustained breach is weighed like a restricted entry.
    defaultPoints: 6,
    label: { zh: '超速行驶', en: 'Overspeed' },
  },
  'fatigue-driving': {
    kind: 'fatigue-driving',
    category: 'violation',
    opens: 'FatigueDrivingStarted',
    closes: 'FatigueDrivingEnded',
    matchZone: false,
    // The driver is tired whether the tank is full or not.
    ladenOnly: false,
    advisoryUnlessLaden: false,
    severity: 'high',
    // 疲劳驾驶 is among the offences the traffic code weighs most for commercial drivers.
    defaultPoints: 6,
    label: { zh: '疲劳驾驶', en: 'Fatigue driving' },
  },
  'terminal-offline': {
    kind: 'terminal-offline',
    category: 'violation',
    opens: 'TerminalOffline',
    closes: 'TerminalOnline',
    matchZone: false,
    ladenOnly: false,
    advisoryUnlessLaden: true,
    severity: 'medium',
    // Switching the terminal off hides a stop or a route; a laden vehicle must stay visible.
    defaultPoints: 3,
    label: { zh: '终端不在线', en: 'Terminal offline' },
  },
  'route-deviation': {
    kind: 'route-deviation',
    category: 'violation',
    opens: 'RouteDeviationStarted',
    closes: 'RouteDeviationEnded',
    matchZone: false,
    ladenOnly: true,
    advisoryUnlessLaden: false,
    severity: 'medium',
    // Leaving the waybill's route takes the load where no one planned for it.
    defaultPoints: 3,
    label: { zh: '偏离线路', en: 'Route deviation' },
  },
  'segment-passage': {
    kind: 'segment-passage',
    category: 'advisory',
    opens: 'AccidentSegmentEntered',
    closes: 'AccidentSegmentExited',
    matchZone: true,
    ladenOnly: false,
    advisoryUnlessLaden: false,
    severity: 'low',
    defaultPoints: 0,
    label: { zh: '通行事故多发路段', en: 'Accident-prone segment passage' },
  },
});

export interface Classification {
  readonly kind: DetectionKind;
  readonly category: DetectionCategory;
  /** True for the detection that opens an occurrence, false for the one that closes it. */
  readonly opens: boolean;
  readonly entry: CatalogueEntry;
}

/** One frozen answer per detection type: classifying is a map lookup, no allocation (projector hot path). */
const byType = new Map<string, Classification>();
/** Openers whose category their data decides: the advisory answer (the violation one is in byType). */
const advisoryOpeners = new Map<string, Classification>();
for (const entry of Object.values(detectionCatalogue)) {
  byType.set(entry.opens, Object.freeze({ kind: entry.kind, category: entry.category, opens: true, entry }));
  byType.set(entry.closes, Object.freeze({ kind: entry.kind, category: entry.category, opens: false, entry }));
  if (entry.advisoryUnlessLaden) advisoryOpeners.set(entry.opens, Object.freeze({ kind: entry.kind, category: 'advisory', opens: true, entry }));
}

/**
 * What a detection is. Takes the event, not only its type: later rules (offline while laden) are
 * violations or advisories depending on their data. Throws for a type the catalogue lacks: a new
 * detection must be classified before any surface can show it.
 */
export function classifyDetection(event: Pick<DetectionEvent, 'type'> & { data?: unknown }): Classification {
  const found = byType.get(event.type);
  if (found === undefined) throw new Error(`detection type ${event.type} is not in the violation catalogue`);
  if (found.entry.advisoryUnlessLaden && found.opens && (event.data as { laden?: unknown } | undefined)?.laden !== true) {
    return advisoryOpeners.get(event.type) as Classification;
  }
  return found;
}

export function isViolationKind(kind: string): kind is ViolationKind {
  return (violationKinds as readonly string[]).includes(kind);
}

export function isAdvisoryKind(kind: string): kind is AdvisoryKind {
  return (advisoryKinds as readonly string[]).includes(kind);
}
