import { detectionCatalogue, isViolationKind } from '@dgt/detection';

/**
 * The points a disposed case of `kind` records unless overridden: the violation catalogue's
 * `defaultPoints`, the one place that weighs kinds. 0 for a kind the catalogue no longer has (a
 * case recorded by an older build): an officer then states the points, with a reason.
 */
export function defaultPointsOf(kind: string): number {
  return isViolationKind(kind) ? detectionCatalogue[kind].defaultPoints : 0;
}
