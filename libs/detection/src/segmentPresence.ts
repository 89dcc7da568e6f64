import type { DetectionConfig } from './config.ts';
import type { Fix } from './fix.ts';

/** A segment the vehicle is in, and how many consecutive fixes it has been seen outside it. */
export interface Presence {
  zoneId: string;
  outside: number;
  firstOutside: Fix | null;
}

export interface SegmentStep {
  presences: readonly Presence[];
  entered: readonly string[];
  exited: readonly { zoneId: string; at: Fix }[];
}

const none: readonly never[] = Object.freeze([]);

/**
 * Entering is immediate; leaving takes `segmentExitFixes` consecutive fixes outside, dated at the
 * first of them, so a single stray fix or jitter along the edge does not split one passage in two.
 * `inside` is sorted, so the emitted order is deterministic.
 */
export function evolveSegments(presences: readonly Presence[], inside: readonly string[], fix: Fix, cfg: DetectionConfig): SegmentStep {
  if (presences.length === 0 && inside.length === 0) return { presences, entered: none, exited: none };
  let entered: string[] | null = null;
  let exited: { zoneId: string; at: Fix }[] | null = null;
  const next: Presence[] = [];
  for (const p of presences) {
    if (inside.includes(p.zoneId)) {
      next.push(p.outside === 0 ? p : { zoneId: p.zoneId, outside: 0, firstOutside: null });
      continue;
    }
    const outside = p.outside + 1;
    const firstOutside = p.firstOutside ?? fix;
    if (outside >= cfg.segmentExitFixes) (exited ??= []).push({ zoneId: p.zoneId, at: firstOutside });
    else next.push({ zoneId: p.zoneId, outside, firstOutside });
  }
  for (const zoneId of inside) {
    if (presences.some((p) => p.zoneId === zoneId)) continue;
    (entered ??= []).push(zoneId);
    next.push({ zoneId, outside: 0, firstOutside: null });
  }
  next.sort((a, b) => (a.zoneId < b.zoneId ? -1 : a.zoneId > b.zoneId ? 1 : 0));
  return { presences: next, entered: entered ?? none, exited: exited ?? none };
}
