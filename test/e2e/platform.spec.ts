/** Platform view: no team from the console, so the user picks team and cluster first. */
import { expect, test } from '@playwright/test';
import { expectHostIntact, expectSimulatedCluster, hostUrl, nextApiCall, panel, t } from './support';

test('pick team and cluster, then the overview shows', async ({ page }) => {
  await page.goto(hostUrl({ view: 'Platform', locale: 'en' }));
  const root = panel(page);
  await expect(root.getByRole('heading', { name: t('en', 'context.title') })).toBeVisible();
  await expect(root.getByText(t('en', 'context.hint'))).toBeVisible();
  await expect(root.getByRole('tablist')).toHaveCount(0);

  const team = root.getByRole('combobox', { name: t('en', 'context.team') });
  const region = root.getByRole('combobox', { name: t('en', 'context.region') });
  await expect(region).toBeDisabled();
  const status = nextApiCall(page, '/api/v1/status');
  await team.selectOption({ label: '在线商城' });
  await region.selectOption('rainbond');
  const url = new URL((await status).url());
  expect(url.searchParams.get('team')).toBe('shop');
  expect(url.searchParams.get('region')).toBe('rainbond');

  await expect(root.getByRole('tab', { name: t('en', 'tabs.overview') })).toBeVisible();
  await expectSimulatedCluster(page, 'en');
  // The sandbox registers an RBDPlugin pointing at its own backend: the entry card says so.
  const entry = root.locator('.cobs-plugin-entry');
  await expect(entry).toHaveAttribute('data-state', 'ok');
  await expect(entry.getByText(t('en', 'plugin.state.ok'), { exact: true })).toBeVisible();
  await expectHostIntact(page);
});
