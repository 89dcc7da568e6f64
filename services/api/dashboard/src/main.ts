import './styles.css';
import { ApiClient, fetchDashboardConfig } from './api/apiClient.ts';
import { ApiError } from './api/apiError.ts';
import type { DashboardConfig, WhoAmI } from './api/views.ts';
import { Desk } from './desk.ts';
import { chooseLanguage, type Language } from './i18n/language.ts';
import { rememberedLanguage, rememberLanguage } from './i18n/rememberedLanguage.ts';
import { setLanguage, t } from './i18n/translate.ts';
import { roleLabel } from './caseLabels.ts';
import { forgetApiKey, storeApiKey, storedApiKey } from './session.ts';
import { loginView } from './panels/loginView.ts';

const root = document.getElementById('app');
if (root === null) throw new Error('index.html has no #app element');
const app: HTMLElement = root;

/** What is on screen, so a language switch can build it again in the other language. */
let shown: { view: 'login' } | { view: 'desk'; desk: Desk; key: string; whoami: WhoAmI } = { view: 'login' };

/** The page's language: every later text, `<html lang>` (fonts, screen readers) and the tab's title. */
function applyLanguage(language: Language): void {
  setLanguage(language);
  document.documentElement.lang = language;
  document.title = t('app.title');
}

/**
 * The switch: remembered in this browser, and the view on screen built again in the new language
 * (the desk reloads its data from the API; the key and the session stay). A `?lang=` in the URL is
 * dropped, or it would win over this choice at the next reload.
 */
function switchLanguage(config: DashboardConfig, language: Language): void {
  rememberLanguage(language);
  const url = new URL(window.location.href);
  if (url.searchParams.has('lang')) {
    url.searchParams.delete('lang');
    window.history.replaceState(null, '', url);
  }
  applyLanguage(language);
  if (shown.view === 'desk') {
    const { desk, key, whoami } = shown;
    desk.close();
    showDesk(config, key, whoami);
  } else {
    showLogin(config, null);
  }
}

/** Checks a key before opening the desk: readable reasons instead of an empty map. */
async function checkKey(key: string): Promise<{ ok: true; whoami: WhoAmI } | { ok: false; message: string }> {
  let whoami: WhoAmI;
  try {
    whoami = await new ApiClient(key).whoami();
  } catch (error) {
    if (!(error instanceof ApiError)) return { ok: false, message: t('login.unexpected') };
    switch (error.kind) {
      case 'unauthenticated':
        return { ok: false, message: t('login.refused') };
      case 'network':
      case 'unavailable':
        return { ok: false, message: t('login.unreachable') };
      default:
        return { ok: false, message: t('login.apiAnswered', { message: error.message }) };
    }
  }
  // A planner reads no fleet, only the planning answers: its desk is the planning view (desk.ts).
  if (!whoami.canRead && whoami.role !== 'planner') return { ok: false, message: t('login.cannotRead', { role: roleLabel(whoami.role) }) };
  return { ok: true, whoami };
}

function showLogin(config: DashboardConfig, message: string | null): void {
  document.body.dataset.view = 'login';
  shown = { view: 'login' };
  app.replaceChildren(
    loginView(
      message,
      (key) => {
        void checkKey(key).then((result) => {
          if (!result.ok) {
            showLogin(config, result.message);
            return;
          }
          storeApiKey(key);
          showDesk(config, key, result.whoami);
        });
      },
      (language) => switchLanguage(config, language),
    ),
  );
}

function showDesk(config: DashboardConfig, key: string, whoami: WhoAmI): void {
  document.body.dataset.view = 'desk';
  const desk = new Desk({
    apiKey: key,
    config,
    whoami,
    onSignedOut: (message) => {
      forgetApiKey();
      showLogin(config, message);
    },
    onLanguage: (language) => switchLanguage(config, language),
  });
  shown = { view: 'desk', desk, key, whoami };
  app.replaceChildren(desk.element);
  desk.start();
}

async function boot(): Promise<void> {
  applyLanguage(chooseLanguage(window.location.search, rememberedLanguage()));
  const config = await fetchDashboardConfig();
  const key = storedApiKey();
  if (key === null) {
    showLogin(config, null);
    return;
  }
  const result = await checkKey(key);
  if (result.ok) showDesk(config, key, result.whoami);
  else {
    forgetApiKey();
    showLogin(config, result.message);
  }
}

void boot();
