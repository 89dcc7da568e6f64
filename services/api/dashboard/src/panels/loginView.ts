import { el } from '../element.ts';
import type { Language } from '../i18n/language.ts';
import { t } from '../i18n/translate.ts';
import { languageSwitch } from './languageSwitch.ts';

/**
 * The key prompt. The form never submits anywhere (the CSP forbids form actions): the key goes
 * to sessionStorage and into Authorization headers only.
 */
export function loginView(message: string | null, onKey: (key: string) => void, onLanguage: (language: Language) => void): HTMLElement {
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
  const submit = el('button', { type: 'submit', 'data-testid': 'login-submit' }, t('login.submit'));
  const error = el('p', { class: 'login-error', role: 'alert', 'data-testid': 'login-error' }, message ?? '');
  if (message === null) error.hidden = true;
  const form = el(
    'form',
    { class: 'login-form', 'aria-labelledby': 'login-title' },
    el('div', { class: 'login-language' }, languageSwitch(onLanguage)),
    el('h1', { id: 'login-title' }, t('app.title')),
    el('label', { for: 'api-key' }, t('login.keyLabel')),
    input,
    el('p', { id: 'login-help', class: 'hint' }, t('login.help')),
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
