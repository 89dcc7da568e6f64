/**
 * The carriers' names (GET /v1/carriers), so the desk shows 台州某某危险品运输有限公司 rather than
 * C003 and finds a carrier by what people call it. Filled once the desk has asked; until then, and
 * for a carrier the register does not name, the id is shown.
 */
let names: ReadonlyMap<string, string> = new Map();

export function setCarrierNames(items: readonly { readonly carrierId: string; readonly name: string }[]): void {
  names = new Map(items.map((c) => [c.carrierId, c.name]));
}

/** A carrier as people read it: its registered name, else its id ("—" for none). */
export function carrierLabel(carrierId: string | null | undefined): string {
  if (carrierId === null || carrierId === undefined || carrierId === '') return '—';
  return names.get(carrierId) ?? carrierId;
}

/**
 * The carrier id a typed text means: an id as it is; else the one carrier whose name contains the
 * text (case and spaces aside); else the text as typed (the API then finds nothing, which says so).
 */
export function carrierIdFor(typed: string): string {
  const text = typed.trim();
  if (text === '' || names.has(text)) return text;
  const key = text.toLowerCase().replace(/\s+/g, '');
  const found = [...names].filter(([, name]) => name.toLowerCase().replace(/\s+/g, '').includes(key));
  return found.length === 1 ? (found[0] as [string, string])[0] : text;
}
