/**
 * Platform view: it opens straight on the cluster overview and the tools, in the team that holds the tools'
 * components (found by the backend), shows that team on each tool card, and remembers another pick.
 */
import { expect, test } from '@playwright/test';
import { callApi, expectHostIntact, expectSimulatedCluster, hostUrl, nextApiCall, panel, t } from './support';

const SHOP = '?team=shop&region=rainbond';
const REMEMBERED = 'cobs:cilium-observability:platform-team';

test.beforeEach(async ({ request }) => {
  // the tools live in shop: the view must find them there without being told
  await callApi(request, 'POST', `/api/v1/tools/hubble-ui/registration${SHOP}`, {});
});
test.afterEach(async ({ request }) => {
  await callApi(request, 'DELETE', `/api/v1/tools/hubble-ui/registration${SHOP}`);
});

test('opens on the overview and the tools of the team holding them, no picker first; another pick is remembered', async ({
  page,
}) => {
  const status = nextApiCall(page, '/api/v1/status');
  await page.goto(hostUrl({ view: 'Platform', locale: 'en' }));
  const root = panel(page);
  expect(new URL((await status).url()).searchParams.get('team')).toBe('shop');
  await expect(root.getByRole('heading', { name: t('en', 'context.title') })).toHaveCount(0);
  await expect(root.getByRole('tab', { name: t('en', 'tabs.overview') })).toBeVisible();
  await expectSimulatedCluster(page, 'en');

  const team = root.getByRole('combobox', { name: t('en', 'platform.toolsTeam') });
  await expect(team).toHaveValue('shop');
  const cards = root.locator('[data-tool]');
  await expect(cards).toHaveCount(3);
  for (const card of await cards.all()) await expect(card.locator('.cobs-tool__team')).toHaveText('在线商城');
  await expect(root.locator('[data-tool="hubble-ui"] .cobs-tool__component')).toHaveText('running');

  // another team: asked once, remembered across a reload
  const devStatus = nextApiCall(page, '/api/v1/status');
  await team.selectOption({ label: '开发团队' });
  expect(new URL((await devStatus).url()).searchParams.get('team')).toBe('dev-team');
  await expect(root.locator('[data-tool="hubble-ui"] .cobs-tool__team')).toHaveText('开发团队');
  expect(await page.evaluate((k) => localStorage.getItem(k), REMEMBERED)).toBe('dev-team');
  const again = nextApiCall(page, '/api/v1/status');
  await page.reload();
  expect(new URL((await again).url()).searchParams.get('team')).toBe('dev-team');
  await expect(root.getByRole('combobox', { name: t('en', 'platform.toolsTeam') })).toHaveValue('dev-team');
  await page.evaluate((k) => localStorage.removeItem(k), REMEMBERED);
  await expectHostIntact(page);
});
