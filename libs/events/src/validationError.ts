export interface FieldIssue {
  /** Dotted path from the envelope root, e.g. `data.goods.0.unNumber`; empty for the whole value. */
  path: string;
  message: string;
}

/** Typed error for any event that does not satisfy the contract. */
export class EventValidationError extends Error {
  readonly code = 'EVENT_INVALID';
  constructor(readonly issues: readonly FieldIssue[]) {
    super(issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; '));
    this.name = 'EventValidationError';
  }
}

export function formatPath(path: readonly PropertyKey[]): string {
  return path.map((p) => String(p)).join('.');
}
