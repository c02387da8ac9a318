/**
 * A team owner who is not an enterprise admin (sandbox user "owner", dev-team) sees the tools read-only: every
 * control disabled with the sentence saying who may change them, and nothing sent when clicking.
 */
import { expect, test, type Request } from '@playwright/test';
import { API_BASE, callApi, clickSwitch, expectHostIntact, hostUrl, panel, sandboxToken, t } from './support';

const SCOPE = '?team=dev-team&region=rainbond';

test.afterEach(async ({ request }) => {
  await callApi(request, 'DELETE', `/api/v1/tools/grafana/registration${SCOPE}`);
});

test('a non-admin team owner sees the tools read-only, with who may change them, and sends no change', async ({
  page,
  context,
  request,
  baseURL,
}) => {
  // one tool registered by the admin, so both the register and the remove/switch states are on the page
  await callApi(request, 'POST', `/api/v1/tools/grafana/registration${SCOPE}`, {});
  await context.addCookies([
    { name: 'token', value: await sandboxToken(request, 3600, 'owner'), url: baseURL! },
  ]);
  const changes: Request[] = [];
  page.on('request', (r) => {
    if (r.method() !== 'GET' && new URL(r.url()).pathname.startsWith(API_BASE)) changes.push(r);
  });
  await page.goto(hostUrl({ locale: 'en' }));
  const root = panel(page);
  const sentence = t('en', 'tools.readOnly.enterprise-admin');

  const ui = root.locator('[data-tool="hubble-ui"]');
  await expect(ui.getByRole('note')).toHaveText(sentence);
  const register = ui.getByRole('button', { name: t('en', 'tools.registerFor', { tool: 'Hubble UI' }) });
  await expect(register).toBeDisabled();
  await register.click({ force: true });

  const grafana = root.locator('[data-tool="grafana"]');
  await expect(grafana.locator('.cobs-tool__component')).toHaveText('running');
  await expect(grafana.getByRole('note')).toHaveText(sentence);
  await expect(
    grafana.getByRole('button', { name: t('en', 'tools.removeFor', { tool: 'Grafana' }) }),
  ).toBeDisabled();
  const sw = grafana.getByRole('switch', { name: t('en', 'tools.externalFor', { tool: 'Grafana' }) });
  await expect(sw).toBeDisabled();
  await clickSwitch(sw);
  await expect(page.getByRole('dialog')).toHaveCount(0);

  // status still comes in full for a member: the overview is there
  await expect(root.getByRole('heading', { name: t('en', 'overview.title') })).toBeVisible();
  expect(changes.map((r) => `${r.method()} ${r.url()}`)).toEqual([]);
  await expectHostIntact(page);
});
