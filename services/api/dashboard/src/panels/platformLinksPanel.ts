import type { ApiClient } from '../api/apiClient.ts';
import { ApiError } from '../api/apiError.ts';
import type { LinkStatus, PlatformLinksView } from '../api/views.ts';
import { el, replaceChildren } from '../element.ts';
import { formatClock, formatDuration, formatTime } from '../format.ts';
import { en } from '../i18n/en.ts';
import { t } from '../i18n/translate.ts';

/** How often the panel asks again: link state changes slowly, and the gateway's counters are cheap to read. */
const refreshMs = 10_000;

/** Refusal reasons of the gateway (`dgt_jt809_refused_total{reason}`); one the desk does not know is shown as sent. */
function refusalLabel(reason: string): string {
  return Object.hasOwn(en.refusalReason, reason) ? t(`refusalReason.${reason as keyof typeof en.refusalReason}`) : reason;
}

const downLinkLabel = (state: LinkStatus['downLink']): string => t(`downLink.${state}`);

/** A green (up), red (down) or grey (not used) dot with its meaning for screen readers and on hover. */
function dot(link: 'main' | 'down', state: 'up' | 'down' | 'off', text: string): HTMLElement {
  const label = link === 'main' ? t('links.mainDot', { state: text }) : t('links.downDot', { state: text });
  return el('span', { class: `link-dot link-${state}`, title: label, 'data-testid': `link-dot-${link}`, 'data-state': state, role: 'img', 'aria-label': label });
}

function refusalsText(refusals: LinkStatus['refusals']): string {
  const parts = Object.entries(refusals)
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1])
    .map(([reason, n]) => `${refusalLabel(reason)} ${n}`);
  return parts.length === 0 ? t('links.refusedNone') : parts.join(', ');
}

/** "12 s ago (10:41:07)", against the API's clock at the answer. */
function lastMessageText(lastMs: number | null, atMs: number): string {
  if (lastMs === null) return t('links.lastNone');
  const iso = new Date(lastMs).toISOString();
  return t('links.lastAgo', { age: formatDuration((atMs - lastMs) / 1000), clock: formatClock(iso) });
}

/**
 * "Platform links (JT/T 809)": per monitoring platform its main and down link, where it connects
 * from, since when, its last message, fixes per minute and refusals. Bureau and enforcement only
 * (the desk does not build it for carrier keys; the API refuses them anyway).
 */
export class PlatformLinksPanel {
  readonly element: HTMLElement;
  readonly #body = el('div', { class: 'platform-links-body', 'data-testid': 'platform-links-body', 'aria-live': 'polite' });
  readonly #updated = el('span', { class: 'hint', 'data-testid': 'platform-links-updated' });
  #timer: ReturnType<typeof setTimeout> | null = null;
  #stopped = false;

  constructor(
    private readonly api: ApiClient,
    private readonly onError: (error: unknown) => void,
  ) {
    this.element = el(
      'section',
      { class: 'panel platform-links-panel', 'aria-labelledby': 'platform-links-title', 'data-testid': 'platform-links-panel' },
      el('header', { class: 'panel-header' }, el('h2', { id: 'platform-links-title' }, t('links.title')), this.#updated),
      this.#body,
    );
    replaceChildren(this.#body, el('p', { class: 'empty' }, t('links.loading')));
  }

  start(): void {
    void this.#load();
  }

  stop(): void {
    this.#stopped = true;
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
  }

  async #load(): Promise<void> {
    try {
      const view = await this.api.platformLinks();
      if (this.#stopped) return;
      this.#render(view);
    } catch (error) {
      if (this.#stopped) return;
      const text = error instanceof ApiError && error.kind === 'forbidden' ? t('links.forbidden') : t('links.cannotLoad');
      replaceChildren(this.#body, el('p', { class: 'error', role: 'alert' }, text));
      this.onError(error);
    }
    if (!this.#stopped) this.#timer = setTimeout(() => void this.#load(), refreshMs);
  }

  #render(view: PlatformLinksView): void {
    this.#updated.textContent = t('links.updated', { clock: formatClock(new Date(view.atMs).toISOString()) });
    this.element.dataset.configured = String(view.configured);
    if (!view.configured) {
      replaceChildren(this.#body, el('p', { class: 'empty', 'data-testid': 'platform-links-none' }, t('links.none')));
      return;
    }
    const unreachable = view.gateways.filter((g) => g.state === 'unreachable');
    replaceChildren(
      this.#body,
      ...unreachable.map((g) => el('p', { class: 'error', 'data-testid': 'platform-links-unreachable' }, g.detail === null ? t('links.unreachable', { gateway: g.gateway }) : t('links.unreachableDetail', { gateway: g.gateway, detail: g.detail }))),
      view.items.length === 0 && unreachable.length === 0 ? el('p', { class: 'empty' }, t('links.noPlatform')) : null,
      view.items.length === 0 ? null : el('ul', { class: 'link-list' }, ...view.items.map((s) => this.#row(s, view.atMs))),
    );
  }

  #row(s: LinkStatus, atMs: number): HTMLElement {
    const mainUp = s.mainLink === 'up';
    const downState = s.downLink === 'up' ? 'up' : s.downLink === 'off' ? 'off' : 'down';
    const since = mainUp && s.mainConnectedAtMs !== null ? formatTime(new Date(s.mainConnectedAtMs).toISOString()) : null;
    return el(
      'li',
      { class: 'link-row', 'data-testid': 'platform-link', 'data-platform': s.platformId, 'data-main': s.mainLink, 'data-down': s.downLink },
      el(
        'div',
        { class: 'link-title' },
        dot('main', mainUp ? 'up' : 'down', mainUp ? t('links.up') : t('links.down')),
        dot('down', downState, downLinkLabel(s.downLink)),
        el('strong', {}, s.platformId),
        s.name === null ? null : el('span', { class: 'muted' }, ` ${s.name}`),
        el('span', { class: 'link-rate', 'data-testid': 'platform-link-rate', 'data-fixes-per-minute': String(s.fixesLastMinute) }, t('links.rate', { count: s.fixesLastMinute })),
      ),
      el(
        'dl',
        { class: 'facts' },
        el('dt', {}, t('links.main')),
        el(
          'dd',
          { 'data-testid': 'platform-link-main' },
          !mainUp ? t('links.down') : since === null ? t('links.mainUp', { remote: s.mainRemote ?? '?' }) : t('links.mainUpSince', { remote: s.mainRemote ?? '?', since }),
        ),
        s.downLink === 'off' ? null : el('dt', {}, t('links.downLink')),
        s.downLink === 'off' ? null : el('dd', {}, s.downTarget === null ? downLinkLabel(s.downLink) : t('links.downTo', { state: downLinkLabel(s.downLink), target: s.downTarget })),
        el('dt', {}, t('links.lastMessage')),
        el('dd', { 'data-testid': 'platform-link-last' }, lastMessageText(s.lastMessageAtMs, atMs)),
        el('dt', {}, t('links.fixes')),
        el('dd', {}, t('links.fixesTotal', { count: s.fixesTotal })),
        el('dt', {}, t('links.refused')),
        el('dd', { 'data-testid': 'platform-link-refusals' }, refusalsText(s.refusals)),
      ),
    );
  }
}
