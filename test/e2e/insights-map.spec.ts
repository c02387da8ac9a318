/**
 * Insights in Rainbond's words on the sandbox's dev-team (console 6.9.4): the service map with component names,
 * a click on the map filtering the flow table, a drop's explanation, a flow's details, a tag filter and the
 * "hide kube-dns" toggle as what the simulated Relay is asked, and the column chooser. Screenshots in en and
 * zh-CN are attached to the report and kept under test-results/.
 */
import { expect, test, type Page } from '@playwright/test';
import { API_BASE, expectHostIntact, hostUrl, panel, t } from './support';

/** The GetFlows requests the sandbox's Relay received, newest last. */
type RelayRequest = { whitelist: Record<string, unknown[]>[]; blacklist: Record<string, unknown[]>[] };
const relayRequests = async (page: Page): Promise<RelayRequest[]> =>
  (await (await page.request.get('/__sandbox/relay/requests')).json()) as RelayRequest[];

async function openInsights(page: Page, locale: 'en' | 'zh' = 'en') {
  await page.goto(hostUrl({ locale }));
  await panel(page)
    .getByRole('tab', { name: t(locale, 'tabs.insights') })
    .click();
}

/** The next flows call whose query has `param` (the table's first load has none of the filters). */
const flowsCall = (page: Page, param = 'filters') =>
  page.waitForResponse((r) => {
    const u = new URL(r.url());
    return u.pathname === `${API_BASE}/api/v1/insights/flows` && u.searchParams.has(param);
  });

test('the map names the components, a click filters the table, a drop explains itself', async ({ page }) => {
  await openInsights(page);
  const root = panel(page);
  const map = root.getByTestId('service-map');
  const api = map.locator('[data-node="component:gr8b2c4d"]');
  await expect(api.locator('.cobs-map__name')).toHaveText('订单服务');
  await expect(api.locator('.cobs-map__sub')).toHaveText('在线商城');
  await expect(map.locator('[data-node="component:gr2d9e07"] .cobs-map__name')).toHaveText('订单数据库');
  // other namespaces by namespace and workload, never their component names
  await expect(map.locator('[data-node="workload:other-team/report-reporter"] .cobs-map__sub')).toHaveText(
    'other-team',
  );
  await expect(map.getByText('报表服务')).toHaveCount(0);
  await expect(map.locator('[data-node="dns"] .cobs-map__name')).toHaveText('kube-dns');
  await expect(map.locator('.cobs-map__edge--dropped').first()).toBeVisible();
  await expect(api.locator('a')).toHaveAttribute(
    'href',
    /#\/team\/dev-team\/region\/rainbond\/apps\/101\/overview\?type=components&componentID=gr8b2c4d/,
  );
  await page.screenshot({ path: test.info().outputPath('insights-map-en.png'), fullPage: true });
  await test.info().attach('insights-map-en', { path: test.info().outputPath('insights-map-en.png') });

  // a click on a node: the table asks for that component's flows only
  const filtered = flowsCall(page);
  await api.click();
  const res = await filtered;
  expect(new URL(res.url()).searchParams.get('filters')).toBe('either:label=k8s:service_alias=gr8b2c4d');
  const rows = root.locator('.cobs-table tbody tr');
  await expect(rows.first()).toBeVisible();
  await expect(
    root.locator('.cobs-filters__tags [data-tag="either:label=k8s:service_alias=gr8b2c4d"]'),
  ).toBeVisible();
  const eps = await rows.evaluateAll((rs) =>
    rs.map((r) => Array.from(r.querySelectorAll('.cobs-ep'), (e) => e.textContent?.trim())),
  );
  expect(eps.length).toBeGreaterThan(0);
  for (const pair of eps) expect(pair, JSON.stringify(pair)).toContain('订单服务');

  // a drop line: the table filters to it and the map says why
  const dropEdge = map.locator('.cobs-map__edge--dropped[data-source="workload:other-team/report-reporter"]');
  const toDrop = flowsCall(page);
  await dropEdge.click({ force: true });
  expect(new URL((await toDrop).url()).searchParams.get('filters')).toBe(
    'from:pod=other-team/report-reporter-,to:label=k8s:service_alias=gr2d9e07,to:port=5432',
  );
  const why = map.getByTestId('edge-explanation');
  await expect(why).toContainText('POLICY_DENIED');
  await expect(why).toContainText('orders-db-ingress');
  await expect(why).toContainText('kubectl -n dev-team get cnp orders-db-ingress -o yaml');

  // "Why?" on a dropped flow of the table
  await root.locator('.cobs-why').first().click();
  const explanation = root.getByTestId('drop-explanation');
  await expect(explanation).toContainText('POLICY_DENIED');
  await expect(explanation).toContainText(t('en', 'insights.explain.atDestination', { name: '订单数据库' }));
  await expect(explanation).toContainText(
    'hubble observe --namespace dev-team --verdict DROPPED --to-pod dev-team/mall-orders-db-0',
  );
  await page.screenshot({ path: test.info().outputPath('insights-why-en.png'), fullPage: true });
  await test.info().attach('insights-why-en', { path: test.info().outputPath('insights-why-en.png') });
  await expectHostIntact(page);
});

