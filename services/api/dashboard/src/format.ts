import type { AdvisoryKind, OccurrenceKind, ViolationKind, ZoneView } from './api/views.ts';

/** Display formats for the desk: local time (the desk is in Taizhou), compact durations, labels. */

export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString('en-GB', { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

export function formatClock(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return '—';
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (h > 0) return `${h} h ${m} min`;
  if (m > 0) return `${m} min ${s % 60} s`;
  return `${s} s`;
}

/*
 * Labels keyed by the catalogue's kinds (libs/detection violations.ts): a kind added there fails
 * the dashboard's typecheck until it has a label here, so the desk never shows a raw id.
 */
export const violationKindLabel: Readonly<Record<ViolationKind, string>> = {
  'illegal-parking': 'Illegal parking',
  'restricted-entry': 'Restricted entry',
  overspeed: 'Overspeed',
  'fatigue-driving': 'Fatigue driving',
  'terminal-offline': 'Terminal offline (laden)',
  'route-deviation': 'Route deviation',
};

export const advisoryKindLabel: Readonly<Record<AdvisoryKind, string>> = {
  'segment-passage': 'Segment passage',
  'terminal-offline': 'Terminal offline (not laden)',
};

export const kindLabel: Readonly<Record<OccurrenceKind, string>> = { ...advisoryKindLabel, ...violationKindLabel, 'terminal-offline': 'Terminal offline' };

export const zoneKindLabel: Readonly<Record<ZoneView['kind'], string>> = {
  'parking-lot': 'Dedicated lot',
  'chemical-park': 'Chemical park',
  'accident-segment': 'Accident-prone segment',
  'restricted-area': 'Restricted area',
};

/** A zone's rules in a few words, for its tooltip: "60 km/h · laden banned 22:00–06:00 (class 2.1, 3)". */
export function zoneRulesText(rules: ZoneView['rules']): string {
  if (rules === null) return '';
  const parts: string[] = [];
  if (rules.speedLimitKmh !== null) parts.push(`${rules.speedLimitKmh} km/h`);
  const classes = rules.hazardClasses === null ? '' : ` (class ${rules.hazardClasses.join(', ')})`;
  if (rules.ladenBanned) parts.push(`laden banned at all hours${classes}`);
  else if (rules.bannedHours.length > 0) parts.push(`laden banned ${rules.bannedHours.map((w) => `${w.from}–${w.to}`).join(', ')}${classes}`);
  return parts.join(' · ');
}
