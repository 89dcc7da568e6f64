import { BarChart, HeatmapChart, type BarSeriesOption, type HeatmapSeriesOption } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent, VisualMapContinuousComponent, type GridComponentOption, type LegendComponentOption, type TooltipComponentOption, type VisualMapComponentOption } from 'echarts/components';
import { use, type ComposeOption } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { CanvasChart, chartFont, chartInk, chartLine, chartMuted } from './canvasChart.ts';

/*
 * The statistics page's charts, drawn by Apache ECharts with only the parts used registered (bars,
 * a heatmap, grid, legend, tooltip, a continuous colour scale; the canvas renderer), so the bundle
 * carries no more of ECharts than that. Canvas and a rich-text tooltip (drawn on the canvas, not
 * built as HTML with inline styles) keep to the desk's CSP: no inline script, no inline style.
 */
use([BarChart, HeatmapChart, GridComponent, LegendComponent, TooltipComponent, VisualMapContinuousComponent, CanvasRenderer]);

export type ChartOption = ComposeOption<BarSeriesOption | HeatmapSeriesOption | GridComponentOption | LegendComponentOption | TooltipComponentOption | VisualMapComponentOption>;


/** One colour per violation kind, the same on every chart and day; red first for the kind most often seen. */
export const kindColours = ['#c92a2a', '#7048e8', '#e8590c', '#1971c2', '#868e96', '#2b8a3e'] as const;

const base = {
  animation: false,
  textStyle: { color: chartInk, fontFamily: chartFont, fontSize: 12 },
  tooltip: { renderMode: 'richText', confine: true },
} satisfies ChartOption;

const valueAxis = { type: 'value', minInterval: 1, axisLabel: { color: chartMuted }, splitLine: { lineStyle: { color: chartLine } } } as const;
const categoryAxisLabel = { color: chartMuted, hideOverlap: true } as const;

/** A chart in `container`, drawn again on demand (a window resize, the view shown again). */
export class StatisticsChart extends CanvasChart<ChartOption> {
  constructor(container: HTMLElement) {
    super(container, base);
  }
}

/** Stacked bars: one bar per day, a segment per kind (kinds with no violation in the window are left out of the legend). */
export function dailyOption(days: readonly string[], series: readonly { name: string; colour: string; counts: readonly number[] }[]): ChartOption {
  const step = Math.max(1, Math.ceil(days.length / 16));
  return {
    grid: { left: 40, right: 16, top: 36, bottom: 28 },
    legend: { top: 0, type: 'scroll', textStyle: { color: chartInk } },
    tooltip: { ...base.tooltip, trigger: 'axis' },
    // Every `step`-th day labelled counting back from the last, so the newest day always has its date under it.
    xAxis: { type: 'category', data: days.map((d) => d.slice(5)), axisLabel: { color: chartMuted, interval: (index: number) => (days.length - 1 - index) % step === 0 } },
    yAxis: valueAxis,
    series: series.map((s) => ({ type: 'bar', name: s.name, stack: 'violations', data: [...s.counts], itemStyle: { color: s.colour }, barMaxWidth: 28 })),
  };
}

/** Horizontal bars, largest on top: counties, carriers. */
export function rankedOption(rows: readonly { label: string; count: number }[], colour: string): ChartOption {
  const top = [...rows].reverse();
  return {
    grid: { left: 8, right: 32, top: 8, bottom: 20, containLabel: true },
    tooltip: { ...base.tooltip, trigger: 'axis', axisPointer: { type: 'shadow' } },
    xAxis: valueAxis,
    yAxis: { type: 'category', data: top.map((r) => r.label), axisLabel: { color: chartInk, width: 180, overflow: 'truncate' } },
    series: [{ type: 'bar', data: top.map((r) => r.count), itemStyle: { color: colour }, barMaxWidth: 22, label: { show: true, position: 'right', color: chartInk } }],
  };
}

/** Bars for the 24 hours of the day. */
export function hoursOption(hourLabels: readonly string[], counts: readonly number[], colour: string): ChartOption {
  return {
    grid: { left: 40, right: 16, top: 16, bottom: 28 },
    tooltip: { ...base.tooltip, trigger: 'axis' },
    xAxis: { type: 'category', data: [...hourLabels], axisLabel: { ...categoryAxisLabel, interval: 0 } },
    yAxis: valueAxis,
    series: [{ type: 'bar', data: [...counts], itemStyle: { color: colour }, barMaxWidth: 24 }],
  };
}

/** A heatmap: a row per segment, a column per hour, darker where more laden vehicles passed. */
export function segmentsOption(hourLabels: readonly string[], segments: readonly string[], cells: readonly (readonly [hour: number, segment: number, count: number])[]): ChartOption {
  const max = Math.max(1, ...cells.map((c) => c[2]));
  return {
    grid: { left: 8, right: 16, top: 8, bottom: 64, containLabel: true },
    tooltip: { ...base.tooltip, trigger: 'item' },
    xAxis: { type: 'category', data: [...hourLabels], splitArea: { show: true }, axisLabel: { ...categoryAxisLabel, interval: 0 } },
    yAxis: { type: 'category', data: [...segments], splitArea: { show: true }, axisLabel: { color: chartInk, width: 180, overflow: 'truncate' } },
    visualMap: { type: 'continuous', min: 0, max, text: [String(max), '0'], calculable: false, orient: 'horizontal', left: 'center', bottom: 0, itemHeight: 120, inRange: { color: ['#fff5f5', '#ffa8a8', '#c92a2a'] }, textStyle: { color: chartMuted } },
    series: [{ type: 'heatmap', data: cells.map((c) => [...c]), label: { show: true, color: chartInk, formatter: (p) => (Array.isArray(p.value) && p.value[2] !== 0 ? String(p.value[2]) : '') } }],
  };
}
