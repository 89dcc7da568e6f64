import { BarChart, LineChart, type BarSeriesOption, type LineSeriesOption } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent, type GridComponentOption, type LegendComponentOption, type TooltipComponentOption } from 'echarts/components';
import { use, type ComposeOption } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { CanvasChart, chartFont, chartInk, chartLine, chartMuted } from '../canvasChart.ts';

/*
 * The planning view's charts (Apache ECharts, loaded with the view's first data like the
 * statistics charts): bars and lines on a grid, a legend and a rich-text tooltip, on canvas — no
 * inline style or script, as the desk's CSP asks. Every word comes in from the page (translated).
 */
use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

export type PlanningChartOption = ComposeOption<BarSeriesOption | LineSeriesOption | GridComponentOption | LegendComponentOption | TooltipComponentOption>;


export const colours = { mean: '#1971c2', peak: '#e8590c', capacity: '#2f9e44', dwell: '#7048e8', passages: '#c92a2a', trend: '#1d4ed8' } as const;

const base = {
  animation: false,
  textStyle: { color: chartInk, fontFamily: chartFont, fontSize: 12 },
  tooltip: { renderMode: 'richText', confine: true, trigger: 'axis' },
} satisfies PlanningChartOption;

const valueAxis = { type: 'value', axisLabel: { color: chartMuted }, splitLine: { lineStyle: { color: chartLine } } } as const;
const countAxis = { ...valueAxis, minInterval: 1 } as const;

/** A chart in `container`, drawn again on demand (a window resize, the view shown again). */
export class PlanningChart extends CanvasChart<PlanningChartOption> {
  constructor(container: HTMLElement) {
    super(container, base);
  }
}

export interface LotHoursSeries {
  readonly hours: readonly string[];
  readonly mean: readonly number[];
  readonly peak: readonly number[];
  /** Drawn as a flat line across the day; null when the lot declares none. */
  readonly capacity: number | null;
  readonly names: { readonly mean: string; readonly peak: string; readonly capacity: string };
}

/** Mean and peak vehicles inside by Beijing hour of day, the capacity as a dashed line over them. */
export function lotHoursOption(s: LotHoursSeries): PlanningChartOption {
  const series: (BarSeriesOption | LineSeriesOption)[] = [
    { type: 'bar', name: s.names.mean, data: [...s.mean], itemStyle: { color: colours.mean }, barMaxWidth: 14 },
    { type: 'bar', name: s.names.peak, data: [...s.peak], itemStyle: { color: colours.peak }, barMaxWidth: 14 },
  ];
  if (s.capacity !== null) {
    series.push({ type: 'line', name: s.names.capacity, data: s.hours.map(() => s.capacity), symbol: 'none', step: 'middle', lineStyle: { color: colours.capacity, type: 'dashed', width: 2 }, itemStyle: { color: colours.capacity } });
  }
  return {
    grid: { left: 36, right: 12, top: 32, bottom: 24 },
    legend: { top: 0, textStyle: { color: chartInk } },
    xAxis: { type: 'category', data: [...s.hours], axisLabel: { color: chartMuted, hideOverlap: true } },
    yAxis: valueAxis,
    series,
  };
}

/**
 * Bars, one per class: the hours of the day (labels thinned to fit), or a few classes each labelled
 * (`everyLabel`: dwell times, wrapped onto two lines where they are long).
 */
export function barsOption(labels: readonly string[], values: readonly number[], name: string, colour: string, everyLabel = false): PlanningChartOption {
  const axisLabel = everyLabel ? { color: chartMuted, interval: 0, width: 72, overflow: 'break' as const, lineHeight: 14 } : { color: chartMuted, hideOverlap: true };
  return {
    grid: { left: 36, right: 12, top: 16, bottom: everyLabel ? 40 : 24, containLabel: false },
    xAxis: { type: 'category', data: [...labels], axisLabel },
    yAxis: countAxis,
    series: [{ type: 'bar', name, data: [...values], itemStyle: { color: colour }, barMaxWidth: 28 }],
  };
}

/** A trend line, one point per week (named by its Monday). */
export function trendOption(labels: readonly string[], values: readonly number[], name: string): PlanningChartOption {
  return {
    grid: { left: 36, right: 16, top: 16, bottom: 24 },
    xAxis: { type: 'category', data: [...labels], boundaryGap: false, axisLabel: { color: chartMuted, hideOverlap: true } },
    yAxis: countAxis,
    series: [{ type: 'line', name, data: [...values], symbolSize: 6, lineStyle: { color: colours.trend, width: 2 }, itemStyle: { color: colours.trend } }],
  };
}
