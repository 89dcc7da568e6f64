import type { ApiClient } from '../api/apiClient.ts';
import type { DriverMessageView } from '../api/views.ts';
import { el, replaceChildren } from '../element.ts';
import { formatTime } from '../format.ts';
import { t } from '../i18n/translate.ts';

/**
 * Messages to the selected vehicle's driver over JT/T 808 (0x8300) and what became of each — the
 * officer's and those the nearest-lot policy sent — newest first; a bureau desk can send one (shown
 * on the terminal's screen, read aloud when asked).
 */
export class DriverMessagesPanel {
  readonly element: HTMLElement;
  readonly #list = el('ol', { class: 'driver-messages', 'data-testid': 'driver-messages' });
  readonly #info = el('p', { class: 'muted', 'data-testid': 'driver-messages-info' });
  readonly #text = el('textarea', { maxlength: '200', rows: '2', 'aria-label': t('driverMessages.text'), placeholder: t('driverMessages.placeholder'), 'data-testid': 'driver-message-text' });
  readonly #tts = el('input', { type: 'checkbox', 'data-testid': 'driver-message-tts' });
  readonly #error = el('span', { class: 'ack-error', role: 'alert', 'data-testid': 'driver-message-error' });
  #vehicleId: string | null = null;
  #ticket = 0;

  constructor(
    private readonly api: ApiClient,
    canSend: boolean,
  ) {
    const send = el('button', { type: 'submit', 'data-testid': 'driver-message-send' }, t('driverMessages.send'));
    const form = el('form', { class: 'driver-message-form' }, this.#text, el('label', { class: 'inline' }, this.#tts, ` ${t('driverMessages.tts')}`), send, this.#error);
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const vehicleId = this.#vehicleId;
      const text = this.#text.value.trim();
      if (vehicleId === null) return;
      if (text === '') {
        this.#error.textContent = t('driverMessages.empty');
        return;
      }
      send.disabled = true;
      this.#error.textContent = '';
      this.api.sendDriverMessage(vehicleId, { text, tts: this.#tts.checked }).then(
        async () => {
          send.disabled = false;
          this.#text.value = '';
          await this.refresh();
        },
        (error: unknown) => {
          send.disabled = false;
          this.#error.textContent = error instanceof Error ? error.message : String(error);
        },
      );
    });
    this.element = el('div', { class: 'vehicle-messages', 'data-testid': 'vehicle-messages' }, el('h3', {}, t('driverMessages.title')), canSend ? form : null, this.#info, this.#list);
  }

  show(vehicleId: string | null): void {
    this.#vehicleId = vehicleId;
    this.#error.textContent = '';
    replaceChildren(this.#list);
    this.#info.textContent = '';
    this.element.hidden = vehicleId === null;
    if (vehicleId !== null) void this.refresh();
  }

  async refresh(): Promise<void> {
    const vehicleId = this.#vehicleId;
    if (vehicleId === null) return;
    const ticket = ++this.#ticket;
    try {
      const items = await this.api.driverMessages(vehicleId);
      if (ticket !== this.#ticket) return;
      this.#info.textContent = items.length === 0 ? t('driverMessages.none') : '';
      replaceChildren(this.#list, ...items.map((m) => this.#item(m)));
    } catch {
      if (ticket !== this.#ticket) return;
      // A key that may not read messages, or an API without them: the panel says so and stays out of the way.
      this.#info.textContent = t('driverMessages.unavailable');
    }
  }

  #item(m: DriverMessageView): HTMLElement {
    const status = m.status === 'undeliverable' && m.undeliverableReason !== null ? t('driverMessages.undeliverableWhy', { reason: t(`driverMessages.reason.${m.undeliverableReason}`) }) : t(`driverMessages.status.${m.status}`);
    return el(
      'li',
      { 'data-testid': 'driver-message', 'data-status': m.status, 'data-message-id': m.messageId },
      el('time', { datetime: m.requestedAt }, formatTime(m.requestedAt)),
      ' ',
      el('span', { class: `badge message-status message-status-${m.status}` }, status),
      m.reason === 'policy' ? el('span', { class: 'muted' }, ` ${t('driverMessages.byPolicy')}`) : el('span', { class: 'muted' }, ` ${m.by}`),
      el('div', { class: 'message-text' }, m.text),
    );
  }
}
