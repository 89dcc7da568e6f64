import type { ApiClient } from '../api/apiClient.ts';
import { ApiError } from '../api/apiError.ts';
import type { ConsignmentView, FleetVehicle, TrackPoint, ViolationKind } from '../api/views.ts';
import { el, replaceChildren, type Child } from '../element.ts';
import { formatTime, violationKindLabel, zoneKindLabel } from '../format.ts';
import { t } from '../i18n/translate.ts';
import { carrierLabel } from '../carrierNames.ts';
import { placeText } from '../map/mapContext.ts';
import type { TrackMark } from '../map/trackLayer.ts';
import { TrackPlayback } from './trackPlayback.ts';
import { DriverMessagesPanel } from './driverMessagesPanel.ts';
import { downloadButton } from './fileDownload.ts';

export interface VehiclePanelHooks {
  /** Draws the track (or clears it with an empty list). */
  readonly showTrack: (points: readonly TrackPoint[]) => void;
  /** Draws the playback head at a fix of the track (null: none). */
  readonly showHead: (point: TrackPoint | null) => void;
  /** Marks where the vehicle's violations in the track's window started. */
  readonly showMarks: (marks: readonly TrackMark[]) => void;
  readonly onError: (error: unknown) => void;
  readonly onClose: () => void;
  /** The wall clock, for "the last N hours". */
  readonly now: () => Date;
  /** Messages to the driver: listed and sent (bureau), listed only, or not shown. */
  readonly messages: 'send' | 'list' | 'none';
  /** Whether the API mints safety codes: only then is the vehicle's asked. */
  readonly safetyCodes: boolean;
}

const trackHourChoices = [1, 3, 6, 12, 24];

/** Everything about the selected vehicle: identity, load and goods, zones, violations, recent track. */
export class VehiclePanel {
  readonly element: HTMLElement;
  readonly #body = el('div', { class: 'vehicle-body', 'data-testid': 'vehicle-body' });
  readonly #hours = el('select', { id: 'track-hours', 'data-testid': 'track-hours' }, ...trackHourChoices.map((h) => el('option', { value: String(h) }, t('vehicle.hours', { h }))));
  readonly #trackInfo = el('span', { class: 'track-info', 'data-testid': 'track-info' });
  #vehicleId: string | null = null;
  /** The selected vehicle's last fix time: its track window ends there, not at the desk's clock (offline vehicles, simulated time). */
  #lastFixAt: string | null = null;
  #ticket = 0;
  readonly #playback: TrackPlayback;
  /** The vehicle's safety information code (一企一品一码): a link to its public scan page, once known. */
  readonly #code = el('p', { class: 'safety-code', 'data-testid': 'vehicle-safety-code' });
  /** Messages to the driver: for the bureau and enforcement (and a carrier's own vehicles); null when the key may not read them. */
  readonly #messages: DriverMessagesPanel | null;

