/**
 * Protected access end to end: a tool switched to protected (the default) and opened from the panel lands in the
 * tool — the sandbox's real Prometheus, behind the backend's gateway listener, reached through the simulated
 * Rainbond gateway on *.apps.localhost — while the same address in a fresh browser gets the protected page; a
 * Grafana shortcut lands on its dashboard path, signed in through auth.proxy.
 */
import { expect, test, type Page } from '@playwright/test';
import { callApi, clickSwitch, expectHostIntact, hostUrl, nextApiCall, panel, t } from './support';

const SCOPE = '?team=dev-team&region=rainbond';

test.afterEach(async ({ request }) => {
  for (const id of ['prometheus', 'grafana'])
    await callApi(request, 'DELETE', `/api/v1/tools/${id}/registration${SCOPE}`);
});

/** Registers the tool from its card and switches its access on, protected, as a user does. */
async function protect(page: Page, id: 'prometheus' | 'grafana', title: string) {
  const card = panel(page).locator(`[data-tool="${id}"]`);
  await card.getByRole('button', { name: t('en', 'tools.registerFor', { tool: title }) }).click();
  const sw = card.getByRole('switch', { name: t('en', 'tools.externalFor', { tool: title }) });
  await expect(sw).toBeEnabled();
  await expect(card.getByRole('radio', { name: t('en', 'tools.modeProtected') })).toBeChecked();
  const put = nextApiCall(page, `/api/v1/tools/${id}/access`, 'PUT');
  await clickSwitch(sw);
  expect((await put).postDataJSON()).toEqual({ external: true, mode: 'protected' });
  // no risk dialog for protected access
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(sw).toBeChecked();
  await expect(card.locator('.cobs-tool__protected-note')).toBeVisible();
  return card;
}

test('protected Prometheus opened from the panel renders the Prometheus UI; a fresh browser gets the protected page', async ({
  page,
  browser,
}) => {
  await page.goto(hostUrl({ locale: 'en' }));
  const card = await protect(page, 'prometheus', 'Prometheus');
  const gatewayUrl = await card
    .getByRole('link', { name: /apps\.localhost/ })
    .first()
    .getAttribute('href');
  expect(gatewayUrl).toMatch(/^http:\/\/[a-z0-9]+-8081-dev-team\.apps\.localhost:\d+$/);

  const launched = nextApiCall(page, '/api/v1/tools/prometheus/launch', 'POST');
  const [tab] = await Promise.all([
    page.context().waitForEvent('page'),
    card.getByRole('button', { name: t('en', 'tools.openToolFor', { tool: 'Prometheus' }) }).click(),
  ]);
  expect((await launched).postDataJSON()).toEqual({ path: '/' });
  // about:blank first (opened inside the click), then the launch URL, then the tool
  await tab.waitForURL((u) => u.protocol === 'http:' && !u.pathname.startsWith('/__cobs/'));
  // the real Prometheus UI, on the tool's own host, the ticket gone from the address bar
  await expect(tab).toHaveTitle(/Prometheus/);
  const landed = new URL(tab.url());
  expect(landed.origin).toBe(gatewayUrl);
  expect(landed.search).not.toContain('ticket');
  expect(await tab.evaluate(() => window.opener)).toBeNull();
  await expectHostIntact(page);

  // the same address in a fresh browser context (no session): the protected page, nothing of Prometheus
  const fresh = await browser.newContext({ locale: 'en-US' });
  try {
    const other = await fresh.newPage();
    const res = await other.goto(tab.url());
    expect(res?.status()).toBe(401);
    await expect(other.getByRole('heading', { name: 'This tool is protected' })).toBeVisible();
    await expect(other.getByRole('heading', { name: '此工具受保护' })).toBeVisible();
    await expect(other).not.toHaveTitle(/Prometheus/);
    expect(await other.content()).not.toMatch(/Prometheus Time Series|classic\/static/);
    expect(res?.headers()['x-frame-options']).toBe('DENY');
    expect(res?.headers()['referrer-policy']).toBe('no-referrer');
    // the link back to the console (CONSOLE_PUBLIC_URL)
    await expect(other.getByRole('link', { name: 'Go to the Rainbond console' }).first()).toHaveAttribute(
      'href',
      /^http:\/\/127\.0\.0\.1:\d+\/$/,
    );
  } finally {
    await fresh.close();
  }
});

test('a Grafana shortcut on a protected Grafana lands on its dashboard path, signed in', async ({ page }) => {
  await page.goto(hostUrl({ locale: 'en' }));
  const card = await protect(page, 'grafana', 'Grafana');
  const shortcut = card.locator('.cobs-tool__links a').filter({ hasText: 'Cilium Metrics' });
  await expect(shortcut).toHaveAttribute('href', /\/d\/vtuWtdumz$/);
  const launched = nextApiCall(page, '/api/v1/tools/grafana/launch', 'POST');
  const [tab] = await Promise.all([page.context().waitForEvent('page'), shortcut.click()]);
  expect((await launched).postDataJSON()).toEqual({ path: '/d/vtuWtdumz' });
  await tab.waitForURL((u) => u.pathname === '/d/vtuWtdumz');
  await expect(tab.getByRole('heading', { name: 'Grafana — dashboard vtuWtdumz' })).toBeVisible();
  // Grafana's auth.proxy header carries the Rainbond user the launch was for
  await expect(tab.locator('[data-user]')).toHaveText('signed in as admin (auth.proxy)');
  // the gateway's logout ends the session on that host
  await tab.goto(new URL('/__cobs/logout', tab.url()).href);
  await expect(tab.getByRole('heading', { name: 'Signed out' })).toBeVisible();
  const again = await tab.goto(new URL('/d/vtuWtdumz', tab.url()).href);
  expect(again?.status()).toBe(401);
});
