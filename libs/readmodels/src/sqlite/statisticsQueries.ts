import type { Database as Db, Statement } from 'better-sqlite3';
import { allHours, BEIJING_OFFSET_MS, beijingDate, cellCentre, type ReadModelStatistics } from '../statistics.ts';
import type { ViolationKind } from '../views.ts';

type Params = [from: number, to: number] | [carrierId: string, from: number, to: number];

const offset = String(BEIJING_OFFSET_MS);

/** The breakdowns' SQL, for a carrier's key (`scoped`: `carrier_id = ?` first) or all carriers; parameters: [carrierId,] fromMs, toMs. */
export function statisticsSql(scoped: boolean): Readonly<Record<'dayKind' | 'carrier' | 'hour' | 'cell' | 'segmentHour', string>> {
  const where = `${scoped ? 'carrier_id = ? AND ' : ''}started_ms >= ? AND started_ms < ?`;
  return {
    dayKind: `SELECT (started_ms + ${offset}) / 86400000 AS day, kind, count(*) FROM rm_violations WHERE ${where} GROUP BY day, kind ORDER BY day, kind`,
    // Grouped first, then joined: one carrier-view lookup per carrier, not per violation.
    carrier: `SELECT g.carrier_id, json_extract(c.json, '$.name'), g.n
      FROM (SELECT carrier_id, count(*) AS n FROM rm_violations WHERE ${where} GROUP BY carrier_id) AS g
      LEFT JOIN rm_carriers AS c ON c.carrier_id = g.carrier_id
      ORDER BY g.n DESC, g.carrier_id IS NULL, g.carrier_id`,
    hour: `SELECT ((started_ms + ${offset}) / 3600000) % 24 AS hour, count(*) FROM rm_violations WHERE ${where} GROUP BY hour`,
    // round(x) rounds halves away from zero, as cellIndex does in the memory adapter.
    cell: `SELECT round(json_extract(json, '$.lon') * 1000) AS x, round(json_extract(json, '$.lat') * 1000) AS y, count(*)
      FROM rm_violations WHERE ${where} GROUP BY x, y ORDER BY x IS NULL OR y IS NULL, x, y`,
    segmentHour: `SELECT json_extract(json, '$.zoneId') AS zone, max(json_extract(json, '$.zoneName')), ((started_ms + ${offset}) / 3600000) % 24 AS hour, count(*)
      FROM rm_advisories WHERE ${where} AND kind = 'segment-passage' AND json_extract(json, '$.laden') = 1 AND zone IS NOT NULL
      GROUP BY zone, hour ORDER BY zone, hour`,
  };
}

/**
 * The statistics page's aggregates in SQL: one grouped query per breakdown over the window of
 * start times, which the listings' indexes already serve (`…_by_start`, or `…_by_carrier` for a
 * carrier's key, both leading with `started_ms` after the carrier), so a request reads only the
 * window's rows and JavaScript only sees the groups. Fields that have no column of their own
 * (position, zone, laden) are read with json_extract from the rows in the window: no new column,
 * no schema change, and the window bounds the work.
 */
export class StatisticsQueries {
  readonly #all: Readonly<Record<keyof ReturnType<typeof statisticsSql>, Statement>>;
  readonly #scoped: Readonly<Record<keyof ReturnType<typeof statisticsSql>, Statement>>;

  constructor(db: Db) {
    const prepare = (scoped: boolean) => {
      const sql = statisticsSql(scoped);
      return { dayKind: db.prepare(sql.dayKind).raw(), carrier: db.prepare(sql.carrier).raw(), hour: db.prepare(sql.hour).raw(), cell: db.prepare(sql.cell).raw(), segmentHour: db.prepare(sql.segmentHour).raw() };
    };
    this.#all = prepare(false);
    this.#scoped = prepare(true);
  }

  run(carrierId: string | null, fromMs: number, toMs: number): ReadModelStatistics {
    const stmts = carrierId === null ? this.#all : this.#scoped;
    const params: Params = carrierId === null ? [fromMs, toMs] : [carrierId, fromMs, toMs];
    const dayKind = stmts.dayKind.all(params) as [number, ViolationKind, number][];
    const carriers = stmts.carrier.all(params) as [string | null, string | null, number][];
    const hours = stmts.hour.all(params) as [number, number][];
    const cells = stmts.cell.all(params) as [number | null, number | null, number][];
    const passages = stmts.segmentHour.all(params) as [string, string | null, number, number][];

    let unlocated = 0;
    const byCell: { lon: number; lat: number; count: number }[] = [];
    for (const [x, y, count] of cells) {
      if (x === null || y === null) unlocated += count;
      else byCell.push({ lon: cellCentre(x), lat: cellCentre(y), count });
    }
    return {
      byDayKind: dayKind.map(([day, kind, count]) => ({ day: beijingDate(day), kind, count })),
      byCarrier: carriers.map(([carrierId, name, count]) => ({ carrierId, name: typeof name === 'string' ? name : null, count })),
      byHour: allHours(new Map(hours)),
      byCell,
      unlocated,
      passagesBySegmentHour: passages.map(([zoneId, zoneName, hour, count]) => ({ zoneId, zoneName, hour, count })),
    };
  }
}
