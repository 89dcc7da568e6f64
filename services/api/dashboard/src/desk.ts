import 'leaflet/dist/leaflet.css';
import type L from 'leaflet';
import { ApiClient } from './api/apiClient.ts';
import { ApiError } from './api/apiError.ts';
import { AlertStream } from './api/alertStream.ts';
import type { AlertView, CountyName, DashboardConfig, FleetVehicle, ViolationView, WhoAmI } from './api/views.ts';
import { el } from './element.ts';
import { findByPlate, formatClock, timeZoneLabel, zoneKindLabel } from './format.ts';
import type { Language } from './i18n/language.ts';
import { t } from './i18n/translate.ts';
import { languageSwitch } from './panels/languageSwitch.ts';
import { PlateSearch } from './panels/plateSearch.ts';
import { ViolationNotice } from './panels/violationNotice.ts';
import { createDeskMap } from './map/deskMap.ts';
import { addMapContext } from './map/mapContext.ts';
import { setCarrierNames } from './carrierNames.ts';
import { TrackLayer } from './map/trackLayer.ts';
import { VehicleMarkers } from './map/vehicleMarkers.ts';
import { ZoneLayers, type ZoneCounts } from './map/zoneLayers.ts';
import { AlertFeed, isEnding } from './panels/alertFeed.ts';
import { CompliancePanel } from './panels/compliancePanel.ts';
import { StatusBanner } from './panels/statusBanner.ts';
import { VehiclePanel } from './panels/vehiclePanel.ts';
import { OccurrencesPanel } from './panels/occurrencesPanel.ts';
import { PlatformLinksPanel } from './panels/platformLinksPanel.ts';
import { CasesView } from './panels/casesView.ts';
import { PointsPage } from './panels/pointsPage.ts';
import { StatisticsPage } from './panels/statisticsPage.ts';
import { PlanningPage } from './panels/planning/planningPage.ts';

/** The desk's views: the live map and tables, the cases, the points ledger, the statistics, the planning. */
type View = 'desk' | 'cases' | 'points' | 'statistics' | 'planning';

/** Fleet refresh period; alerts trigger an immediate refresh too. */
const pollMs = 5000;

export interface DeskOptions {
  readonly apiKey: string;
  readonly config: DashboardConfig;
  readonly whoami: WhoAmI;
  /** The key was refused mid-session: back to the login with this message. */
  readonly onSignedOut: (message: string | null) => void;
  /** The header's language switch was used: the desk is built again in that language. */
  readonly onLanguage: (language: Language) => void;
}

/** The monitoring desk: map, alert feed, vehicle panel, violations and compliance, wired together. */
export class Desk {
  readonly element: HTMLElement;
  readonly #api: ApiClient;
  readonly #banner = new StatusBanner();
  readonly #vehicleCount = el('span', { class: 'stat', 'data-testid': 'vehicle-count', 'data-count': '0' }, t('header.vehicles', { count: 0, laden: 0 }));
  readonly #updated = el('span', { class: 'stat muted', 'data-testid': 'fleet-updated' }, t('header.notUpdated'));
  readonly #legend = el('ul', { class: 'legend', 'aria-label': t('map.legend'), 'data-testid': 'zone-legend' });
  readonly #mapContainer = el('div', { class: 'map', id: 'map', 'data-testid': 'map', role: 'region', 'aria-label': t('map.region') });
  #map: L.Map | null = null;
  #markers: VehicleMarkers | null = null;
  #zones: ZoneLayers | null = null;
  #track: TrackLayer | null = null;
  readonly #feed: AlertFeed;
  readonly #vehiclePanel: VehiclePanel;
  readonly #occurrences: OccurrencesPanel;
  readonly #compliance: CompliancePanel;
  /** Bureau and enforcement only: null for a carrier's desk. */
  readonly #links: PlatformLinksPanel | null;
  readonly #stream: AlertStream;
  readonly #grid: HTMLElement;
  readonly #cases: CasesView;
  readonly #points: PointsPage;
  readonly #pointsView: HTMLElement;
  readonly #statistics: StatisticsPage;
  /** Bureau, enforcement and planners only: null for a carrier's desk. */
  readonly #planning: PlanningPage | null;
  readonly #nav: Record<View, HTMLButtonElement>;
  #view: View = 'desk';
  #fleet: FleetVehicle[] = [];
  readonly #plateSearch: PlateSearch;
  readonly #notice: ViolationNotice;
  #pollTimer: ReturnType<typeof setTimeout> | null = null;
  #refreshing: Promise<void> | null = null;
  #refreshAgain = false;
  #fitted = false;
  #closed = false;
  #counties: readonly CountyName[] = [];
  #parks: readonly { readonly zoneId: string; readonly name: string }[] = [];

