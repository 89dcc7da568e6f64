import { ApiError, errorFromBody } from './apiError.ts';
import type {
  AdvisoryView,
  AttachmentRef,
  CaseDetail,
  CaseStatus,
  CaseView,
  ComplianceView,
  ConsignmentView,
  CorrectiveAction,
  AcknowledgementView,
  DashboardConfig,
  DriverMessageView,
  FleetVehicle,
  LedgerView,
  Page,
  PlatformLinksView,
  StoredAttachment,
  TrackView,
  ViolationView,
  WhoAmI,
  ZoneView,
} from './views.ts';
import type { StatisticsTable, StatisticsView } from './statisticsView.ts';

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
  /** Six-digit county code, chemical park zone id, hazard class. */
  readonly county?: string;
  readonly park?: string;
  readonly hazardClass?: string;
}

/** Filters of GET /v1/cases (a carrier's key is scoped to its own cases by the API). */
export interface CaseFilter {
  readonly status?: CaseStatus;
  readonly kind?: string;
  readonly carrier?: string;
  readonly vehicle?: string;
  /** Six-digit county code. */
  readonly county?: string;
}

/** POST /v1/cases: a case from one or more violations of one vehicle. */
export interface OpenCaseRequest {
  readonly vehicleId: string;
  readonly carrierId: string;
  readonly kind: string;
  readonly violationIds: readonly string[];
  readonly window: { readonly from: string; readonly to: string };
  /** Where the violation took place (its lon/lat): gives the case its county. */
  readonly place?: { readonly lon: number; readonly lat: number };
}

export interface OnSiteCheckRequest {
  readonly officer: string;
  readonly checkedAt: string;
  readonly place: { readonly lon: number; readonly lat: number; readonly text?: string };
  readonly findings: string;
  readonly attachments: readonly AttachmentRef[];
}

export interface CarrierResponseRequest {
  readonly response: 'acknowledge' | 'appeal';
  readonly reasons?: string;
  readonly attachments: readonly AttachmentRef[];
}

export interface DispositionRequest {
  readonly disposition: 'penalised' | 'warned' | 'dismissed';
  readonly legalBasis?: string;
  readonly amountYuan?: number;
  readonly reason?: string;
  /** Instead of the catalogue's default for the case's kind; needs pointsReason. */
  readonly points?: number;
  readonly pointsReason?: string;
}

export interface CorrectiveActionRequest {
  readonly action: CorrectiveAction;
  readonly description: string;
  readonly attachments: readonly AttachmentRef[];
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

  /** A command: JSON in, JSON out; a refusal (400/403/404/409) is an ApiError with the API's message. */
  async send<T>(path: string, body: unknown, init: { contentType?: string } = {}): Promise<T> {
    let response: Response;
    try {
      response = await fetch(path, {
        method: 'POST',
        headers: this.headers({ 'content-type': init.contentType ?? 'application/json' }),
        body: init.contentType === undefined ? JSON.stringify(body) : (body as Blob),
        cache: 'no-store',
      });
    } catch {
      throw new ApiError('network', 'the API cannot be reached', 0);
    }
    let answer: unknown = null;
    try {
      answer = await response.json();
    } catch {
      if (response.ok) throw new ApiError('bad-response', `unreadable answer from ${path}`, response.status);
    }
    if (!response.ok) throw errorFromBody(response.status, answer);
    return answer as T;
  }

