/** Shared helpers for the end-to-end specs: host page URLs, locale strings, what must hold on every page. */
import { expect, type APIRequestContext, type Locator, type Page, type Request } from '@playwright/test';
import { en } from '../../web/src/locales/en';
import { zhCN, type MessageKey } from '../../web/src/locales/zh-CN';

declare global {
  interface Window {
    /** Errors the host page caught (window errors, rejections, its error boundary, SystemJS import). */
    __hostErrors: string[];
    /** ms from SystemJS.import to the component being picked, e.g. 136.2 */
    __pluginLoadMs?: number;
    __hostUnmount(): void;
    __hostRemount(): void;
  }
}

export const PLUGIN_ID = 'cilium-observability';
export const REGION = 'rainbond';
/** The console's plugin proxy path to our backend, e.g. /console/regions/rainbond/backend/plugins/cilium-observability */
export const API_BASE = `/console/regions/${REGION}/backend/plugins/${PLUGIN_ID}`;

export type ConsoleVersion = '6.6' | '6.8' | '6.9.0' | '6.9.4';

/** e.g. hostUrl({ console: '6.6', locale: 'en' }) → "/?console=6.6&view=Team&locale=en" */
export function hostUrl(
  opts: { console?: ConsoleVersion; view?: 'Team' | 'Platform'; locale?: 'zh' | 'en'; hash?: string } = {},
): string {
  const q = new URLSearchParams({
    console: opts.console ?? '6.9.4',
    view: opts.view ?? 'Team',
    locale: opts.locale ?? 'en',
  });
  return `/?${q.toString()}${opts.hash ?? ''}`;
}

/** The hash route the console is on for a team page, e.g. "#/team/shop/region/rainbond/plugins/cilium-observability". */
export const teamHash = (team: string) => `#/team/${team}/region/${REGION}/plugins/${PLUGIN_ID}`;

/** A locale string with `{name}` placeholders filled, e.g. t('en', 'tools.registerFor', { tool: 'Hubble UI' }). */
export function t(locale: 'en' | 'zh', key: MessageKey, vars: Record<string, string | number> = {}): string {
  const text: string = (locale === 'en' ? en : zhCN)[key];
  return text.replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name] ?? `{${name}}`));
}

/** The panel's root inside the host layout. */
export const panel = (page: Page) => page.locator('[data-plugin="cilium-observability"]');

/** The <dd> that follows the <dt> labelled exactly `label` inside `scope`. */
export const valueOf = (scope: Locator, label: string) =>
  scope
    .locator('dt', { hasText: new RegExp(`^\\s*${escapeRe(label)}\\s*$`) })
    .locator('xpath=following-sibling::dd[1]');

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Element Plus hides the switch's <input role=switch>; the user clicks the visible switch around it. */
export const clickSwitch = (sw: Locator) => sw.locator('xpath=..').click();

/** The host layout is intact: header still there, the error boundary did not replace it, nothing thrown. */
export async function expectHostIntact(page: Page): Promise<void> {
  await expect(page.locator('#rbd-header')).toBeVisible();
  await expect(page.locator('#rbd-crash')).toHaveCount(0);
  expect(await page.evaluate(() => window.__hostErrors)).toEqual([]);
}

/** Resolves with the next backend call whose path ends with `path` (e.g. "/api/v1/status"). */
export function nextApiCall(page: Page, path: string, method = 'GET'): Promise<Request> {
  return page.waitForRequest(
    (r) => r.method() === method && new URL(r.url()).pathname === `${API_BASE}${path}`,
  );
}

/** The overview of the simulated Cilium 1.17 cluster as the user reads it. */
export async function expectSimulatedCluster(page: Page, locale: 'en' | 'zh'): Promise<void> {
  const root = panel(page);
  await expect(root.getByRole('heading', { name: t(locale, 'overview.title') })).toBeVisible();
  const ready = t(locale, 'state.ready');
  const cilium = root.locator('[data-section="cilium"]');
  await expect(cilium.getByRole('heading', { name: 'Cilium' })).toBeVisible();
  await expect(cilium.locator('.cobs-state-tag')).toHaveText(ready);
  await expect(valueOf(cilium, t(locale, 'overview.version'))).toHaveText('1.17.5');
  await expect(valueOf(cilium, t(locale, 'overview.agents'))).toHaveText('3/3');
  const hubble = root.locator('[data-section="hubble"]');
  await expect(hubble.locator('.cobs-state-tag')).toHaveText(ready);
  await expect(valueOf(hubble, t(locale, 'overview.relay'))).toHaveText('1/1');
  const monitoring = root.locator('[data-section="monitoring"]');
  await expect(monitoring.locator('.cobs-state-tag')).toHaveText(ready);
  await expect(valueOf(monitoring, t(locale, 'overview.prometheus'))).toHaveText('1/1');
  await expect(root.getByText(t(locale, 'overview.noHints'))).toBeVisible();
}

/** A fresh sandbox JWT, e.g. expired one minute ago with expiresInSeconds -60; `user` e.g. "owner". */
export async function sandboxToken(
  request: APIRequestContext,
  expiresInSeconds = 3600,
  user = 'admin',
): Promise<string> {
  const res = await request.get(`/__sandbox/token?user=${user}&expiresInSeconds=${expiresInSeconds}`);
  expect(res.ok()).toBe(true);
  return (await res.text()).trim();
}

/** Simulates the plugin backend going down (`up` false) or coming back; the console then answers 502. */
export async function setBackendUp(request: APIRequestContext, up: boolean): Promise<void> {
  const res = await request.post(`/__sandbox/backend?up=${up}`);
  expect(await res.json()).toEqual({ backendUp: up });
}

/** Calls the backend through the console proxy as the sandbox admin, e.g. to clean up after a test. */
export async function callApi(
  request: APIRequestContext,
  method: 'DELETE' | 'PUT' | 'GET' | 'POST',
  path: string,
  body?: unknown,
): Promise<unknown> {
  const token = await sandboxToken(request);
  const res = await request.fetch(`${API_BASE}${path}`, {
    method,
    headers: { Authorization: `GRJWT ${token}` },
    data: body,
  });
  expect(res.status(), `${method} ${path}`).toBe(200);
  return res.json();
}

/** Where screenshots for the lead go (git-ignored), e.g. /work/main/.tmp/e2e-team-view.png */
export const screenshotPath = (name: string) => new URL(`../../.tmp/${name}`, import.meta.url).pathname;
