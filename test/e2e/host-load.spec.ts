/** The panel loads through SystemJS the way each console generation loads it, and survives remounts. */
import { expect, test } from '@playwright/test';
import {
  expectHostIntact,
  expectSimulatedCluster,
  hostUrl,
  nextApiCall,
  panel,
  screenshotPath,
  t,
  teamHash,
  API_BASE,
  PLUGIN_ID,
  REGION,
} from './support';

test('console 6.6: no team in baseInfo, so team and region come from the hash route', async ({ page }) => {
  const status = nextApiCall(page, '/api/v1/status');
  await page.goto(hostUrl({ console: '6.6', locale: 'zh' }));
  // the 6.6 host sets the hash route of the team page it is on
  expect(await page.evaluate(() => location.hash)).toBe(teamHash('dev-team'));
  const url = new URL((await status).url());
  expect(url.searchParams.get('team')).toBe('dev-team');
  expect(url.searchParams.get('region')).toBe('rainbond');
  await expectSimulatedCluster(page, 'zh');
  expect(await page.evaluate(() => window.__pluginLoadMs)).toBeGreaterThan(0);
  await expectHostIntact(page);
});

test('console 6.6 on another team page reads that team from the hash', async ({ page }) => {
  const status = nextApiCall(page, '/api/v1/status');
  await page.goto(hostUrl({ console: '6.6', locale: 'en', hash: teamHash('shop') }));
  expect(new URL((await status).url()).searchParams.get('team')).toBe('shop');
  await expectSimulatedCluster(page, 'en');
  await expectHostIntact(page);
});

test('console 6.9.4: team and region from baseInfo; overview shows the simulated cluster', async ({
  page,
}) => {
  const status = nextApiCall(page, '/api/v1/status');
  await page.goto(hostUrl({ console: '6.9.4', locale: 'en' }));
  expect(new URL((await status).url()).searchParams.get('team')).toBe('dev-team');
  await expectSimulatedCluster(page, 'en');
  const root = panel(page);
  await expect(root.getByRole('heading', { name: t('en', 'app.title') })).toBeVisible();
  await expect(root.getByRole('tab', { name: t('en', 'tabs.overview') })).toHaveAttribute(
    'aria-selected',
    'true',
  );
  for (const tool of ['Hubble UI', 'Grafana', 'Prometheus'])
    await expect(root.getByRole('heading', { name: tool, exact: true })).toBeVisible();
  await expectHostIntact(page);
  await page.screenshot({ path: screenshotPath('e2e-team-view.png'), fullPage: true });
});

test('unmount and remount twice: the panel comes back, one style element, then none', async ({ page }) => {
  await page.goto(hostUrl({ locale: 'en' }));
  await expectSimulatedCluster(page, 'en');
  const styles = page.locator('head style[data-cobs-style]');
  await expect(styles).toHaveCount(1);
  for (let round = 0; round < 2; round++) {
    await page.evaluate(() => window.__hostUnmount());
    await expect(page.locator('.cobs-app')).toHaveCount(0);
    await expect(styles).toHaveCount(0);
    await page.evaluate(() => window.__hostRemount());
    await expectSimulatedCluster(page, 'en');
    await expect(page.locator('.cobs-app')).toHaveCount(1);
    await expect(styles).toHaveCount(1);
  }
  await expectHostIntact(page);
});

test('the panel requests nothing but the backend API (host page, vendor scripts and bundle aside)', async ({
  page,
}) => {
  const urls: string[] = [];
  page.on('request', (r) => urls.push(r.url()));
  await page.goto(hostUrl({ console: '6.9.4', locale: 'en' }));
  await expectSimulatedCluster(page, 'en');
  await panel(page)
    .getByRole('tab', { name: t('en', 'tabs.insights') })
    .click();
  await expect(panel(page).locator('[data-card="flows"]')).toBeVisible({ timeout: 20_000 });
  const origin = new URL(page.url()).origin;
  const allowed = [
    /^\/(\?.*)?$/, // the console page itself
    /^\/host\/vendor\/[\w.-]+\.js$/, // the console's own scripts (React, SystemJS, …)
    new RegExp(`^/console/regions/${REGION}/static/plugins/${PLUGIN_ID}(\\?.*)?$`), // the bundle, via the console
    new RegExp(`^${API_BASE}/api/v1/[\\w/-]+\\?`), // our backend, via the console proxy
  ];
  const foreign = urls.filter((u) => {
    const url = new URL(u);
    if (url.protocol === 'data:' || url.protocol === 'blob:') return false;
    return url.origin !== origin || !allowed.some((re) => re.test(url.pathname + url.search));
  });
  expect(foreign).toEqual([]);
  expect(urls.some((u) => u.includes(`${API_BASE}/api/v1/status?`))).toBe(true);
});

test("the panel's CSS changes nothing outside it: host elements look the same with and without the panel", async ({
  page,
}) => {
  await page.goto(hostUrl({ console: '6.9.4', locale: 'en' }));
  await expectSimulatedCluster(page, 'en');
  const snapshot = () =>
    page.evaluate(() => {
      // Height is left out: the content area grows with the panel by design.
      const props = [
        'color',
        'background-color',
        'font-family',
        'font-size',
        'font-weight',
        'line-height',
        'margin-top',
        'margin-left',
        'padding-top',
        'padding-left',
        'border-top-width',
        'border-top-style',
        'border-radius',
        'display',
        'box-sizing',
        'width',
        'text-align',
        'list-style-type',
        'outline-style',
      ];
      const els = [
        document.documentElement,
        document.body,
        ...Array.from(
          document.querySelectorAll('#rbd-header, #rbd-header *, #rbd-menu, #rbd-menu *, #rbd-content'),
        ),
      ];
      return els.map((el) => {
        const cs = getComputedStyle(el);
        return `${el.tagName.toLowerCase()}.${el.className}: ${props.map((p) => `${p}=${cs.getPropertyValue(p)}`).join(';')}`;
      });
    });
  const withPanel = await snapshot();
  expect(withPanel.length).toBeGreaterThan(15);
  await page.evaluate(() => window.__hostUnmount());
  await expect(page.locator('head style[data-cobs-style]')).toHaveCount(0);
  const withoutPanel = await snapshot();
  expect(withPanel).toEqual(withoutPanel);
});
