import type { Occurrence } from '@dgt/detection';

const severityRank: Readonly<Record<string, number>> = { high: 0, medium: 1, low: 2 };

/**
 * The rows to print when there are more than `limit`: the most severe, the longest of a severity
 * first (an open one counts as longest), then shown in the order they opened, numbered as in the CSV.
 */
export function mostImportant(rows: readonly Occurrence[], limit: number): { row: Occurrence; n: number }[] {
  const all = rows.map((row, i) => ({ row, n: i + 1 }));
  if (rows.length <= limit) return all;
  const dur = (o: Occurrence) => (o.durationS === null ? Number.POSITIVE_INFINITY : o.durationS);
  return all
    .sort((a, b) => (severityRank[a.row.severity] ?? 3) - (severityRank[b.row.severity] ?? 3) || dur(b.row) - dur(a.row) || a.n - b.n)
    .slice(0, limit)
    .sort((a, b) => a.n - b.n);
}