  /** A file's bytes with the key (never in a URL): for a download the page then offers as a blob. */
  async download(path: string): Promise<Blob> {
    let response: Response;
    try {
      response = await fetch(path, { headers: this.headers({ accept: '*/*' }), cache: 'no-store' });
    } catch {
      throw new ApiError('network', 'the API cannot be reached', 0);
    }
    if (!response.ok) {
      let body: unknown = null;
      try {
        body = await response.json();
      } catch {
        // Not the API's JSON error: the status says enough.
      }
      throw errorFromBody(response.status, body);
    }
    return response.blob();
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

  /** The vehicle's safety information code and its public scan path (/s/<code>). */
  vehicleCode(vehicleId: string): Promise<{ code: string; path: string }> {
    return this.get<{ code: string; path: string }>(`/v1/vehicles/${encodeURIComponent(vehicleId)}/code`);
  }

  /** The registered carriers by name (a carrier's key: itself). */
  async carriers(): Promise<{ carrierId: string; name: string }[]> {
    return (await this.get<{ items: { carrierId: string; name: string }[] }>('/v1/carriers')).items;
  }

  /** 0x8300 to the vehicle's driver (bureau): accepted once on the bus; the gateway holding the terminal sends it. */
  sendDriverMessage(vehicleId: string, message: { readonly text: string; readonly tts: boolean }): Promise<{ messageId: string }> {
    return this.send<{ messageId: string }>(`/v1/vehicles/${encodeURIComponent(vehicleId)}/messages`, message);
  }

  /** The vehicle's messages, newest first, with where each stands. */
  async driverMessages(vehicleId: string): Promise<DriverMessageView[]> {
    return (await this.get<{ items: DriverMessageView[] }>(`/v1/vehicles/${encodeURIComponent(vehicleId)}/messages`)).items;
  }

  /** 告警确认: records who took the alert in hand and the note; a 409 ApiError names who did first. */
  async acknowledgeAlert(alertId: string, vehicleId: string, note: string): Promise<AcknowledgementView> {
    return (await this.send<{ acknowledgement: AcknowledgementView }>(`/v1/alerts/${encodeURIComponent(alertId)}/acknowledgement`, { vehicleId, note })).acknowledgement;
  }

  /** Acknowledgements recorded since `since` (every desk's), newest first. */
  async acknowledgements(since: string): Promise<AcknowledgementView[]> {
    return (await this.get<{ items: AcknowledgementView[] }>('/v1/alerts/acknowledgements', { since })).items;
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

  cases(filter: CaseFilter, limit: number, cursor: string | null): Promise<Page<CaseView>> {
    return this.get<Page<CaseView>>('/v1/cases', { ...filter, limit, cursor });
  }

  caseDetail(caseId: string): Promise<CaseDetail> {
    return this.get<CaseDetail>(casePath(caseId));
  }

  async openCase(request: OpenCaseRequest): Promise<CaseView> {
    return (await this.send<{ case: CaseView }>('/v1/cases', request)).case;
  }

  assignCase(caseId: string, unit: string, officer: string): Promise<CaseView> {
    return this.#caseCommand(caseId, 'assign', { unit, officer });
  }

  /** Replays the case's vehicle over its window and freezes the run as evidence (can take a while). */
  freezeEvidence(caseId: string): Promise<CaseView> {
    return this.#caseCommand(caseId, 'evidence', {});
  }

  recordCheck(caseId: string, check: OnSiteCheckRequest): Promise<CaseView> {
    return this.#caseCommand(caseId, 'checks', check);
  }

  notifyCarrier(caseId: string, responseDeadline: string): Promise<CaseView> {
    return this.#caseCommand(caseId, 'notice', { responseDeadline });
  }

  respond(caseId: string, response: CarrierResponseRequest): Promise<CaseView> {
    return this.#caseCommand(caseId, 'response', response);
  }

  decideAppeal(caseId: string, outcome: 'upheld' | 'rejected', reasons: string): Promise<CaseView> {
    return this.#caseCommand(caseId, 'appeal-decision', { outcome, reasons });
  }

  dispose(caseId: string, disposition: DispositionRequest): Promise<CaseView> {
    return this.#caseCommand(caseId, 'disposition', disposition);
  }

  reopenCase(caseId: string, reason: string): Promise<CaseView> {
    return this.#caseCommand(caseId, 'reopen', { reason });
  }

  async #caseCommand(caseId: string, step: string, body: unknown): Promise<CaseView> {
    return (await this.send<{ case: CaseView }>(`${casePath(caseId)}/${step}`, body)).case;
  }

  /** POST /v1/attachments: the file's bytes as the body, with its media type. */
  upload(file: Blob): Promise<StoredAttachment> {
    return this.send<StoredAttachment>('/v1/attachments', file, { contentType: file.type });
  }

  /** A file the case cites (a check's photo, an appeal's document, an archived evidence report). */
  caseFile(caseId: string, sha256: string): Promise<Blob> {
    return this.download(`${casePath(caseId)}/attachments/${encodeURIComponent(sha256)}`);
  }

  /** GET /v1/cases/:id/evidence-pack: the signed pack (report, history, files, signature) as a tar. */
  evidencePack(caseId: string): Promise<Blob> {
    return this.download(`${casePath(caseId)}/evidence-pack`);
  }

  points(carrierId: string): Promise<LedgerView> {
    return this.get<LedgerView>(pointsPath(carrierId));
  }

  submitCorrectiveAction(carrierId: string, request: CorrectiveActionRequest): Promise<{ actionId: string; ledger: LedgerView }> {
    return this.send<{ actionId: string; ledger: LedgerView }>(`${pointsPath(carrierId)}/corrective-actions`, request);
  }

  clearPoints(carrierId: string, actionId: string, points: number): Promise<LedgerView> {
    return this.send<LedgerView>(`${pointsPath(carrierId)}/clear`, { actionId, points });
  }

  async zones(): Promise<readonly ZoneView[]> {
    return (await this.get<{ items: readonly ZoneView[] }>('/v1/zones')).items;
  }

  /** GET /v1/statistics over [from, to) (ISO; absent: the API's default of the last 30 days), or `table` of it as a CSV file. */
  statistics(window: { readonly from?: string; readonly to?: string }): Promise<StatisticsView>;
  statistics(window: { readonly from?: string; readonly to?: string }, table: StatisticsTable): Promise<Blob>;
  statistics(window: { readonly from?: string; readonly to?: string }, table?: StatisticsTable): Promise<StatisticsView | Blob> {
    if (table === undefined) return this.get<StatisticsView>('/v1/statistics', window);
    return this.download(withQuery(`/v1/statistics/${table}.csv`, window));
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

function casePath(caseId: string): string {
  return `/v1/cases/${encodeURIComponent(caseId)}`;
}

function pointsPath(carrierId: string): string {
  return `/v1/carriers/${encodeURIComponent(carrierId)}/points`;
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
