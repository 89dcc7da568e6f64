import { el } from '../element.ts';

/**
 * The key prompt. The form never submits anywhere (the CSP forbids form actions): the key goes
 * to sessionStorage and into Authorization headers only.
 */
export function loginView(message: string | null, onKey: (key: string) => void): HTMLElement {
  const input = el('input', {
    id: 'api-key',
    type: 'password',
    name: 'api-key',
    autocomplete: 'off',
    spellcheck: 'false',
    required: '',
    'aria-describedby': 'login-help',
    'data-testid': 'login-key',
  });
  const submit = el('button', { type: 'submit', 'data-testid': 'login-submit' }, 'Open the desk');
  const error = el('p', { class: 'login-error', role: 'alert', 'data-testid': 'login-error' }, message ?? '');
  if (message === null) error.hidden = true;
  const form = el(
    'form',
    { class: 'login-form', 'aria-labelledby': 'login-title' },
    el('h1', { id: 'login-title' }, 'Taizhou hazmat monitoring desk'),
    el('label', { for: 'api-key' }, 'API key'),
    input,
    el('p', { id: 'login-help', class: 'hint' }, 'Your key decides what you see: bureau and enforcement keys see every fleet, a carrier key only its own. It is kept for this browser tab only.'),
    error,
    submit,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const key = input.value.trim();
    if (key === '') return;
    submit.disabled = true;
    onKey(key);
  });
  queueMicrotask(() => input.focus());
  return el('main', { class: 'login', 'data-testid': 'login-view' }, form);
}
