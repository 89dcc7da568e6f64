import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { languageStorageKey, type Language } from '../../services/api/dashboard/src/i18n/language.ts';

/*
 * Drives the monitoring-desk page in Debian's headless Chromium. Reusable by any test that has an
 * API listening (this folder's e2e test, the full-pipeline test): build → launch → open → login →
 * read the map, feed and tables through their data-testid hooks.
 */

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
// One build rule for `npm start` and the browser tests (a test file builds only a stale bundle).
export { ensureDashboardBuilt } from '@dgt/api';
export const artifactsDir = join(repoRoot, 'tests/artifacts');

export const chromiumPath = process.env.DGT_CHROMIUM_PATH ?? '/usr/bin/chromium';
export const chromiumArgs = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'];

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(chromiumPath)) throw new Error(`no Chromium at ${chromiumPath}: apt-get install -y chromium (or set DGT_CHROMIUM_PATH)`);
  return chromium.launch({ executablePath: chromiumPath, args: chromiumArgs, headless: true });
}

export interface ZoneLayerCounts {
  readonly parkingLots: number;
  readonly chemicalParks: number;
  readonly accidentSegments: number;
  readonly restrictedAreas: number;
}

export type Listing = 'violations' | 'advisories';

/**
 * One desk in its own browser context (its own sessionStorage, so keys never mix). Page errors
 * and console errors are collected; `problems()` lists those not explicitly expected.
 */
export class DashboardPage {
  readonly #errors: string[] = [];
  readonly #expected: RegExp[] = [];

