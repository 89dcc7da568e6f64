import { consignmentEventTypes, positionEventTypes, productEventTypes, registryEventTypes, vehicleCodeEventTypes, zoneEventTypes, type FieldIssue } from '@dgt/events';
import type { Principal } from '@dgt/http';
import { BatchRegister } from './batchRegister.ts';
import { carrierScopeRefusal } from './carrierScope.ts';
import type { CheckedBatch, ItemResult, Rejection, RejectReason } from './checkBatch.ts';
import type { IngestibleEvent } from './eventRouting.ts';
import { RecentWaybills } from './recentWaybills.ts';
import { registerRefusal } from './registerRules.ts';
import type { RegistryView } from './registryView.ts';

/**
 * Closed set (metric labels): why a valid item was refused for the key that posted it.
 * `forbidden`: the key's role may not post this type (or, for a carrier's key, name another
 * carrier); `not_found`: a vehicle or waybill not of the key's carrier, answered as if unknown;
 * `plate_in_use`, `owner_change_needs_transfer`, `not_owner`: the register's rules.
 */
export const authorizationReasons = ['forbidden', 'not_found', 'plate_in_use', 'owner_change_needs_transfer', 'not_owner'] as const;

export interface Refusal {
  readonly reason: RejectReason;
  readonly errors: FieldIssue[];
}

/** Who posts, as far as items are concerned. */
type Poster = { readonly kind: 'ingest' } | { readonly kind: 'carrier'; readonly carrierId: string } | { readonly kind: 'registry' };

const positions = new Set<string>(positionEventTypes);
const consignments = new Set<string>(consignmentEventTypes);
const zones = new Set<string>(zoneEventTypes);
const registry = new Set<string>(registryEventTypes);
// Firms' products (一企一品一码) and the revocations of vehicles' codes are register data too:
// what a safety code shows, and whether it still counts, is the registry's word.
const products = new Set<string>([...productEventTypes, ...vehicleCodeEventTypes]);

/**
 * What each kind of key may post. The register decides what every carrier sees, so only a
 * `registry` key writes it. Zones are regulation, like the register: a registry key may post
 * them too (the stack loads its seeds — register and zones — with it), and so may an unscoped
 * ingest key, as before; a carrier's gateway may not.
 */
function typeAllowed(poster: Poster, type: string): boolean {
  // Nearly every item: a fix, which every key but a registry key posts (a compare, where the
  // sets hash each item's own copy of the type string).
  if (type === 'VehiclePositionReported' && poster.kind !== 'registry') return true;
  switch (poster.kind) {
    case 'ingest':
      return positions.has(type) || consignments.has(type) || zones.has(type);
    case 'carrier':
      return positions.has(type) || consignments.has(type);
    case 'registry':
      return registry.has(type) || zones.has(type) || products.has(type);
    default: {
      const never: never = poster;
      throw new Error(`unknown poster ${String(never)}`);
    }
  }
}

function forbiddenMessage(poster: Poster, type: string): string {
  if (products.has(type)) return `${type} events change the product register or safety codes and need a registry key (role registry)`;
  if (registry.has(type)) return `${type} events change the register and need a registry key (role registry); an ingest key never changes who owns a vehicle`;
  if (poster.kind === 'registry') return `a registry key posts the register (carriers, vehicles, transfers, products) and zones only; ${type} events need an ingest key`;
  if (poster.kind === 'carrier') return `a key of carrier ${poster.carrierId} (ingest:${poster.carrierId}) posts positions and consignment events of its own vehicles and waybills only; ${type} events need another key`;
  return `${type} events may not be posted with this key`;
}

function posterOf(principal: Principal): Poster | undefined {
  if (principal.role === 'registry') return { kind: 'registry' };
  if (principal.role !== 'ingest') return undefined;
  return principal.carrierId === undefined ? { kind: 'ingest' } : { kind: 'carrier', carrierId: principal.carrierId };
}

export interface AuthorizedBatch {
  readonly checked: CheckedBatch;
  /** Call once the accepted events are published: the gateway remembers the waybills it accepted. */
  remember(): void;
}

export interface ItemAuthorizerOptions {
  /** Needed as soon as a registry or carrier-scoped key is configured; unscoped ingest keys never ask it. */
  readonly view?: RegistryView;
  /** Transfers may not be dated further ahead of receipt than this (the gateway's skew for positions). */
  readonly maxFutureSkewS: number;
  readonly recent?: RecentWaybills;
}

/**
 * Checks each valid item of a batch against the key that posts it, after `checkBatch` (which
 * knows nothing of keys): a refused item is `rejected` with its reason, the rest of the batch
 * proceeds. An unscoped ingest key costs no lookup (a type check per item): the hot path of a
 * gateway posting fixes stays as fast as it was.
 */
