/**
 * The API key lives in sessionStorage only: gone when the tab closes, never in the URL (which
 * would leak into history, logs and Referer headers).
 */
const storageKey = 'dgt.apiKey';

export function storedApiKey(): string | null {
  try {
    return sessionStorage.getItem(storageKey);
  } catch {
    return null;
  }
}

export function storeApiKey(key: string): void {
  sessionStorage.setItem(storageKey, key);
}

export function forgetApiKey(): void {
  sessionStorage.removeItem(storageKey);
}
