/**
 * Insights on team dev-team (console 6.9.4, so live updates stream over SSE): summary cards from the sandbox's
 * real Prometheus, relay connectivity, the flow table limited to the team's namespace, the verdict filter, live rows.
 */
import { existsSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import {
  clickSwitch,
  expectHostIntact,
  hostUrl,
  nextApiCall,
  panel,
  screenshotPath,
  t,
  valueOf,
} from './support';
import { SUMMARY_CARD_IDS } from '../../contract/insights';

const TEAM = 'dev-team';
const CARDS = SUMMARY_CARD_IDS;

async function openInsights(page: Page) {
  await page.goto(hostUrl({ locale: 'en' }));
  await panel(page)
    .getByRole('tab', { name: t('en', 'tabs.insights') })
    .click();
}

/** Both endpoints' namespaces of every row in the table as "<ns>/", e.g. [["dev-team/", "/"], …] ("" = none). */
const rowEndpoints = (page: Page) =>
  panel(page)
    .locator('.cobs-table tbody tr')
    .evaluateAll((rows) =>
      rows.map((r) => [
        `${r.getAttribute('data-source-ns') ?? ''}/`,
        `${r.getAttribute('data-destination-ns') ?? ''}/`,
      ]),
    );

/** The newest flow time in the table in epoch ms (from the time cells' ISO `title`); 0 when empty. */
const newestFlow = (page: Page) =>
  panel(page)
    .locator('.cobs-table tbody td[title]')
    .evaluateAll((cells) => Math.max(0, ...cells.map((c) => Date.parse(c.getAttribute('title') ?? '') || 0)));

test('insights: summary, relay, team-only flows, verdict filter, live rows', async ({ page }) => {
  // run first after the sandbox starts, this waits ~15 s for Prometheus data
  test.setTimeout(50_000);
  const root = panel(page);
  // Prometheus scrapes every 5 s; right after the sandbox starts a rate needs two samples: reopen until it has them
  await expect(async () => {
    await openInsights(page);
    await expect(
      root.getByText(t('en', 'insights.scopeNamespace', { namespace: TEAM, window: '5m' })),
    ).toBeVisible({
      timeout: 5_000,
    });
    await expect(root.locator('[data-card="flows"] .cobs-metric__value')).toHaveText(/^\d[\d.]*\/s$/, {
      timeout: 1_000,
    });
    await expect(root.locator('[data-card="dropRatio"] .cobs-metric__value')).toHaveText(/%$/, {
      timeout: 1_000,
    });
  }).toPass({ timeout: 30_000, intervals: [1_000, 2_000] });

  for (const id of CARDS)
    await expect(root.locator(`[data-card="${id}"] .cobs-metric__title`)).toHaveText(
      t('en', `insights.card.${id}`),
    );
  await expect(root.getByRole('heading', { name: t('en', 'insights.topDrops') })).toBeVisible();
  await expect(root.getByText('POLICY_DENIED').first()).toBeVisible();
  if (existsSync('/usr/bin/prometheus'))
    await expect(root.getByText(t('en', 'insights.promUnreachable'))).toHaveCount(0);

  // relay connectivity: the simulated cluster has three nodes, all connected
  const relay = root.locator('.cobs-relay');
  await expect(relay.getByText(t('en', 'insights.relayReachable'), { exact: true })).toBeVisible();
  await expect(valueOf(relay, t('en', 'insights.connectedNodes'))).toHaveText('3');
  await expect(valueOf(relay, t('en', 'insights.unavailableNodes'))).toHaveText('0');

  // flows: only those with the team's namespace on at least one side (the relay also has shop and other-team)
  const rows = root.locator('.cobs-table tbody tr');
  await expect(rows.first()).toBeVisible();
  const all = await rowEndpoints(page);
  expect(all.length).toBeGreaterThan(5);
  for (const [src, dst] of all)
    expect(
      [src, dst].some((ep) => ep?.startsWith(`${TEAM}/`)),
      `${src} → ${dst}`,
    ).toBe(true);
  expect(all.flat().some((ep) => ep.startsWith('other-team/') || ep.startsWith('shop/'))).toBe(true);
  // the summary, relay and the first flow rows (the whole table is ~5000 px tall)
  await page.screenshot({
    path: screenshotPath('e2e-insights.png'),
    fullPage: true,
    clip: { x: 0, y: 0, width: 1360, height: 1800 },
  });

  // verdict DROPPED: only dropped flows, each with its reason
  const dropped = nextApiCall(page, '/api/v1/insights/flows');
  await root.getByRole('combobox', { name: t('en', 'insights.verdict') }).selectOption('DROPPED');
  expect(new URL((await dropped).url()).searchParams.get('verdict')).toBe('DROPPED');
  await expect(rows.locator('xpath=self::*[@data-verdict!="DROPPED"]')).toHaveCount(0);
  await expect(rows.first()).toHaveAttribute('data-verdict', 'DROPPED');
  const droppedCount = await rows.count();
  expect(droppedCount).toBeGreaterThan(0);
  await expect(rows.locator('.cobs-drop-reason')).toHaveCount(droppedCount);

  // live: new rows arrive without touching anything
  const before = await newestFlow(page);
  await clickSwitch(root.getByRole('switch', { name: t('en', 'insights.live'), exact: true }));
  await expect(root.getByRole('status').filter({ hasText: t('en', 'insights.liveOn') })).toHaveText(
    t('en', 'insights.liveOn'),
  );
  await expect.poll(() => newestFlow(page), { timeout: 10_000 }).toBeGreaterThan(before);
  await expect(rows.locator('xpath=self::*[@data-verdict!="DROPPED"]')).toHaveCount(0);
  for (const [src, dst] of await rowEndpoints(page))
    expect(
      [src, dst].some((ep) => ep?.startsWith(`${TEAM}/`)),
      `${src} → ${dst}`,
    ).toBe(true);
  await expectHostIntact(page);
});