export class ItemAuthorizer {
  readonly #recent: RecentWaybills;

  constructor(private readonly options: ItemAuthorizerOptions) {
    this.#recent = options.recent ?? new RecentWaybills();
  }

  async authorize(checked: CheckedBatch, principal: Principal, receivedMs: number): Promise<AuthorizedBatch> {
    const poster = posterOf(principal);
    if (poster === undefined) return { checked, remember: () => undefined };
    const needsRegister = poster.kind !== 'ingest';
    const view = this.options.view;
    if (needsRegister && view === undefined) throw new Error('a registry or carrier-scoped key needs the gateway to have a registry view (see app.ts)');
    const register = needsRegister && view !== undefined ? new BatchRegister(view, this.#recent, receivedMs) : undefined;

    // Copies of the batch's lists, made at the first refusal: nearly every batch has none.
    let results: ItemResult[] | undefined;
    let accepted: IngestibleEvent[] | undefined;
    let json: (string | undefined)[] | undefined;
    let idKeys: number[] | undefined;
    let rejections: Rejection[] | undefined;
    let k = 0;
    for (let n = 0; n < checked.results.length; n++) {
      const r = checked.results[n] as ItemResult;
      if (r.status !== 'accepted') {
        results?.push(r);
        continue;
      }
      const event = checked.accepted[k]!;
      const canonical = checked.json[k];
      const idKey = checked.idKeys[k++] as number;
      // Only keys that need the register wait for it: an unscoped ingest key's check is a type lookup.
      const refusal = register === undefined ? this.#typeRefusal(poster, event) : await this.#refusal(poster, event, register, receivedMs);
      if (refusal === undefined) {
        results?.push(r);
        accepted?.push(event);
        json?.push(canonical);
        idKeys?.push(idKey);
        continue;
      }
      if (results === undefined || accepted === undefined || json === undefined || idKeys === undefined || rejections === undefined) {
        results = checked.results.slice(0, n);
        accepted = checked.accepted.slice(0, k - 1);
        json = checked.json.slice(0, k - 1);
        idKeys = checked.idKeys.slice(0, k - 1);
        rejections = [...checked.rejections];
      }
      rejections.push({ type: event.type, reason: refusal.reason });
      results.push({ ...r, status: 'rejected', reason: refusal.reason, errors: refusal.errors });
    }
    if (results === undefined || accepted === undefined || json === undefined || idKeys === undefined || rejections === undefined) return { checked, remember: () => this.#remember(poster, checked.accepted, receivedMs) };
    const kept = accepted;
    return { checked: { results, accepted: kept, json, idKeys, rejections }, remember: () => this.#remember(poster, kept, receivedMs) };
  }

  #typeRefusal(poster: Poster, event: IngestibleEvent): Refusal | undefined {
    return typeAllowed(poster, event.type) ? undefined : { reason: 'forbidden', errors: [{ path: 'type', message: forbiddenMessage(poster, event.type) }] };
  }

  async #refusal(poster: Poster, event: IngestibleEvent, register: BatchRegister, receivedMs: number): Promise<Refusal | undefined> {
    const byType = this.#typeRefusal(poster, event);
    if (byType !== undefined) return byType;
    switch (event.type) {
      case 'CarrierRegistered':
      case 'VehicleRegistered':
      case 'VehicleTransferred':
        return registerRefusal(event, register, receivedMs, this.options.maxFutureSkewS);
      // Only a registry key gets here with a product or a code revocation (typeAllowed), and a
      // registry key may name any vehicle: a code revoked before the vehicle's registration arrives still counts.
      case 'ZoneDesignated':
      case 'ZoneWithdrawn':
      case 'ProductRegistered':
      case 'ProductCodeRevoked':
      case 'VehicleCodeRevoked':
        return undefined;
      default:
        return poster.kind === 'carrier' ? carrierScopeRefusal(event, poster.carrierId, register) : undefined;
    }
  }

  #remember(poster: Poster, accepted: readonly IngestibleEvent[], receivedMs: number): void {
    for (const e of accepted) {
      if (e.type === 'CarriageAssigned') this.#recent.remember(e.data.waybillNo, { carrierId: e.data.carrierId, kind: 'assigned', atMs: receivedMs });
      else if (e.type === 'ConsignmentDeclared' && poster.kind === 'carrier') this.#recent.remember(e.data.waybillNo, { carrierId: poster.carrierId, kind: 'declared', atMs: receivedMs });
    }
  }
}
