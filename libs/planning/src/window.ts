/** The stretch of time whose facts the aggregates count: [fromMs, toMs). The projection counts everything. */
export interface Window {
  readonly fromMs: number;
  readonly toMs: number;
}

export const wholeRecord: Window = Object.freeze({ fromMs: -Infinity, toMs: Infinity });

export function inWindow(ms: number, window: Window): boolean {
  return ms >= window.fromMs && ms < window.toMs;
}
