import { ApiError, errorFromBody } from './apiError.ts';
import type { AdvisoryView, ComplianceView, ConsignmentView, DashboardConfig, FleetVehicle, Page, PlatformLinksView, TrackView, ViolationView, WhoAmI, ZoneView } from './views.ts';

export type Query = Readonly<Record<string, string | number | boolean | undefined | null>>;

export interface FleetFilter {
  readonly carrier?: string;
  readonly laden?: boolean;
  readonly inViolation?: boolean;
}

/** Filters of GET /v1/violations and GET /v1/advisories (the same but for the kinds). */
export interface OccurrenceFilter {
  readonly kind?: string;
  readonly status?: string;
  readonly from?: string;
  readonly to?: string;
  readonly carrier?: string;
  readonly vehicle?: string;
}

/** Largest page the API serves for /v1/fleet. */
const fleetPageLimit = 5000;

/** Typed calls to /v1 with the key as a Bearer token; every failure is an ApiError. */
export class ApiClient {
  constructor(readonly apiKey: string) {}

  headers(extra: Record<string, string> = {}): Record<string, string> {
    return { authorization: `Bearer ${this.apiKey}`, accept: 'application/json', ...extra };
  }

  async get<T>(path: string, query: Query = {}, signal?: AbortSignal): Promise<T> {
    const url = withQuery(path, query);
    let response: Response;
    try {
      response = await fetch(url, { headers: this.headers(), cache: 'no-store', ...(signal ? { signal } : {}) });
    } catch (error) {
      if (signal?.aborted) throw error;
      throw new ApiError('network', 'the API cannot be reached', 0);
    }
    let body: unknown = null;
    try {
      body = await response.json();
    } catch {
      if (response.ok) throw new ApiError('bad-response', `unreadable answer from ${path}`, response.status);
    }
    if (!response.ok) throw errorFromBody(response.status, body);
    return body as T;
  }

  whoami(): Promise<WhoAmI> {
    return this.get<WhoAmI>('/dashboard-session.json');
  }

  /** Every page of the fleet, following nextCursor. */
  async fleet(filter: FleetFilter = {}, signal?: AbortSignal): Promise<FleetVehicle[]> {
    const all: FleetVehicle[] = [];
    let cursor: string | null = null;
    do {
      const page: Page<FleetVehicle> = await this.get<Page<FleetVehicle>>('/v1/fleet', { ...filter, limit: fleetPageLimit, cursor }, signal);
      all.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor !== null);
    return all;
  }

  vehicle(vehicleId: string): Promise<FleetVehicle> {
    return this.get<FleetVehicle>(`/v1/vehicles/${encodeURIComponent(vehicleId)}`);
  }

  track(vehicleId: string, from: string, to: string): Promise<TrackView> {
    return this.get<TrackView>(`/v1/vehicles/${encodeURIComponent(vehicleId)}/track`, { from, to });
  }

  violations(filter: OccurrenceFilter, limit: number, cursor: string | null): Promise<Page<ViolationView>> {
    return this.get<Page<ViolationView>>('/v1/violations', { ...filter, limit, cursor });
  }

  advisories(filter: OccurrenceFilter, limit: number, cursor: string | null): Promise<Page<AdvisoryView>> {
    return this.get<Page<AdvisoryView>>('/v1/advisories', { ...filter, limit, cursor });
  }

  consignment(waybillNo: string): Promise<ConsignmentView> {
    return this.get<ConsignmentView>(`/v1/consignments/${encodeURIComponent(waybillNo)}`);
  }

  compliance(carrierId: string): Promise<ComplianceView> {
    return this.get<ComplianceView>(`/v1/carriers/${encodeURIComponent(carrierId)}/compliance`);
  }

  platformLinks(): Promise<PlatformLinksView> {
    return this.get<PlatformLinksView>('/v1/platform-links');
  }

  async zones(): Promise<readonly ZoneView[]> {
    return (await this.get<{ items: readonly ZoneView[] }>('/v1/zones')).items;
  }
}

/** The public page settings (no key needed). */
export async function fetchDashboardConfig(): Promise<DashboardConfig> {
  try {
    const response = await fetch('/dashboard-config.json', { cache: 'no-store' });
    if (!response.ok) return { tileUrl: null };
    return (await response.json()) as DashboardConfig;
  } catch {
    return { tileUrl: null };
  }
}

export function withQuery(path: string, query: Query): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    params.set(name, String(value));
  }
  const text = params.toString();
  return text === '' ? path : `${path}?${text}`;
}
