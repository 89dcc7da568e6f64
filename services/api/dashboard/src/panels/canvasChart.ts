import { init, type ECharts, type EChartsCoreOption } from 'echarts/core';

/*
 * One ECharts chart on canvas, for the statistics and planning views (each registers the chart
 * types it draws with `use` and gives its own base option). Canvas and rich-text tooltips keep to
 * the desk's CSP: no inline script, no inline style.
 */

/** The desk's ink, greys and fonts (styles.css), on the canvas. */
export const chartInk = '#1f2933';
export const chartMuted = '#5f6b7a';
export const chartLine = '#d5dae1';
export const chartFont = "system-ui, -apple-system, 'Segoe UI', 'PingFang SC', 'Microsoft YaHei', 'Noto Sans CJK SC', 'WenQuanYi Zen Hei', sans-serif";

/** A chart in `container`, drawn again on demand (a window resize, the view shown again). */
export class CanvasChart<O extends EChartsCoreOption> {
  #chart: ECharts | null = null;

  constructor(
    readonly container: HTMLElement,
    private readonly base: O,
  ) {}

  /** Draws `option` over the base (replacing the last one); the container must be laid out (shown) by now. */
  draw(option: O): void {
    this.#chart ??= init(this.container, null, { renderer: 'canvas' });
    this.#chart.setOption({ ...this.base, ...option }, { notMerge: true });
    this.container.dataset.drawn = 'true';
  }

  resize(): void {
    this.#chart?.resize();
  }

  dispose(): void {
    this.#chart?.dispose();
    this.#chart = null;
  }
}
