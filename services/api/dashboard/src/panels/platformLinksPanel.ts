import type { ApiClient } from '../api/apiClient.ts';
import { ApiError } from '../api/apiError.ts';
import type { LinkStatus, PlatformLinksView } from '../api/views.ts';
import { el, replaceChildren } from '../element.ts';
import { formatClock, formatDuration, formatTime } from '../format.ts';

/** How often the panel asks again: link state changes slowly, and the gateway's counters are cheap to read. */
const refreshMs = 10_000;

/** Refusal reasons of the gateway (`dgt_jt809_refused_total{reason}`); one the desk does not know is shown as sent. */
const refusalLabel: Readonly<Record<string, string>> = {
  'unknown-vehicle': 'unknown vehicle',
  'other-carrier': "another carrier's vehicle",
  'terminal-sim': 'terminal SIM mismatch',
  'bad-time': 'bad time',
  future: 'time in the future',
  'too-old': 'too old',
  'no-fix': 'no position fix',
  'out-of-range': 'out of range',
  'wrong-access-code': 'wrong access code',
  'not-logged-in': 'before login',
};

const downLinkLabel: Readonly<Record<LinkStatus['downLink'], string>> = {
  off: 'off',
  connecting: 'connecting',
  'logging-in': 'logging in',
  up: 'up',
  waiting: 'waiting to reconnect',
  stopped: 'stopped',
};

/** A green (up), red (down) or grey (not used) dot with its meaning for screen readers and on hover. */
function dot(link: 'main' | 'down', state: 'up' | 'down' | 'off', text: string): HTMLElement {
  const label = `${link === 'main' ? 'Main' : 'Down'} link ${text}`;
  return el('span', { class: `link-dot link-${state}`, title: label, 'data-testid': `link-dot-${link}`, 'data-state': state, role: 'img', 'aria-label': label });
}

function refusalsText(refusals: LinkStatus['refusals']): string {
  const parts = Object.entries(refusals)
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1])
    .map(([reason, n]) => `${refusalLabel[reason] ?? reason} ${n}`);
  return parts.length === 0 ? 'none' : parts.join(', ');
}

/** "12 s ago (10:41:07)", against the API's clock at the answer. */
function lastMessageText(lastMs: number | null, atMs: number): string {
  if (lastMs === null) return 'none since the gateway started';
  const iso = new Date(lastMs).toISOString();
  return `${formatDuration((atMs - lastMs) / 1000)} ago (${formatClock(iso)})`;
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
      el('header', { class: 'panel-header' }, el('h2', { id: 'platform-links-title' }, 'Platform links (JT/T 809)'), this.#updated),
      this.#body,
    );
    replaceChildren(this.#body, el('p', { class: 'empty' }, 'Loading…'));
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
      const text = error instanceof ApiError && error.kind === 'forbidden' ? 'This key may not see the platform links.' : 'Cannot load the platform links right now.';
      replaceChildren(this.#body, el('p', { class: 'error', role: 'alert' }, text));
      this.onError(error);
    }
    if (!this.#stopped) this.#timer = setTimeout(() => void this.#load(), refreshMs);
  }

  #render(view: PlatformLinksView): void {
    this.#updated.textContent = `updated ${formatClock(new Date(view.atMs).toISOString())}`;
    this.element.dataset.configured = String(view.configured);
    if (!view.configured) {
      replaceChildren(this.#body, el('p', { class: 'empty', 'data-testid': 'platform-links-none' }, 'No platform link configured.'));
      return;
    }
    const unreachable = view.gateways.filter((g) => g.state === 'unreachable');
    replaceChildren(
      this.#body,
      ...unreachable.map((g) => el('p', { class: 'error', 'data-testid': 'platform-links-unreachable' }, `Gateway ${g.gateway} unreachable${g.detail === null ? '' : `: ${g.detail}`}`)),
      view.items.length === 0 && unreachable.length === 0 ? el('p', { class: 'empty' }, 'The gateway has no platform configured.') : null,
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
        dot('main', mainUp ? 'up' : 'down', mainUp ? 'up' : 'down'),
        dot('down', downState, downLinkLabel[s.downLink]),
        el('strong', {}, s.platformId),
        s.name === null ? null : el('span', { class: 'muted' }, ` ${s.name}`),
        el('span', { class: 'link-rate', 'data-testid': 'platform-link-rate', 'data-fixes-per-minute': String(s.fixesLastMinute) }, `${s.fixesLastMinute} fixes/min`),
      ),
      el(
        'dl',
        { class: 'facts' },
        el('dt', {}, 'Main link'),
        el('dd', { 'data-testid': 'platform-link-main' }, mainUp ? `up from ${s.mainRemote ?? '?'}${since === null ? '' : ` since ${since}`}` : 'down'),
        s.downLink === 'off' ? null : el('dt', {}, 'Down link'),
        s.downLink === 'off' ? null : el('dd', {}, `${downLinkLabel[s.downLink]}${s.downTarget === null ? '' : ` to ${s.downTarget}`}`),
        el('dt', {}, 'Last message'),
        el('dd', { 'data-testid': 'platform-link-last' }, lastMessageText(s.lastMessageAtMs, atMs)),
        el('dt', {}, 'Fixes'),
        el('dd', {}, `${s.fixesTotal} since the gateway started`),
        el('dt', {}, 'Refused'),
        el('dd', { 'data-testid': 'platform-link-refusals' }, refusalsText(s.refusals)),
      ),
    );
  }
}
