import './styles.css';
import { ApiClient, fetchDashboardConfig } from './api/apiClient.ts';
import { ApiError } from './api/apiError.ts';
import type { DashboardConfig, WhoAmI } from './api/views.ts';
import { Desk } from './desk.ts';
import { forgetApiKey, storeApiKey, storedApiKey } from './session.ts';
import { loginView } from './panels/loginView.ts';

const root = document.getElementById('app');
if (root === null) throw new Error('index.html has no #app element');
const app: HTMLElement = root;

/** Checks a key before opening the desk: readable reasons instead of an empty map. */
async function checkKey(key: string): Promise<{ ok: true; whoami: WhoAmI } | { ok: false; message: string }> {
  let whoami: WhoAmI;
  try {
    whoami = await new ApiClient(key).whoami();
  } catch (error) {
    if (!(error instanceof ApiError)) return { ok: false, message: 'Unexpected error while checking the key.' };
    switch (error.kind) {
      case 'unauthenticated':
        return { ok: false, message: 'This key was refused. Check it and try again.' };
      case 'network':
      case 'unavailable':
        return { ok: false, message: 'The API cannot be reached right now. Try again in a moment.' };
      default:
        return { ok: false, message: `The API answered: ${error.message}` };
    }
  }
  if (!whoami.canRead) return { ok: false, message: `This is a ${whoami.role} key: it cannot read fleets. Use a bureau, enforcement or carrier key.` };
  return { ok: true, whoami };
}

function showLogin(config: DashboardConfig, message: string | null): void {
  document.body.dataset.view = 'login';
  app.replaceChildren(
    loginView(message, (key) => {
      void checkKey(key).then((result) => {
        if (!result.ok) {
          showLogin(config, result.message);
          return;
        }
        storeApiKey(key);
        showDesk(config, key, result.whoami);
      });
    }),
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
  });
  app.replaceChildren(desk.element);
  desk.start();
}

async function boot(): Promise<void> {
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
