/** The language switch in the panel header changes every string at once, and back. */
import { expect, test } from '@playwright/test';
import { expectHostIntact, hostUrl, panel, t } from './support';

test('switching to English and back to Chinese', async ({ page }) => {
  await page.goto(hostUrl({ locale: 'zh' }));
  const root = panel(page);
  const strings = (l: 'en' | 'zh') => [
    root.getByRole('heading', { name: t(l, 'app.title') }),
    root.getByRole('tab', { name: t(l, 'tabs.overview') }),
    root.getByRole('tab', { name: t(l, 'tabs.insights') }),
    root.getByRole('heading', { name: t(l, 'overview.title') }),
    root.getByRole('heading', { name: t(l, 'tools.title') }),
    root.getByRole('button', { name: t(l, 'tools.registerFor', { tool: 'Hubble UI' }) }),
  ];
  for (const s of strings('zh')) await expect(s).toBeVisible();
  await expect(root.locator('.cobs-app')).toHaveAttribute('lang', 'zh-CN');

  // The browser speaks en-US, the panel zh-CN: the backend's own words (hints, risks, links) follow the panel.
  const statusLanguages: string[] = [];
  page.on('request', (r) => {
    if (r.url().includes('/api/v1/status?')) statusLanguages.push(r.headers()['accept-language'] ?? '');
  });
  await page.reload();
  for (const s of strings('zh')) await expect(s).toBeVisible();
  expect(statusLanguages.at(-1)).toBe('zh-CN');

  await root.getByLabel(t('zh', 'app.language')).selectOption({ label: 'English' });
  await expect.poll(() => statusLanguages.at(-1)).toBe('en');
  for (const s of strings('en')) await expect(s).toBeVisible();
  await expect(root.locator('.cobs-app')).toHaveAttribute('lang', 'en');
  await expect(root.getByText(t('zh', 'app.title'))).toHaveCount(0);
  await expect(root.getByText(t('zh', 'state.ready'))).toHaveCount(0);
  await expect(root.getByText(t('en', 'state.ready')).first()).toBeVisible();

  await root.getByLabel(t('en', 'app.language')).selectOption({ label: '中文' });
  for (const s of strings('zh')) await expect(s).toBeVisible();
  await expect(root.getByText(t('en', 'app.title'))).toHaveCount(0);
  await expectHostIntact(page);
});
