import { ApiError } from '../api/apiError.ts';
import { el } from '../element.ts';
import { parseTypedTime, timeInputHint, timeInputValue, timeZoneLabel } from '../format.ts';
import { t } from '../i18n/translate.ts';

/** A labelled control in a form: the label's text above the control, as the filters have it. */
export function field(label: string, control: HTMLElement): HTMLElement {
  return el('label', { class: 'field' }, el('span', {}, label), control);
}

export interface ActionFormOptions {
  /** Test id of the form; its error line is `<testid>-error`. */
  readonly testid: string;
  readonly title: string;
  readonly submitLabel: string;
  readonly fields: readonly HTMLElement[];
  readonly hint?: string;
  /** Runs the command; throwing an ApiError shows the API's message under the form. */
  readonly run: (data: FormData, form: HTMLFormElement) => Promise<void>;
}

/**
 * One command as a form: submit → the API → done, or the refusal's message (409/400/403 answer
 * `error.message`, e.g. "evidence-required: …") shown under it. Never swallowed.
 */
export function actionForm(options: ActionFormOptions): HTMLFormElement {
  const error = el('p', { class: 'error action-error', role: 'alert', 'data-testid': `${options.testid}-error` });
  error.hidden = true;
  const submit = el('button', { type: 'submit', class: 'primary', 'data-testid': `${options.testid}-submit` }, options.submitLabel);
  const form = el(
    'form',
    { class: 'action-form', 'data-testid': options.testid, 'aria-label': options.title },
    el('h4', {}, options.title),
    options.hint === undefined ? null : el('p', { class: 'hint' }, options.hint),
    el('div', { class: 'action-fields' }, ...options.fields, submit),
    error,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    submit.disabled = true;
    error.hidden = true;
    form.dataset.state = 'busy';
    options
      .run(new FormData(form), form)
      .then(() => {
        form.dataset.state = 'done';
      })
      .catch((e: unknown) => {
        error.textContent = refusalText(e);
        error.hidden = false;
        form.dataset.state = 'refused';
      })
      .finally(() => {
        submit.disabled = false;
      });
  });
  return form;
}

/** What the user reads when a command fails: the API's own message where there is one. */
export function refusalText(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.kind === 'network') return t('forms.unreachable');
    // The API's own message is shown as it came (its codes are what a support call quotes).
    return t('forms.refused', { status: error.status, message: error.message });
  }
  if (error instanceof Error) return error.message;
  return t('forms.failed');
}

/** A trimmed text value of the form, or undefined when empty. */
export function text(data: FormData, name: string): string | undefined {
  const value = data.get(name);
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** A chosen file of the form, or undefined when none. */
export function file(data: FormData, name: string): File | undefined {
  const value = data.get(name);
  return value instanceof File && value.size > 0 ? value : undefined;
}

/**
 * A time field (Beijing time, `YYYY-MM-DD HH:mm`, see format.ts) as an ISO instant; undefined when
 * blank. Anything else is refused with what to write, never read as some other time.
 */
export function instant(data: FormData, name: string, label = name): string | undefined {
  const value = text(data, name);
  if (value === undefined) return undefined;
  const iso = parseTypedTime(value);
  if (iso === null) throw new Error(t('forms.notTime', { label, value, hint: timeInputHint(), zone: timeZoneLabel() }));
  return iso;
}

/** A time field: a text input that reads and shows Beijing time whatever the browser's zone (a `datetime-local` input follows the browser). */
export function timeInput(name: string, value: Date | null, attributes: Record<string, string> = {}): HTMLInputElement {
  return el('input', {
    type: 'text',
    name,
    inputmode: 'numeric',
    autocomplete: 'off',
    placeholder: timeInputHint(),
    title: t('forms.timeTitle', { hint: timeInputHint(), zone: timeZoneLabel() }),
    class: 'time-input',
    ...(value === null ? {} : { value: timeInputValue(value) }),
    ...attributes,
  }) as HTMLInputElement;
}
