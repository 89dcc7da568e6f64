import type { AdvisoryKind, OccurrenceKind, ViolationKind, ZoneView } from './api/views.ts';
import { en } from './i18n/en.ts';
import { t } from './i18n/translate.ts';

/*
 * Display formats for the desk. Every time is Beijing time (UTC+8, no daylight saving), whatever
 * zone the browser is set to: a duty officer in Taizhou, an enforcement team's laptop left on UTC
 * and a screenshot in an evidence file must all show the same 11:14 for the same event. 24-hour,
 * `YYYY-MM-DD HH:mm:ss`; what the officer types is read the same way.
 */

/** Stated once wherever times are shown (the header, forms, filters), in the desk's language. */
export const timeZoneLabel = (): string => t('time.zone');
/** What a time input asks for, in the desk's language. */
export const timeInputHint = (): string => t('time.inputHint');

const BEIJING_OFFSET_MS = 8 * 3_600_000;
const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** The instant's Beijing wall-clock fields, read from a Date shifted by +8 h with the UTC getters. */
function beijing(ms: number): { y: number; mo: number; d: number; h: number; mi: number; s: number } {
  const b = new Date(ms + BEIJING_OFFSET_MS);
  return { y: b.getUTCFullYear(), mo: b.getUTCMonth() + 1, d: b.getUTCDate(), h: b.getUTCHours(), mi: b.getUTCMinutes(), s: b.getUTCSeconds() };
}

/** `2026-03-02 11:14:05` (Beijing time); an unparseable value is shown as it came. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  const t = beijing(ms);
  return `${pad(t.y, 4)}-${pad(t.mo)}-${pad(t.d)} ${pad(t.h)}:${pad(t.mi)}:${pad(t.s)}`;
}

/** `11:14:05` (Beijing time). */
export function formatClock(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  const t = beijing(ms);
  return `${pad(t.h)}:${pad(t.mi)}:${pad(t.s)}`;
}

/** A time input's value for an instant: `2026-03-02 11:14` (Beijing time). */
export function timeInputValue(date: Date): string {
  const t = beijing(date.getTime());
  return `${pad(t.y, 4)}-${pad(t.mo)}-${pad(t.d)} ${pad(t.h)}:${pad(t.mi)}`;
}

const TYPED_TIME = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;

/**
 * What an officer typed, as an ISO instant: `YYYY-MM-DD`, `YYYY-MM-DD HH:mm` or
 * `YYYY-MM-DD HH:mm:ss` in Beijing time (a `T` instead of the space too), or a full ISO time with
 * its own offset (`…Z`, `…+08:00`). Null when it is none of these or names no real time
 * (2026-02-30, 24:00).
 */
export function parseTypedTime(value: string): string | null {
  const v = value.trim();
  const m = TYPED_TIME.exec(v);
  if (m === null) {
    // A full ISO time with an offset says its own zone.
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(v)) return null;
    const ms = Date.parse(v);
    return Number.isNaN(ms) ? null : new Date(ms).toISOString();
  }
  const [y, mo, d, h, mi, s] = [m[1], m[2], m[3], m[4] ?? '0', m[5] ?? '0', m[6] ?? '0'].map(Number) as [number, number, number, number, number, number];
  const ms = Date.UTC(y, mo - 1, d, h, mi, s) - BEIJING_OFFSET_MS;
  // Date.UTC rolls 2026-02-30 over to March; a real time reads back the same fields.
  const t = beijing(ms);
  if (t.y !== y || t.mo !== mo || t.d !== d || t.h !== h || t.mi !== mi || t.s !== s) return null;
  return new Date(ms).toISOString();
}

export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return '—';
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (h > 0) return t('time.hours', { h, m });
  if (m > 0) return t('time.minutes', { m, s: s % 60 });
  return t('time.seconds', { s });
}

/*
 * Labels keyed by the catalogue's kinds (libs/detection violations.ts), in the desk's language: the
 * catalogues' groups are typed by those kinds (i18n/en.ts), so a kind added there fails the
 * dashboard's typecheck until it has words, and the desk never shows a raw id.
 */
export const violationKinds = Object.keys(en.violationKind) as ViolationKind[];
export const advisoryKinds = Object.keys(en.advisoryKind) as AdvisoryKind[];

export const violationKindLabel = (kind: ViolationKind): string => t(`violationKind.${kind}`);
export const advisoryKindLabel = (kind: AdvisoryKind): string => t(`advisoryKind.${kind}`);
/** Where the list does not say violation or advisory (the feed, a row): "Terminal offline". */
export const kindLabel = (kind: OccurrenceKind): string => t(`occurrenceKind.${kind}`);
export const zoneKindLabel = (kind: ZoneView['kind']): string => t(`zoneKind.${kind}`);

/** Kind → label, in the catalogue's order (what a filter offers). */
export function labelsOf<K extends string>(kinds: readonly K[], label: (kind: K) => string): Readonly<Record<K, string>> {
  return Object.fromEntries(kinds.map((k) => [k, label(k)])) as Record<K, string>;
}

/** A zone's rules in a few words, for its tooltip: "60 km/h · laden banned 22:00–06:00 (class 2.1, 3)". */
export function zoneRulesText(rules: ZoneView['rules']): string {
  if (rules === null) return '';
  const parts: string[] = [];
  if (rules.speedLimitKmh !== null) parts.push(t('map.speedLimit', { limit: rules.speedLimitKmh }));
  const classes = rules.hazardClasses === null ? '' : t('map.classes', { classes: rules.hazardClasses.join(', ') });
  if (rules.ladenBanned) parts.push(t('map.ladenBannedAlways', { classes }));
  else if (rules.bannedHours.length > 0) parts.push(t('map.ladenBannedHours', { hours: rules.bannedHours.map((w) => `${w.from}–${w.to}`).join(', '), classes }));
  return parts.join(' · ');
}

/**
 * A plate as the desk matches it: without the separators people write between the city letter and
 * the serial (`·`, `.`, `-`, spaces), full-width characters folded, upper case. `浙J·A6LXE`,
 * `浙JA6LXE`, `浙j a6lxe` and the full-width `浙Ｊ·Ａ６ＬＸＥ` of a Chinese keyboard all compare the same.
 */
export function plateSearchKey(text: string): string {
  return text.normalize('NFKC').replace(/[·•・.\-\s]/g, '').toUpperCase();
}

/**
 * The vehicles a typed plate (or part of one, at least two characters) finds: an exact plate or
 * vehicle id first, then plates containing it, in plate order.
 */
export function findByPlate<V extends { vehicleId: string; plateNo: string | null }>(typed: string, vehicles: readonly V[]): V[] {
  const key = plateSearchKey(typed);
  if (key.length < 2) return [];
  const exact = vehicles.filter((v) => (v.plateNo !== null && plateSearchKey(v.plateNo) === key) || plateSearchKey(v.vehicleId) === key);
  if (exact.length > 0) return exact;
  return vehicles
    .filter((v) => v.plateNo !== null && plateSearchKey(v.plateNo).includes(key))
    .sort((a, b) => ((a.plateNo as string) < (b.plateNo as string) ? -1 : 1));
}
