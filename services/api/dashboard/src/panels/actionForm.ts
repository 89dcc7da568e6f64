import { ApiError } from '../api/apiError.ts';
import { el } from '../element.ts';

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
    if (error.kind === 'network') return 'The API cannot be reached; nothing was recorded. Try again.';
    return `Refused (${error.status}): ${error.message}`;
  }
  if (error instanceof Error) return error.message;
  return 'Something went wrong; nothing may have been recorded.';
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

/** A `datetime-local` value (the desk's local time) as an ISO instant, or undefined. */
export function instant(data: FormData, name: string): string | undefined {
  const value = text(data, name);
  if (value === undefined) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** `datetime-local` value of an instant, in the browser's zone (the form's default). */
export function localInputValue(date: Date): string {
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}
