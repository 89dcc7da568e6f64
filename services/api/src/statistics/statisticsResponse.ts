import { carrierCount, dayKindCount, hourCount, segmentHourCount, type ReadModelStatistics } from '@dgt/readmodels';
import { z } from 'zod';
import type { CountyCounter } from './countyCounts.ts';
import { type StatisticsWindow, windowDays } from './statisticsWindow.ts';

const count = z.number().int().min(0);

export const countyCount = z.object({ code: z.string(), name: z.string(), nameEn: z.string(), count });

export const statisticsResponse = z
  .object({
    window: z
      .object({
        from: z.string().meta({ description: 'Start of the window, inclusive (Beijing time)' }),
        to: z.string().meta({ description: 'End of the window, exclusive (Beijing time)' }),
        days: z.array(z.string()).meta({ description: 'Every Beijing date (YYYY-MM-DD) the window touches, oldest first' }),
      })
      .meta({ description: 'Violations and passages that started in [from, to); days and hours are Beijing time (UTC+8)' }),
    totals: z.object({ violations: count, ladenPassages: count }),
    byDayKind: z.array(dayKindCount).meta({ description: 'Violations per Beijing day and kind (non-zero cells only), by day then kind' }),
    byCounty: z
      .object({
        available: z.boolean().meta({ description: 'false: no county boundaries configured (API_COUNTIES_FILE), items empty' }),
        items: z.array(countyCount).meta({ description: 'Every county, most violations first' }),
        outside: count.meta({ description: 'Violations with a position in no county (at sea, outside Taizhou)' }),
        unlocated: count.meta({ description: 'Violations without a position' }),
      })
      .meta({ description: 'Violations per county, each counted where it started (by ~100 m cells)' }),
    byCarrier: z.array(carrierCount).meta({ description: 'Violations per carrier, most first (a carrier key: its own only)' }),
    byHour: z.array(hourCount).meta({ description: 'Violations per Beijing hour of day, 0–23' }),
    passagesBySegmentHour: z.array(segmentHourCount).meta({ description: 'Laden passages of accident-prone segments per segment and Beijing hour (non-zero only)' }),
  })
  .meta({ description: 'The statistics page: violations by day and kind, county, carrier and hour; laden segment passages by hour' });

export type StatisticsResponse = z.infer<typeof statisticsResponse>;

/** The store's aggregates as the API answers them: the window's days, totals, counties named. */
export function statisticsBody(window: StatisticsWindow, stats: ReadModelStatistics, counter: CountyCounter | undefined): StatisticsResponse {
  const violations = stats.byHour.reduce((n, h) => n + h.count, 0);
  const counties = counter?.breakdown(stats.byCell);
  return {
    window: { from: window.from, to: window.to, days: windowDays(window) },
    totals: { violations, ladenPassages: stats.passagesBySegmentHour.reduce((n, p) => n + p.count, 0) },
    byDayKind: [...stats.byDayKind],
    byCounty:
      counties === undefined
        ? { available: false, items: [], outside: 0, unlocated: stats.unlocated }
        : { available: true, items: [...counties.items], outside: counties.outside, unlocated: stats.unlocated },
    byCarrier: [...stats.byCarrier],
    byHour: [...stats.byHour],
    passagesBySegmentHour: [...stats.passagesBySegmentHour],
  };
}