  constructor(private readonly options: DeskOptions) {
    this.#api = new ApiClient(options.apiKey);
    const select = (vehicleId: string): void => this.selectVehicle(vehicleId);
    const onError = (error: unknown): void => this.#handleError(error);
    this.#notice = new ViolationNotice(storageOrNull());
    this.#feed = new AlertFeed(
      select,
      this.#notice.element,
      opensCases(options.whoami)
        ? { acknowledge: (alert, note) => this.#api.acknowledgeAlert(alert.alertId, alert.vehicleId, note), openCase: (alert) => this.#openCaseFromAlert(alert) }
        : null,
      seesPlatformLinks(options.whoami),
    );
    this.#vehiclePanel = new VehiclePanel(this.#api, {
      showTrack: (points) => {
        const bounds = this.#track?.show(points) ?? null;
        if (bounds !== null) this.#map?.fitBounds(bounds.pad(0.2), { maxZoom: 15, animate: false });
      },
      showHead: (point) => this.#track?.showHead(point),
      showMarks: (marks) => this.#track?.showMarks(marks),
      onError,
      onClose: () => this.selectVehicle(null),
      now: () => new Date(),
      messages: opensCases(options.whoami) ? 'send' : 'list',
      safetyCodes: options.config.safetyCodes === true,
    });
    // A plate typed in the Vehicle filter, any spelling, means the vehicle that has it (on the map).
    const resolveVehicle = (typed: string): string => {
      const found = findByPlate(typed, this.#fleet);
      return found.length === 1 ? (found[0] as FleetVehicle).vehicleId : typed;
    };
    this.#occurrences = new OccurrencesPanel(this.#api, select, onError, {
      ...(opensCases(options.whoami) ? { openCase: (v: ViolationView) => this.#openCaseFrom(v) } : {}),
      resolveVehicle,
    });
    this.#plateSearch = new PlateSearch(
      () => this.#fleet,
      (vehicleId) => {
        this.showView('desk');
        this.selectVehicle(vehicleId);
      },
    );
    this.#cases = new CasesView(this.#api, options.whoami, { onShowPoints: (carrierId) => this.showView('points', carrierId), onError });
    this.#points = new PointsPage(this.#api, { whoami: options.whoami, onError });
    this.#pointsView = el('div', { class: 'points-view', 'data-testid': 'points-view' }, this.#points.element);
    this.#statistics = new StatisticsPage(this.#api, { whoami: options.whoami, onError });
    this.#planning = seesPlanning(options.whoami) ? new PlanningPage(this.#api, { config: options.config, onError }) : null;
    this.#compliance = new CompliancePanel(this.#api, { onError, onShowViolations: (carrier) => this.#occurrences.showViolations({ carrier }) });
    this.#links = seesPlatformLinks(options.whoami) ? new PlatformLinksPanel(this.#api, onError) : null;
    this.#stream = new AlertStream(options.apiKey, {
      onAlert: (alert) => {
        if (this.#feed.add(alert) && alert.category === 'violation' && !isEnding(alert)) this.#notice.violation();
        this.refreshSoon();
        // Only a violation changes compliance; an advisory only its own list.
        this.#occurrences.refresh(alert.category);
        if (alert.category === 'violation') void this.#compliance.load();
        if (alert.vehicleId === this.#vehiclePanel.vehicleId) void this.#vehiclePanel.refresh();
      },
      onStatus: (status) => {
        this.#feed.setStatus(status);
        this.#banner.set('stream', status === 'reconnecting' ? t('banner.streamInterrupted') : null);
      },
      onUnauthenticated: () => this.#signOut(t('banner.streamRefused')),
    });

    const navButton = (view: View, label: string): HTMLButtonElement => {
      const button = el('button', { type: 'button', class: 'nav-button', 'data-testid': `nav-${view}` }, label);
      button.addEventListener('click', () => this.showView(view));
      return button;
    };
    const own = options.whoami.carrierId !== null;
    this.#nav = {
      desk: navButton('desk', t('header.navDesk')),
      cases: navButton('cases', own ? t('header.navMyCases') : t('header.navCases')),
      points: navButton('points', own ? t('header.navMyPoints') : t('header.navPoints')),
      statistics: navButton('statistics', t('statistics.nav')),
      planning: navButton('planning', t('planning.nav')),
    };
    this.#grid = el(
      'main',
      { class: 'desk-grid' },
      el('div', { class: 'map-area' }, this.#mapContainer, this.#legend),
      el('div', { class: 'side' }, this.#feed.element, this.#vehiclePanel.element),
      el('div', { class: 'bottom' }, this.#occurrences.element, el('div', { class: 'bottom-side' }, this.#compliance.element, this.#links?.element)),
    );
    const signOut = el('button', { type: 'button', class: 'sign-out', 'data-testid': 'sign-out' }, t('header.signOut'));
    signOut.addEventListener('click', () => this.#signOut(null));
    this.element = el(
      'div',
      { class: 'desk', 'data-testid': 'desk' },
      el(
        'header',
        { class: 'desk-header' },
        el('h1', {}, t('app.title')),
        el('span', { class: 'role-scope', 'data-testid': 'role-scope', title: t('header.scopeTitle') }, scopeText(options.whoami)),
        el('nav', { class: 'desk-nav', 'aria-label': t('header.views') }, ...navViews(options.whoami).map((view) => this.#nav[view])),
        this.#plateSearch.element,
        this.#vehicleCount,
        this.#updated,
        el('span', { class: 'stat muted time-zone', 'data-testid': 'time-zone', title: t('header.timesTitle') }, t('header.times', { zone: timeZoneLabel() })),
        el('div', { class: 'header-end' }, languageSwitch(options.onLanguage), signOut),
      ),
      this.#banner.element,
      this.#grid,
      this.#cases.element,
      this.#pointsView,
      this.#statistics.element,
      this.#planning?.element,
    );
    if (plansOnly(options.whoami)) {
      // A planner's desk is the planning view alone: no fleet to count or search.
      this.#view = 'planning';
      for (const fleetOnly of [this.#plateSearch.element, this.#vehicleCount, this.#updated]) fleetOnly.hidden = true;
    }
    this.#markView();
  }

  /** Switches between the live desk, the cases and the points (a carrier's own, or `carrierId`'s). */
  showView(view: View, carrierId?: string): void {
    this.#view = view;
    this.#markView();
    if (view === 'desk') {
      // Leaflet measured a hidden container as 0×0: measure again now it is shown.
      this.#map?.invalidateSize({ animate: false });
    } else if (view === 'cases') {
      this.#cases.refresh();
    } else if (view === 'statistics') {
      this.#statistics.show();
    } else if (view === 'planning') {
      this.#planning?.show();
    } else {
      void this.#points.show(carrierId ?? this.options.whoami.carrierId);
    }
  }

  /** Opens the case page of `caseId` in the cases view. */
  showCase(caseId: string): void {
    this.showView('cases');
    void this.#cases.open(caseId);
  }

  #markView(): void {
    this.#grid.hidden = this.#view !== 'desk';
    this.#cases.element.hidden = this.#view !== 'cases';
    this.#pointsView.hidden = this.#view !== 'points';
    this.#statistics.element.hidden = this.#view !== 'statistics';
    if (this.#planning !== null) this.#planning.element.hidden = this.#view !== 'planning';
    document.body.dataset.deskView = this.#view;
    for (const [name, button] of Object.entries(this.#nav)) {
      button.setAttribute('aria-current', String(name === this.#view));
      button.classList.toggle('nav-selected', name === this.#view);
    }
  }

  /** 立案 from a violation row: one violation, its vehicle and carrier, from the breach's start to its end (or now). */
  async #openCaseFrom(v: ViolationView): Promise<void> {
    if (v.carrierId === null) throw new Error(t('occurrences.noCarrier'));
    const opened = await this.#api.openCase({
      vehicleId: v.vehicleId,
      carrierId: v.carrierId,
      kind: v.kind,
      violationIds: [v.violationId],
      window: { from: v.since, to: v.endedAt ?? new Date().toISOString() },
      ...(v.lon !== null && v.lat !== null ? { place: { lon: v.lon, lat: v.lat } } : {}),
    });
    this.showCase(opened.caseId);
  }

  /** 立案 from a violation in the live feed: the violation as listed (its start, place and carrier), then as from its row. */
  async #openCaseFromAlert(alert: AlertView): Promise<void> {
    const page = await this.#api.violations({ vehicle: alert.vehicleId, kind: alert.kind }, 200, null);
    const v = page.items.find((x) => x.violationId === alert.alertId);
    if (v === undefined) throw new Error(t('alerts.notListedYet'));
    this.showView('cases');
    await this.#openCaseFrom(v);
  }

  /** Every desk's acknowledgements of the last day: an alert another officer took in hand shows as taken. */
  async #refreshAcknowledgements(): Promise<void> {
    if (!seesPlatformLinks(this.options.whoami)) return;
    try {
      const since = new Date(Date.now() - 24 * 3_600_000).toISOString();
      this.#feed.markAcknowledged(await this.#api.acknowledgements(since));
    } catch (error) {
      this.#handleError(error);
    }
  }

  /** Call once the element is in the document (Leaflet measures its container). */
  start(): void {
    document.body.dataset.deskState = 'loading';
    if (plansOnly(this.options.whoami)) {
      // A planner's key reads the planning routes and the zones only: no fleet to poll, no alert
      // stream, no register, cases or points to ask (each would be a 403).
      document.body.dataset.deskState = 'ready';
      this.showView('planning');
      return;
    }
    this.#map = createDeskMap(this.#mapContainer, this.options.config);
    void addMapContext(this.#map, this.options.config).then((counties) => {
      if (this.#closed) return;
      this.#cases.list.setCounties(counties);
      this.#counties = counties;
      this.#offerPlaces();
    });
    this.#zones = new ZoneLayers(this.#map);
    this.#track = new TrackLayer(this.#map);
    this.#markers = new VehicleMarkers(this.#map, (vehicleId) => this.selectVehicle(vehicleId));
    this.#stream.start();
    void this.#loadZones();
    // Names first, so the lists show carriers as people know them; ids if the register cannot be read.
    const names = this.#api.carriers().then(setCarrierNames, () => undefined);
    this.#planning?.namesFrom(names);
    void names.then(() => (this.#closed ? undefined : this.#occurrences.violations.load()));
    this.#links?.start();
    void this.#poll();
  }

  close(): void {
    this.#closed = true;
    this.#stream.stop();
    this.#links?.stop();
    this.#notice.dispose();
    this.#statistics.dispose();
    this.#planning?.dispose();
    if (this.#pollTimer !== null) clearTimeout(this.#pollTimer);
    // Programmatic moves are not animated, and stop() ends any user pan: removing a map mid-animation
    // makes Leaflet's transition-end handler read a pane that no longer exists (`_leaflet_pos`).
    this.#map?.stop();
    this.#map?.remove();
    this.#map = null;
    delete document.body.dataset.deskState;
    delete document.body.dataset.deskView;
  }

  selectVehicle(vehicleId: string | null): void {
    this.#markers?.select(vehicleId, this.#fleet);
    if (vehicleId === null) {
      this.#vehiclePanel.clear();
      return;
    }
    const at = this.#markers?.positionOf(vehicleId);
    if (at) this.#map?.panTo(at, { animate: false });
    void this.#vehiclePanel.show(vehicleId);
  }

  /** A fleet refresh now (coalesced with one in flight). */
  refreshSoon(): void {
    if (this.#refreshing !== null) {
      this.#refreshAgain = true;
      return;
    }
    void this.#poll();
  }

  async #poll(): Promise<void> {
    if (this.#closed) return;
    if (this.#pollTimer !== null) clearTimeout(this.#pollTimer);
    this.#pollTimer = null;
    this.#refreshing = Promise.all([this.#refreshFleet(), this.#refreshAcknowledgements(), this.#vehiclePanel.refreshMessages()]).then(() => undefined);
    await this.#refreshing;
    this.#refreshing = null;
    if (this.#closed) return;
    if (this.#refreshAgain) {
      this.#refreshAgain = false;
      void this.#poll();
      return;
    }
    this.#pollTimer = setTimeout(() => void this.#poll(), pollMs);
  }

  async #refreshFleet(): Promise<void> {
    try {
      const fleet = await this.#api.fleet();
      if (this.#closed) return;
      this.#fleet = fleet;
      this.#markers?.update(fleet);
      const shown = this.#markers?.count ?? 0;
      this.#vehicleCount.textContent = t('header.vehicles', { count: shown, laden: fleet.filter((v) => v.laden).length });
      this.#vehicleCount.dataset.count = String(shown);
      // Wall time of this computer, not a time of the record: said so, beside the data's times.
      this.#updated.textContent = t('header.refreshed', { clock: formatClock(new Date().toISOString()) });
      this.#banner.set('api', null);
      const carriers = fleet.map((v) => v.carrierId).filter((c): c is string => c !== null);
      if (this.options.whoami.carrierId !== null) carriers.push(this.options.whoami.carrierId);
      this.#compliance.setCarriers(carriers);
      this.#fitOnce();
      document.body.dataset.deskState = 'ready';
    } catch (error) {
      this.#handleError(error);
    }
  }

  async #loadZones(): Promise<void> {
    try {
      const zones = await this.#api.zones();
      if (this.#closed || this.#zones === null) return;
      this.#renderLegend(this.#zones.show(zones));
      this.#fitOnce();
      this.#parks = zones.filter((z) => z.kind === 'chemical-park').map((z) => ({ zoneId: z.zoneId, name: z.name }));
      this.#offerPlaces();
    } catch (error) {
      this.#renderLegend(null);
      this.#handleError(error);
    }
  }

  /** The violation and advisory lists may be narrowed to a county or a park once those are known. */
  #offerPlaces(): void {
    for (const table of [this.#occurrences.violations, this.#occurrences.advisories]) table.setPlaces(this.#counties, this.#parks);
  }

  /** Frames zones and vehicles once, when both are first known; the user's view is never reset after. */
  #fitOnce(): void {
    if (this.#fitted || this.#map === null) return;
    const zoneBounds = this.#zones?.bounds() ?? null;
    const vehicleBounds = this.#markers?.bounds() ?? null;
    if (zoneBounds === null || vehicleBounds === null) {
      const only = zoneBounds ?? vehicleBounds;
      if (only !== null) this.#map.fitBounds(only.pad(0.1), { maxZoom: 14, animate: false });
      return;
    }
    this.#fitted = true;
    this.#map.fitBounds(zoneBounds.extend(vehicleBounds).pad(0.1), { maxZoom: 14, animate: false });
  }

  /** Zone kinds with their counts, then what a vehicle's colour and outline say. */
  #renderLegend(counts: ZoneCounts | null): void {
    const item = (cls: string, label: string, testid: string, count?: number): HTMLElement =>
      el(
        'li',
        { 'data-testid': testid },
        el('span', { class: `swatch ${cls}`, 'aria-hidden': 'true' }),
        count === undefined ? label : t('map.legendCount', { label, count }),
        count === undefined ? null : el('data', { value: String(count), 'data-testid': `zone-count-${testid.slice('legend-'.length)}`, hidden: '' }, String(count)),
      );
    const zone = (kind: keyof ZoneCounts, cls: string) => item(cls, zoneKindLabel(kind), `legend-${kind}`, counts?.[kind]);
    this.#legend.replaceChildren(
      zone('parking-lot', 'swatch-lot'),
      zone('chemical-park', 'swatch-park'),
      zone('accident-segment', 'swatch-segment'),
      zone('restricted-area', 'swatch-restricted'),
      item('swatch-laden', t('map.legendLaden'), 'legend-laden'),
      item('swatch-empty', t('map.legendEmpty'), 'legend-empty'),
      item('swatch-violating', t('map.legendViolating'), 'legend-violating'),
      item('swatch-selected', t('map.legendSelected'), 'legend-selected'),
    );
  }

  #handleError(error: unknown): void {
    if (!(error instanceof ApiError)) {
      this.#banner.set('api', t('banner.pageError'));
      return;
    }
    switch (error.kind) {
      case 'unauthenticated':
        this.#signOut(t('banner.keyRefused'));
        return;
      case 'network':
      case 'unavailable':
        this.#banner.set('api', t('banner.unreachable'));
        return;
      case 'rate-limited':
        this.#banner.set('api', t('banner.rateLimited'));
        return;
      case 'forbidden':
      case 'not-found':
      case 'bad-response':
      case 'other':
        // Shown where it happened (the panel); nothing desk-wide.
        return;
      default: {
        const never: never = error.kind;
        throw new Error(`unhandled error kind ${String(never)}`);
      }
    }
  }

  #signOut(message: string | null): void {
    if (this.#closed) return;
    this.close();
    this.options.onSignedOut(message);
  }
}

/** The platform links are the bureau's business: bureau and enforcement keys see them, carrier keys never. */
export function seesPlatformLinks(whoami: WhoAmI): boolean {
  return whoami.carrierId === null && (whoami.role === 'bureau' || whoami.role === 'enforcement');
}

/** Cases are opened by the bureau (立案); enforcement and carriers act on opened ones. */
export function opensCases(whoami: WhoAmI): boolean {
  return whoami.carrierId === null && whoami.role === 'bureau';
}

/** The planning view: bureau, enforcement and planners; never a carrier (its figures count every carrier's vehicles). */
export function seesPlanning(whoami: WhoAmI): boolean {
  return whoami.carrierId === null && (whoami.role === 'bureau' || whoami.role === 'enforcement' || whoami.role === 'planner');
}

/** A planner's key reads the planning routes and the zones, nothing else: its desk is the planning view alone. */
export function plansOnly(whoami: WhoAmI): boolean {
  return whoami.carrierId === null && whoami.role === 'planner';
}

/** The views this key's header offers, in order. */
function navViews(whoami: WhoAmI): View[] {
  if (plansOnly(whoami)) return ['planning'];
  return seesPlanning(whoami) ? ['desk', 'cases', 'points', 'statistics', 'planning'] : ['desk', 'cases', 'points', 'statistics'];
}

export function scopeText(whoami: WhoAmI): string {
  if (whoami.carrierId !== null) return t('header.scopeCarrier', { carrierId: whoami.carrierId });
  if (whoami.role === 'planner') return t('planning.scope');
  if (whoami.role === 'bureau') return t('header.scopeBureau');
  if (whoami.role === 'enforcement') return t('header.scopeEnforcement');
  return t('header.scopeOther', { role: whoami.role });
}

/** This browser's localStorage for desk preferences (never the key), or none where storage is refused. */
function storageOrNull(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}
