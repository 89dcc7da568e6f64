import { assessCompliance, complianceWindow, defaultComplianceRules, type CarrierCompliance, type ComplianceRules } from './compliance.ts';
import type { ReadModelStore, Scope, ViolationQuery } from './port.ts';
import type { ViolationView } from './views.ts';

const PAGE = 500;

async function everyPage(store: ReadModelStore, query: Omit<ViolationQuery, 'cursor' | 'limit'>, into: ViolationView[]): Promise<void> {
  let cursor: string | undefined;
  do {
    const page = await store.violations({ ...query, limit: PAGE, ...(cursor === undefined ? {} : { cursor }) });
    into.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
}

/**
 * Reads what `assessCompliance` needs from the store (the open violations, and those started in
 * the window) under the caller's scope: a carrier asking about another carrier reads nothing and
 * gets a clean verdict, so callers answer 404 from `store.carrier(id, scope)` first.
 */
export async function loadCarrierCompliance(store: ReadModelStore, carrierId: string, scope: Scope, now: string, rules: ComplianceRules = defaultComplianceRules): Promise<CarrierCompliance> {
  const window = complianceWindow(now, rules);
  const rows: ViolationView[] = [];
  await everyPage(store, { scope, carrierId, status: 'open' }, rows);
  await everyPage(store, { scope, carrierId, from: window.from }, rows);
  return assessCompliance(carrierId, rows, now, rules);
}
