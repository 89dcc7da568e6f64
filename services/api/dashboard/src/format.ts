/** Display formats for the desk: local time (the desk is in Taizhou), compact durations. */

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

export const violationTypeLabel: Readonly<Record<string, string>> = {
  'illegal-parking': 'Illegal parking',
  'accident-segment': 'Accident-prone segment',
};

export const zoneKindLabel: Readonly<Record<string, string>> = {
  'parking-lot': 'Dedicated lot',
  'chemical-park': 'Chemical park',
  'accident-segment': 'Accident-prone segment',
};
