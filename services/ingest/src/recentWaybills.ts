/**
 * Waybills this gateway accepted lately for a carrier, to cover the moment before the projector
 * has them (see `RegistryView`): a carrier's gateway that declares a waybill, assigns it and
 * reports it loaded in three requests a few milliseconds apart must not be told "not found".
 *
 * - `assigned` facts (a CarriageAssigned accepted) are trusted over the read models for
 *   `assignedTtlMs` only: after that the projector has them, and may know of a later assignment.
 * - `declared` facts (a ConsignmentDeclared accepted from a carrier's key) say who may assign a
 *   waybill that has no carrier yet; the read models cannot tell (a declaration names no carrier).
 * Bounded: the oldest facts are forgotten first; a restarted gateway knows none (a carrier's
 * gateway then posts a waybill's declaration and assignment in one request).
 */
export interface WaybillFact {
  readonly carrierId: string;
  readonly kind: 'declared' | 'assigned';
  readonly atMs: number;
}

export class RecentWaybills {
  readonly #facts = new Map<string, WaybillFact>();

  constructor(
    private readonly capacity = 100_000,
    private readonly assignedTtlMs = 60_000,
  ) {}

  /** The carrier a fresh assignment gave the waybill, or undefined. */
  assignedTo(waybillNo: string, nowMs: number): string | undefined {
    const f = this.#facts.get(waybillNo);
    return f !== undefined && f.kind === 'assigned' && nowMs - f.atMs <= this.assignedTtlMs ? f.carrierId : undefined;
  }

  /** The carrier whose key declared the waybill here, or undefined. */
  declaredBy(waybillNo: string): string | undefined {
    const f = this.#facts.get(waybillNo);
    return f?.kind === 'declared' ? f.carrierId : undefined;
  }

  remember(waybillNo: string, fact: WaybillFact): void {
    if (this.capacity === 0) return;
    this.#facts.delete(waybillNo);
    this.#facts.set(waybillNo, fact);
    // A Map iterates in insertion order: the first key is the oldest.
    while (this.#facts.size > this.capacity) this.#facts.delete(this.#facts.keys().next().value as string);
  }
}
