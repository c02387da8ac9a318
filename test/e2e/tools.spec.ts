/** Registering Hubble UI, opening it publicly (mode open) behind the risk dialog, closing it, removing it (dev-team). */
import { expect, test, type Request } from '@playwright/test';
import { API_BASE, callApi, clickSwitch, expectHostIntact, hostUrl, nextApiCall, panel, t } from './support';

const TOOL = 'Hubble UI';
const ACCESS_PATH = '/api/v1/tools/hubble-ui/access';
const SCOPE = '?team=dev-team&region=rainbond';

// leave the shared sandbox as found, whatever happened: access closed, registration gone (both idempotent)
test.afterEach(async ({ request }) => {
  await callApi(request, 'DELETE', `/api/v1/tools/hubble-ui/registration${SCOPE}`);
});

test('register Hubble UI, confirm the risk to open access, close it, remove it', async ({ page }) => {
  const accessCalls: Request[] = [];
  page.on('request', (r) => {
    if (r.method() === 'PUT' && new URL(r.url()).pathname === `${API_BASE}${ACCESS_PATH}`)
      accessCalls.push(r);
  });
  await page.goto(hostUrl({ locale: 'en' }));
  const card = panel(page).locator('[data-tool="hubble-ui"]');
  const sw = card.getByRole('switch', { name: t('en', 'tools.externalFor', { tool: TOOL }) });
  const gatewayLink = card.getByRole('link', { name: /^http:\/\/[a-z0-9-]+\.apps\.localhost:\d+/ });
  const openMode = card.getByRole('radio', { name: t('en', 'tools.modeOpen') });

  await expect(card.getByText(t('en', 'tools.notRegistered'))).toBeVisible();
  await expect(card.getByText(t('en', 'tools.externalNeedsRegistration'))).toBeVisible();
  await expect(sw).toBeDisabled();

  // register → the card shows the component Rainbond now runs for it
  await card.getByRole('button', { name: t('en', 'tools.registerFor', { tool: TOOL }) }).click();
  const progress = panel(page)
    .getByRole('status')
    .filter({ hasText: t('en', 'action.register', { tool: TOOL }) });
  await expect(progress).toContainText(
    t('en', 'action.done', { action: t('en', 'action.register', { tool: TOOL }) }),
  );
  await expect(card.locator('dt', { hasText: t('en', 'tools.component') })).toBeVisible();
  await expect(card.locator('.cobs-tool__component')).toHaveText('running');
  await expect(card.locator('.cobs-tool__endpoints')).toHaveText('1/1');
  await expect(card.getByText(t('en', 'tools.notRegistered'))).toHaveCount(0);
  await expect(sw).toBeEnabled();
  await expect(sw).not.toBeChecked();

  // mode open, then the switch → the dialog names the risk in plain words; cancel sends nothing (checked at the
  // next request); picking the mode while closed sends nothing either
  const dialog = page.getByRole('dialog', { name: t('en', 'tools.risksTitle', { tool: TOOL }) });
  await expect(card.getByRole('radio', { name: t('en', 'tools.modeProtected') })).toBeChecked();
  await openMode.check();
  await clickSwitch(sw);
  await expect(dialog).toBeVisible();
  await expect(dialog.locator('[data-code="NO_AUTH"]')).toHaveText(
    'This tool has no login of its own: anyone who can open its address sees all of its data.',
  );
  await dialog.getByRole('button', { name: t('en', 'tools.cancel') }).click();
  await expect(dialog).toBeHidden();
  await expect(sw).not.toBeChecked();
  await expect(gatewayLink).toHaveCount(0);

  // confirm → the acknowledged risk is sent and the gateway URL appears, opening in a new tab
  await clickSwitch(sw);
  await expect(dialog).toBeVisible();
  const confirmed = nextApiCall(page, ACCESS_PATH, 'PUT');
  await dialog.getByRole('button', { name: t('en', 'tools.risksConfirm') }).click();
  // The page's requests are seen in the order it sends them: one sent on cancel would be ahead of this one.
  const opened = await confirmed;
  expect(accessCalls).toHaveLength(1);
  expect(accessCalls[0]).toBe(opened);
  await expect(dialog).toBeHidden();
  await expect(gatewayLink).toBeVisible();
  await expect(gatewayLink).toHaveAttribute('target', '_blank');
  await expect(gatewayLink).toHaveAttribute('rel', /noopener/);
  await expect(gatewayLink).toHaveAttribute('href', /^http:\/\/[a-z0-9-]+-dev-team\.apps\.localhost:\d+\/?$/);
  await expect(sw).toBeChecked();
  await expect(openMode).toBeChecked();
  expect(opened.postDataJSON()).toEqual({ external: true, mode: 'open', acknowledgedRisks: ['NO_AUTH'] });

  // close access → the URL is gone, no dialog this time
  const closing = nextApiCall(page, ACCESS_PATH, 'PUT');
  await clickSwitch(sw);
  const closed = await closing;
  expect(closed.postDataJSON()).toEqual({ external: false });
  await expect(gatewayLink).toHaveCount(0);
  await expect(sw).not.toBeChecked();
  await expect(dialog).toBeHidden();
  // one request to open, one to close, nothing else
  expect(accessCalls).toHaveLength(2);
  expect(accessCalls[1]).toBe(closed);

  // remove → back to unregistered
  await card.getByRole('button', { name: t('en', 'tools.removeFor', { tool: TOOL }) }).click();
  await expect(card.getByText(t('en', 'tools.notRegistered'))).toBeVisible();
  await expect(
    card.getByRole('button', { name: t('en', 'tools.registerFor', { tool: TOOL }) }),
  ).toBeVisible();
  await expect(sw).toBeDisabled();
  await expectHostIntact(page);
});