  constructor(
    private readonly api: ApiClient,
    private readonly hooks: VehiclePanelHooks,
  ) {
    this.#messages = hooks.messages === 'none' ? null : new DriverMessagesPanel(api, hooks.messages === 'send');
    this.#hours.value = '6';
    this.#playback = new TrackPlayback((point) => this.hooks.showHead(point));
    this.#hours.addEventListener('change', () => void this.#loadTrack());
    const close = el('button', { type: 'button', class: 'close', 'aria-label': t('vehicle.close'), 'data-testid': 'vehicle-close' }, '×');
    close.addEventListener('click', () => this.hooks.onClose());
    this.element = el(
      'section',
      { class: 'panel vehicle-panel', 'aria-labelledby': 'vehicle-title', 'data-testid': 'vehicle-panel' },
      el('header', { class: 'panel-header' }, el('h2', { id: 'vehicle-title' }, t('vehicle.title')), close),
      this.#body,
      el('div', { class: 'track-controls' }, el('label', { for: 'track-hours' }, t('vehicle.trackOver')), this.#hours, this.#trackInfo),
      this.#playback.element,
      this.#messages?.element ?? null,
    );
    this.clear();
  }

  get vehicleId(): string | null {
    return this.#vehicleId;
  }

  clear(): void {
    this.#vehicleId = null;
    this.#ticket++;
    this.element.dataset.vehicleId = '';
    replaceChildren(this.#body, el('p', { class: 'empty' }, t('vehicle.select')));
    this.#trackInfo.textContent = '';
    this.hooks.showTrack([]);
    this.#playback.load([]);
    this.#messages?.show(null);
  }

  async show(vehicleId: string): Promise<void> {
    this.#vehicleId = vehicleId;
    this.element.dataset.vehicleId = vehicleId;
    const ticket = ++this.#ticket;
    replaceChildren(this.#body, el('p', { class: 'empty' }, t('vehicle.loading')));
    this.#messages?.show(vehicleId);
    try {
      const vehicle = await this.api.vehicle(vehicleId);
      if (ticket !== this.#ticket) return;
      this.#lastFixAt = vehicle.lastFix?.occurredAt ?? null;
      const consignment = vehicle.waybillNo === null ? null : await this.api.consignment(vehicle.waybillNo).catch(() => null);
      if (ticket !== this.#ticket) return;
      replaceChildren(this.#body, ...this.#render(vehicle, consignment));
      if (this.hooks.safetyCodes) void this.#loadCode(vehicleId, ticket);
    } catch (error) {
      if (ticket !== this.#ticket) return;
      const text = error instanceof ApiError && error.kind === 'not-found' ? t('vehicle.notVisible', { vehicleId }) : t('vehicle.cannotLoad');
      replaceChildren(this.#body, el('p', { class: 'error', role: 'alert' }, text));
      this.hooks.onError(error);
      return;
    }
    await this.#loadTrack();
  }

  /** Refreshes the details (not the track) after a fleet poll or an alert. */
  async refresh(): Promise<void> {
    if (this.#vehicleId === null) return;
    const ticket = this.#ticket;
    try {
      const vehicle = await this.api.vehicle(this.#vehicleId);
      if (ticket !== this.#ticket) return;
      this.#lastFixAt = vehicle.lastFix?.occurredAt ?? null;
      const consignment = vehicle.waybillNo === null ? null : await this.api.consignment(vehicle.waybillNo).catch(() => null);
      if (ticket !== this.#ticket) return;
      replaceChildren(this.#body, ...this.#render(vehicle, consignment));
      await this.#messages?.refresh();
    } catch (error) {
      this.hooks.onError(error);
    }
  }

  /** The link a responder's phone would open from the label on the truck (none when the API mints no codes). */
  async #loadCode(vehicleId: string, ticket: number): Promise<void> {
    replaceChildren(this.#code);
    try {
      const code = await this.api.vehicleCode(vehicleId);
      if (ticket !== this.#ticket) return;
      // The label is fetched with the key (a header the desk sends, which a plain link cannot) and saved;
      // SVG, so it needs no font on the server and prints sharp at any size.
      const label = downloadButton(t('vehicle.safetyCodePrintLabel'), `vehicle-${vehicleId.replace(/[^A-Za-z0-9._-]/g, '_')}.svg`, () => this.api.download(`/v1/vehicles/${encodeURIComponent(vehicleId)}/code/label.svg`), { 'data-testid': 'vehicle-safety-code-label' });
      replaceChildren(this.#code, `${t('vehicle.safetyCode')} `, el('a', { href: code.path, target: '_blank', rel: 'noopener', 'data-testid': 'vehicle-safety-code-link' }, t('vehicle.safetyCodeOpen')), ' · ', label.button, label.status);
    } catch {
      // No signing key configured, or a key that may not see it: the panel simply has no code line.
    }
  }

  /** The selected vehicle's messages again (at each refresh of the desk: a delivery arrives from the gateway, not as an alert). */
  async refreshMessages(): Promise<void> {
    await this.#messages?.refresh();
  }

  async #loadTrack(): Promise<void> {
    const vehicleId = this.#vehicleId;
    if (vehicleId === null) return;
    const ticket = this.#ticket;
    const hours = Number(this.#hours.value);
    const to = this.#lastFixAt === null ? this.hooks.now() : new Date(this.#lastFixAt);
    const from = new Date(to.getTime() - hours * 3_600_000);
    this.#trackInfo.textContent = t('vehicle.trackLoading');
    try {
      const track = await this.api.track(vehicleId, from.toISOString(), to.toISOString());
      if (ticket !== this.#ticket) return;
      this.hooks.showTrack(track.points);
      this.#playback.load(track.points);
      this.#trackInfo.textContent = `${t('vehicle.fixes', { count: track.points.length })}${track.truncated ? t('vehicle.truncated') : ''}`;
      // Where its violations in the window started, at the fix nearest in time.
      const violations = await this.api.violations({ vehicle: vehicleId, from: from.toISOString(), to: to.toISOString() }, 100, null);
      if (ticket !== this.#ticket) return;
      this.hooks.showMarks(trackMarks(track.points, violations.items));
    } catch (error) {
      if (ticket !== this.#ticket) return;
      this.hooks.showTrack([]);
      this.#playback.load([]);
      this.#trackInfo.textContent = t('vehicle.trackUnavailable');
      this.hooks.onError(error);
    }
  }

  #render(v: FleetVehicle, consignment: ConsignmentView | null): Child[] {
    const row = (label: string, ...value: Child[]): HTMLElement[] => [el('dt', {}, label), el('dd', {}, ...value)];
    const fix = v.lastFix;
    const goods = v.goods.length === 0
      ? el('p', { class: 'empty' }, t('vehicle.noGoods'))
      : el(
          'table',
          { class: 'goods', 'data-testid': 'vehicle-goods' },
          el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, t('vehicle.goodsUn')),
              el('th', { scope: 'col' }, t('vehicle.goodsName')),
              el('th', { scope: 'col' }, t('vehicle.goodsClass')),
              el('th', { scope: 'col' }, t('vehicle.goodsKg')))),
          el('tbody', {}, ...v.goods.map((g) => el('tr', {}, el('td', {}, `UN${g.unNumber.replace(/^UN/i, '')}`), el('td', {}, g.name), el('td', {}, el('span', { class: 'hazard-badge' }, g.hazardClass)), el('td', { class: 'num' }, g.quantityKg.toLocaleString('en-GB'))))),
        );
    return [
      el('h3', { class: 'plate', 'data-testid': 'vehicle-plate' }, v.plateNo ?? v.vehicleId),
      el(
        'dl',
        { class: 'facts' },
        ...row(t('vehicle.id'), v.vehicleId),
        ...row(t('vehicle.carrier'), v.carrierId === null ? t('vehicle.unregistered') : carrierLabel(v.carrierId)),
        ...row(t('vehicle.load'), el('span', { class: v.laden ? 'badge badge-laden' : 'badge badge-empty', 'data-testid': 'vehicle-laden' }, v.laden ? t('vehicle.laden') : t('vehicle.empty'))),
        ...row(t('vehicle.waybill'), v.waybillNo ?? '—', consignment ? t('vehicle.waybillStatus', { status: t(`consignmentStatus.${consignment.status}`) }) : ''),
        ...(consignment ? row(t('vehicle.route'), `${consignment.origin.name} → ${consignment.destination.name}`) : []),
        ...(placeText(v.place) === null ? [] : row(t('vehicle.where'), placeText(v.place) ?? '')),
        ...row(t('vehicle.lastFix'), fix ? `${formatTime(fix.occurredAt)} · ${Math.round(fix.speedKmh)} km/h${fix.headingDeg === null ? '' : ` · ${Math.round(fix.headingDeg)}°`}` : t('vehicle.noFix')),
        ...row(t('vehicle.stoppedSince'), formatTime(v.stoppedSince)),
        ...row(t('vehicle.inZones'), v.zones.length === 0 ? t('vehicle.none') : v.zones.map((z) => t('vehicle.zone', { kind: zoneKindLabel(z.kind), name: z.name })).join(', ')),
      ),
      el('h4', {}, t('vehicle.goods')),
      goods,
      this.#code,
      el('h4', {}, t('vehicle.openViolations')),
      v.openViolations.length === 0
        ? el('p', { class: 'empty' }, t('vehicle.noneOpen'))
        : el(
            'ul',
            { class: 'open-violations', 'data-testid': 'vehicle-open-violations' },
            ...v.openViolations.map((o) => el('li', {}, t('vehicle.since', { kind: violationKindLabel(o.kind), time: formatTime(o.startedAt) }))),
          ),
    ];
  }
}

/** Each violation at the track's fix nearest in time to its start (none for an empty track). */
export function trackMarks(points: readonly TrackPoint[], violations: readonly { kind: ViolationKind; startedAt: string }[]): TrackMark[] {
  if (points.length === 0) return [];
  const times = points.map((p) => Date.parse(p.occurredAt));
  return violations.map((v) => {
    const t = Date.parse(v.startedAt);
    let best = 0;
    for (let i = 1; i < times.length; i++) if (Math.abs((times[i] as number) - t) < Math.abs((times[best] as number) - t)) best = i;
    const p = points[best] as TrackPoint;
    return { lat: p.lat, lon: p.lon, label: `${violationKindLabel(v.kind)} · ${formatTime(v.startedAt)}` };
  });
}