test('the explicit deny names its policy; a flow opens its details with every field and JSON', async ({
  page,
}) => {
  await openInsights(page);
  const root = panel(page);
  const toDeny = flowsCall(page);
  await root.locator('.cobs-filters__kind').selectOption('dns');
  await root.locator('.cobs-filters__direction').selectOption('to');
  await root.locator('.cobs-filters__value').fill('telemetry.example.com');
  await root.getByRole('button', { name: t('en', 'insights.filters.add') }).click();
  expect(new URL((await toDeny).url()).searchParams.get('filters')).toBe('to:dns=telemetry.example.com');
  const row = root.locator('.cobs-table tbody tr[data-verdict="DROPPED"]').first();
  await expect(row).toBeVisible();
  await row.locator('.cobs-why').click();
  const why = root.getByTestId('drop-explanation');
  await expect(why).toContainText('POLICY_DENY');
  await expect(why).toContainText(t('en', 'insights.explain.byFlow'));
  await expect(why).toContainText('deny-external-egress');
  await expect(why).toContainText('kubectl -n dev-team get cnp deny-external-egress -o yaml');

  // the Relay was asked for it: the tag inside the team's whitelist
  const reqs = await relayRequests(page);
  expect(
    reqs.some(
      (r) =>
        r.whitelist.length > 0 &&
        r.whitelist.every((w) => (w.destination_fqdn ?? []).includes('telemetry.example.com')),
    ),
  ).toBe(true);

  const details = root.getByTestId('flow-details');
  for (const label of [
    'insights.details.point',
    'insights.details.identity',
    'insights.details.labels',
    'insights.details.uuid',
  ] as const)
    await expect(details.getByText(t('en', label), { exact: true }).first()).toBeVisible();
  await expect(details).toContainText('mall-web-5c8d7b9f6-q2w3e');
  await expect(details).toContainText('k8s:service_alias=gr6f3a21');
  await details.getByText(t('en', 'insights.details.json'), { exact: true }).click();
  await expect(details.locator('.cobs-details__json pre')).toContainText('"dropReason": "POLICY_DENY"');
  await expectHostIntact(page);
});

test('"hide kube-dns" and a negated tag change what the Relay is asked; columns can be chosen', async ({
  page,
}) => {
  await openInsights(page);
  const root = panel(page);
  await expect(root.locator('.cobs-table tbody tr').first()).toBeVisible();
  const hidden = flowsCall(page, 'hide');
  await root.locator('[data-hide="kube-dns"]').check();
  expect(new URL((await hidden).url()).searchParams.get('hide')).toBe('kube-dns');
  await expect
    .poll(async () =>
      (await relayRequests(page)).some((r) =>
        r.blacklist.some((b) => (b.destination_label ?? []).includes('k8s:k8s-app=kube-dns')),
      ),
    )
    .toBe(true);
  const dnsRows = await root
    .locator('.cobs-table tbody tr')
    .evaluateAll((rs) => rs.filter((r) => r.textContent?.includes('kube-dns')).length);
  expect(dnsRows).toBe(0);

  const negated = flowsCall(page);
  await root.locator('.cobs-filters__kind').selectOption('workload');
  await root.locator('.cobs-filters__direction').selectOption('from');
  await root.locator('.cobs-filters__value').fill('db-migrate');
  await root.locator('.cobs-filters__exclude').check();
  await root.getByRole('button', { name: t('en', 'insights.filters.add') }).click();
  expect(new URL((await negated).url()).searchParams.get('filters')).toBe('!from:workload=db-migrate');
  await expect
    .poll(async () =>
      (await relayRequests(page)).some((r) =>
        r.blacklist.some((b) => JSON.stringify(b.source_workload ?? []).includes('db-migrate')),
      ),
    )
    .toBe(true);

  // columns: add the source IP, drop L7; kept after a reload
  await root.locator('.cobs-columns__summary').click();
  await root.locator('[data-column="sourceIp"][type="checkbox"]').check();
  await root.locator('[data-column="l7"][type="checkbox"]').uncheck();
  await expect(root.locator('.cobs-table th[data-column="sourceIp"]')).toBeVisible();
  await expect(root.locator('.cobs-table th[data-column="l7"]')).toHaveCount(0);
  await openInsights(page);
  await expect(root.locator('.cobs-table th[data-column="sourceIp"]')).toBeVisible();
  await expect(root.locator('.cobs-table th[data-column="l7"]')).toHaveCount(0);
  await page.evaluate(() => localStorage.removeItem('cobs.insights.columns'));
  await expectHostIntact(page);
});

test('zh-CN: the map and a drop explanation in Chinese', async ({ page }) => {
  await openInsights(page, 'zh');
  const root = panel(page);
  const map = root.getByTestId('service-map');
  await expect(root.getByRole('heading', { name: t('zh', 'insights.map.title') })).toBeVisible();
  await expect(map.locator('[data-node="component:gr8b2c4d"] .cobs-map__name')).toHaveText('订单服务');
  await map
    .locator('.cobs-map__edge--dropped[data-source="workload:other-team/report-reporter"]')
    .click({ force: true });
  await expect(map.getByTestId('edge-explanation')).toContainText('默认拒绝');
  await root.locator('.cobs-why').first().click();
  await expect(root.getByTestId('drop-explanation')).toContainText(t('zh', 'insights.explain.title'));
  await page.screenshot({ path: test.info().outputPath('insights-map-zh-CN.png'), fullPage: true });
  await test.info().attach('insights-map-zh-CN', { path: test.info().outputPath('insights-map-zh-CN.png') });
  await expectHostIntact(page);
});
