/** What the user reads when the session expired or the plugin backend is down; the console layout stays. */
import { expect, test, type Page } from '@playwright/test';
import {
  expectHostIntact,
  expectSimulatedCluster,
  hostUrl,
  panel,
  sandboxToken,
  setBackendUp,
  t,
} from './support';

/** The panel's error block: a labelled group holding the alert (announced once) and the retry button. */
const errorAlert = (page: Page) => panel(page).locator('.cobs-error');

test('an expired session says to log in again, inside the panel', async ({
  page,
  context,
  request,
  baseURL,
}) => {
  const expired = await sandboxToken(request, -60);
  await context.addCookies([{ name: 'token', value: expired, url: baseURL! }]);
  await page.goto(hostUrl({ locale: 'en' }));
  const alert = errorAlert(page);
  await expect(alert).toContainText(t('en', 'error.session'));
  // One alert for screen readers, not two nested ones.
  await expect(panel(page).getByRole('alert')).toHaveCount(1);
  await expect(alert.getByRole('button', { name: t('en', 'error.retry') })).toHaveCount(0);
  await expect(panel(page).getByRole('heading', { name: t('en', 'overview.title') })).toHaveCount(0);
  await expectHostIntact(page);
});

test.describe('plugin backend down', () => {
  // the sandbox is shared: bring the backend back whatever happened in the test
  test.afterEach(async ({ request }) => {
    await setBackendUp(request, true);
  });

  test('refreshing while the backend is down says it is unreachable; retry recovers', async ({
    page,
    request,
  }) => {
    await page.goto(hostUrl({ locale: 'zh' }));
    await expectSimulatedCluster(page, 'zh');
    await setBackendUp(request, false);
    await panel(page)
      .getByRole('button', { name: t('zh', 'app.refresh') })
      .click();
    const alert = errorAlert(page);
    await expect(alert).toContainText(t('zh', 'error.unreachable'));
    await expectHostIntact(page);

    await setBackendUp(request, true);
    await alert.getByRole('button', { name: t('zh', 'error.retry') }).click();
    await expect(panel(page).getByRole('alert')).toHaveCount(0);
    await expectSimulatedCluster(page, 'zh');
  });
});