  private constructor(
    readonly context: BrowserContext,
    readonly page: Page,
    readonly baseUrl: string,
  ) {
    page.on('pageerror', (error) => this.#errors.push(`pageerror: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') this.#errors.push(`console: ${message.text()}`);
    });
  }

  /**
   * `timezoneId`: the zone the browser is set to (the desk must show Beijing time whatever it is).
   * `language`: the desk's language as if chosen with its switch before the page loads (English by
   * default: the tests read English words); null leaves a fresh browser, which opens in Chinese.
   * Set only while nothing is stored, so a switch made in the test survives a reload.
   */
  static async open(browser: Browser, baseUrl: string, timezoneId = 'Asia/Shanghai', language: Language | null = 'en'): Promise<DashboardPage> {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-GB', timezoneId });
    if (language !== null) {
      const [key, value] = [JSON.stringify(languageStorageKey), JSON.stringify(language)];
      await context.addInitScript({ content: `try { if (localStorage.getItem(${key}) === null) localStorage.setItem(${key}, ${value}); } catch {}` });
    }
    const page = await context.newPage();
    const desk = new DashboardPage(context, page, baseUrl);
    await page.goto(baseUrl);
    return desk;
  }

  /** Console errors matching this are part of the scenario (e.g. the 401 of a wrong key). */
  expectConsoleError(pattern: RegExp): void {
    this.#expected.push(pattern);
  }

  problems(): string[] {
    return this.#errors.filter((e) => !this.#expected.some((p) => p.test(e)));
  }

  /** Enters the key on the login form; resolves when the desk has loaded the fleet once. */
  async login(apiKey: string, timeoutMs = 15_000): Promise<void> {
    await this.submitKey(apiKey);
    await this.page.locator('body[data-desk-state="ready"]').waitFor({ timeout: timeoutMs });
  }

  async submitKey(apiKey: string): Promise<void> {
    await this.page.getByTestId('login-key').fill(apiKey);
    await this.page.getByTestId('login-submit').click();
  }

  loginError(): Promise<string> {
    return this.page.getByTestId('login-error').innerText();
  }

  roleScope(): Promise<string> {
    return this.page.getByTestId('role-scope').innerText();
  }

  /** Resolves once the alert stream is connected (alerts published after this reach the page). */
  async waitForStreamLive(timeoutMs = 10_000): Promise<void> {
    await this.page.locator('[data-testid="stream-status"][data-status="live"]').waitFor({ timeout: timeoutMs });
  }

  vehicleMarkerCount(): Promise<number> {
    return this.page.locator('[data-testid="vehicle-marker"]').count();
  }

  async vehicleIdsOnMap(): Promise<string[]> {
    const ids = await this.page.locator('[data-testid="vehicle-marker"]').evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-vehicle-id') ?? ''));
    return ids.sort();
  }

  async ladenVehicleIdsOnMap(): Promise<string[]> {
    const ids = await this.page.locator('[data-testid="vehicle-marker"][data-laden="true"]').evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-vehicle-id') ?? ''));
    return ids.sort();
  }

  async waitForVehicleCount(count: number, timeoutMs = 15_000): Promise<void> {
    await this.page.locator(`[data-testid="vehicle-count"][data-count="${count}"]`).waitFor({ timeout: timeoutMs });
  }

  /** Zone outlines drawn on the map, by kind. */
  async zoneLayerCounts(): Promise<ZoneLayerCounts> {
    const count = (kind: string) => this.page.locator(`[data-testid="zone-${kind}"]`).count();
    return { parkingLots: await count('parking-lot'), chemicalParks: await count('chemical-park'), accidentSegments: await count('accident-segment'), restrictedAreas: await count('restricted-area') };
  }

  async waitForZones(timeoutMs = 10_000): Promise<void> {
    await this.page.locator('[data-testid^="zone-count-"]').first().waitFor({ state: 'attached', timeout: timeoutMs });
  }

  /** Waits until the alert is in the feed; returns its text. */
  async waitForAlert(alertId: string, timeoutMs = 5_000): Promise<string> {
    const item = this.page.locator(`[data-testid="alert-item"][data-alert-id="${alertId}"]`);
    await item.waitFor({ timeout: timeoutMs });
    return item.innerText();
  }

  /** Alert ids in the feed's list of violations or of advisories, newest first. */
  alertIds(category: 'violation' | 'advisory'): Promise<string[]> {
    return this.page.locator(`[data-testid="alert-list-${category}"] [data-testid="alert-item"]`).evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-alert-id') ?? ''));
  }

  async clickAlert(alertId: string): Promise<void> {
    await this.page.locator(`[data-testid="alert-item"][data-alert-id="${alertId}"] button.alert-item-button`).click();
  }

  async clickVehicle(vehicleId: string): Promise<void> {
    await this.page.locator(`[data-testid="vehicle-marker"][data-vehicle-id="${vehicleId}"]`).click();
  }

  /** Waits for the vehicle panel to show this vehicle; returns its text. */
  async vehiclePanelText(vehicleId: string, timeoutMs = 5_000): Promise<string> {
    await this.page.locator(`[data-testid="vehicle-panel"][data-vehicle-id="${vehicleId}"] [data-testid="vehicle-plate"]`).waitFor({ timeout: timeoutMs });
    return this.page.getByTestId('vehicle-body').innerText();
  }

  async waitForTrack(timeoutMs = 5_000): Promise<void> {
    await this.page.locator('[data-testid="vehicle-track"]').waitFor({ state: 'attached', timeout: timeoutMs });
  }

  /** Violation ids in the table once it has loaded (after a filter change, call again). */
  violationIds(timeoutMs = 5_000): Promise<string[]> {
    return this.#rowIds('violations', timeoutMs);
  }

  /** Advisory ids in their tab (shown first) once it has loaded. */
  async advisoryIds(timeoutMs = 5_000): Promise<string[]> {
    await this.showTab('advisories');
    return this.#rowIds('advisories', timeoutMs);
  }

  async #rowIds(listing: Listing, timeoutMs: number): Promise<string[]> {
    const noun = listing === 'violations' ? 'violation' : 'advisory';
    await this.page.locator(`[data-testid="${listing}-info"]`, { hasText: /^Page / }).waitFor({ timeout: timeoutMs });
    return this.page.locator(`[data-testid="${noun}-row"]`).evaluateAll((nodes, attr) => nodes.map((n) => n.getAttribute(attr) ?? ''), `data-${noun}-id`);
  }

  async showTab(listing: Listing): Promise<void> {
    await this.page.getByTestId(`tab-${listing}`).click();
    await this.page.getByTestId(`${listing}-panel`).waitFor();
  }

  /** The kinds the listing's filter offers. */
  kindOptions(listing: Listing): Promise<string[]> {
    return this.page.getByTestId(`${listing}-panel`).locator('[data-testid="filter-kind"] option').evaluateAll((nodes) => nodes.map((n) => n.getAttribute('value') ?? '').filter((v) => v !== ''));
  }

  async filterViolations(filter: { kind?: string; status?: string; carrier?: string; vehicle?: string; from?: string; to?: string }, listing: Listing = 'violations'): Promise<void> {
    const panel = this.page.getByTestId(`${listing}-panel`);
    if (filter.from !== undefined) await panel.getByTestId('filter-from').fill(filter.from);
    if (filter.to !== undefined) await panel.getByTestId('filter-to').fill(filter.to);
    if (filter.kind !== undefined) await panel.getByTestId('filter-kind').selectOption(filter.kind);
    if (filter.status !== undefined) await panel.getByTestId('filter-status').selectOption(filter.status);
    if (filter.carrier !== undefined) await panel.getByTestId('filter-carrier').fill(filter.carrier);
    if (filter.vehicle !== undefined) await panel.getByTestId('filter-vehicle').fill(filter.vehicle);
    await this.page.getByTestId(`${listing}-info`).evaluate((n) => (n.textContent = ''));
    await panel.getByTestId('filter-apply').click();
  }

  /** How the first outline of a zone kind is drawn (computed stroke colour and dash). */
  zoneLook(kind: string): Promise<{ stroke: string; dash: string }> {
    return this.page
      .locator(`[data-testid="zone-${kind}"]`)
      .first()
      .evaluate((n) => {
        // The page's own getComputedStyle (this file is compiled without the DOM library).
        const style = (globalThis as unknown as { getComputedStyle(e: unknown): { stroke: string; strokeDasharray: string } }).getComputedStyle(n);
        return { stroke: style.stroke, dash: style.strokeDasharray };
      });
  }

  /** The map legend's entries, by test id, with their text. */
  legend(): Promise<Record<string, string>> {
    return this.page
      .getByTestId('zone-legend')
      .locator('li')
      // innerText: what a reader sees (the hidden <data> counts are for tests).
      .evaluateAll((nodes) => Object.fromEntries(nodes.map((n) => [n.getAttribute('data-testid') ?? '', (n as unknown as { innerText: string }).innerText])));
  }

  async complianceStatus(timeoutMs = 5_000): Promise<string> {
    const badge = this.page.getByTestId('compliance-status');
    await badge.waitFor({ timeout: timeoutMs });
    return (await badge.getAttribute('data-status')) ?? '';
  }

  async screenshot(name: string): Promise<string> {
    mkdirSync(artifactsDir, { recursive: true });
    const path = join(artifactsDir, name);
    await this.page.screenshot({ path, fullPage: false });
    return path;
  }

  async close(): Promise<void> {
    await this.context.close();
  }
}

/** Closes the pages a test opened (emptying the list) and answers the page and console errors they logged. */
export async function closePages(pages: DashboardPage[]): Promise<string[]> {
  const problems = pages.flatMap((p) => p.problems());
  await Promise.all(pages.splice(0).map((p) => p.close()));
  return problems;
}
