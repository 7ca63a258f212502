import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Connection } from 'home-assistant-js-websocket';
import type { BrowserContext, Page } from 'playwright-core';
import {
  HOUSEHOLD_DASHBOARD,
  HOUSEHOLD_DASHBOARD_CONFIG,
} from '../../scripts/real-ha/dashboards.ts';
import { HaSocket } from '../../scripts/real-ha/ha-api.ts';
import { waitFor } from '../fakes/demo-home.ts';
import { buildWebUi, hasChromium, launchBrowser, SCREENSHOTS } from '../helpers/browser.ts';
import { connectDevice, pairDevice } from '../helpers/devices.ts';
import { startTestServer, type TestServer } from '../helpers/hasync.ts';
import { requestJson } from '../helpers/json-http.ts';
import { frontendTokens, type RealHa, startRealHa } from '../helpers/real-ha.ts';

// Runs only in `npm run test:real-ha`: real Home Assistant 2024.3.3 with a household dashboard
// the harness stored before start (scripts/real-ha/dashboards.ts: `dashboard-home`, views
// Kitchen, Bedroom and More), HAsync in standalone mode in front, the admin UI, and Chromium.
// HA: homeassistant/components/lovelace/websocket.py websocket_lovelace_config (_handle_errors),
// lovelace/dashboard.py LovelaceStorage.async_save (lovelace_updated);
// HA frontend 20240307.0 src/layouts/partial-panel-resolver.ts (unknown panel → default panel),
// src/panels/lovelace/hui-root.ts (views by path), src/panels/lovelace/ha-panel-lovelace.ts.

const SKIP = hasChromium() ? false : 'chromium not installed (apt-get install -y chromium)';
const URL_PATH = HOUSEHOLD_DASHBOARD.url_path;
/** What a kitchen-scoped device must never see of this dashboard. */
const OUTSIDE = ['Bed Light', 'Decorative Lights', 'Living Room', 'Bedroom', 'The bed light is'];

const navigate = (path: string) => ({ action: 'navigate', navigation_path: path });

/** HOUSEHOLD_DASHBOARD_CONFIG as a kitchen-scoped device gets it, at its default dashboard. */
const KITCHEN_VIEW = {
  title: 'Our home',
  views: [
    {
      title: 'Kitchen',
      path: 'kitchen',
      badges: ['sensor.carbon_monoxide'],
      cards: [
        { type: 'tile', entity: 'light.kitchen_lights' },
        {
          type: 'entities',
          title: 'Around the house',
          entities: ['fan.ceiling_fan', { entity: 'cover.kitchen_window' }],
        },
        {
          type: 'button',
          name: 'More rooms',
          icon: 'mdi:arrow-right',
          tap_action: navigate('/lovelace/more'),
        },
      ],
    },
    {
      title: 'More',
      path: 'more',
      cards: [
        { type: 'glance', title: 'At a glance', entities: ['cover.kitchen_window'] },
        {
          type: 'button',
          name: 'Back to the kitchen',
          icon: 'mdi:arrow-left',
          tap_action: navigate('/lovelace/kitchen'),
        },
      ],
    },
  ],
};

async function outsideShown(page: Page): Promise<string[]> {
  const shown: string[] = [];
  for (const text of OUTSIDE) if ((await page.getByText(text).count()) > 0) shown.push(text);
  return shown;
}

/** Home Assistant's error for a WebSocket command of HaSocket (it rejects with "code: message"). */
async function haError(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise;
  } catch (err) {
    const [code = '', ...rest] = String((err as Error).message).split(': ');
    return { code, message: rest.join(': ') };
  }
  assert.fail('Home Assistant answered without an error');
}

async function deviceError(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  assert.fail('HAsync answered without an error');
}

describe('a household dashboard of real Home Assistant on a device', { skip: SKIP }, () => {
  let ha: RealHa;
  let server: TestServer;
  let web: { dir: string; cleanup: () => void };
  let browser: { context: BrowserContext; close(): Promise<void> };
  let admin: HaSocket;
  let device: { device_id: string; token: string };
  let conn: Connection;
  before(async () => {
    ha = await startRealHa();
    web = buildWebUi();
    server = await startTestServer({
      env: { HASYNC_HA_URL: ha.url, HASYNC_HA_TOKEN: ha.token },
      webRoot: web.dir,
    });
    browser = await launchBrowser();
    admin = await HaSocket.connect(ha.url, ha.token);
    device = await pairDevice(server.adminUrl, server.deviceUrl, {
      name: 'Kitchen wall tablet',
      areas: ['kitchen'],
    });
    conn = await connectDevice(server.deviceUrl, device.token);
  });
  after(async () => {
    conn?.close();
    admin?.close();
    await browser?.close();
    await server?.stop();
    web?.cleanup();
    await ha?.stop();
  });

  test('Home Assistant has the dashboard the harness stored, at its own URL path', async () => {
    const stored = await admin.command('lovelace/config', { url_path: URL_PATH, force: false });
    assert.deepEqual(stored, HOUSEHOLD_DASHBOARD_CONFIG);
    const panels = await admin.command<Record<string, unknown>>('get_panels');
    assert.ok(URL_PATH in panels, 'Home Assistant lists it as a panel');
  });

  test('the admin UI offers it on the device page, and choosing it is saved', async () => {
    const listed = await requestJson<{ url_path: string; title: string }[]>(
      'GET',
      `${server.adminUrl}/api/dashboards`,
    );
    assert.deepEqual(
      listed.body.map((d) => [d.url_path, d.title]),
      [
        ['lovelace', 'Overview'],
        [URL_PATH, 'Home'],
      ],
    );
    const page = await browser.context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (err) => problems.push(err.message));
    await page.setViewportSize({ width: 1024, height: 768 });
    await page.goto(`${server.adminUrl}/#/devices/${device.device_id}`);
    const select = page.getByLabel('Dashboard');
    await select.locator('option', { hasText: 'Home — only the cards it may see' }).waitFor({
      state: 'attached',
    });
    await select.selectOption(URL_PATH);
    await waitFor(
      async () =>
        (
          await requestJson<{ dashboard: unknown }>(
            'GET',
            `${server.adminUrl}/api/devices/${device.device_id}`,
          )
        ).body.dashboard === URL_PATH,
      'the choice saved',
    );
    // The page shows the saved choice (its device view settles on what the server answered).
    await waitFor(async () => (await select.inputValue()) === URL_PATH, 'the select to show it');
    await select.scrollIntoViewIfNeeded();
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, 'ha-frontend-admin-dashboard-select.png') });
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('lovelace/config gives the device the dashboard scoped, its links kept inside it', async () => {
    const config = await conn.sendMessagePromise({ type: 'lovelace/config', force: false });
    assert.deepEqual(config, KITCHEN_VIEW);
  });

  test('its own URL path and any other answer as Home Assistant answers a dashboard it does not have', async () => {
    // The non-admin user's Home Assistant, for a dashboard it has not: the oracle.
    const user = await HaSocket.connect(ha.url, ha.userToken);
    try {
      const missing = await haError(
        user.command('lovelace/config', { url_path: 'dashboard-nope', force: false }),
      );
      assert.deepEqual(missing, {
        code: 'config_not_found',
        message: 'Unknown config specified: dashboard-nope',
      });
      for (const urlPath of ['dashboard-nope', URL_PATH]) {
        const err = await deviceError(
          conn.sendMessagePromise({ type: 'lovelace/config', url_path: urlPath, force: false }),
        );
        assert.deepEqual(err, {
          code: missing.code,
          message: missing.message.replace('dashboard-nope', urlPath),
        });
      }
      // Home Assistant lists the dashboard as a panel for its user; a device has none for it.
      const userPanels = await user.command<Record<string, unknown>>('get_panels');
      assert.ok(URL_PATH in userPanels);
      const panels = await conn.sendMessagePromise<Record<string, unknown>>({ type: 'get_panels' });
      assert.ok('lovelace' in panels);
      assert.ok(!(URL_PATH in panels), Object.keys(panels).join(', '));
    } finally {
      user.close();
    }
  });

  describe('in Chromium, through the device port', () => {
    let page: Page;
    before(async () => {
      await browser.context.addInitScript(
        (tokens) => {
          if (!localStorage.getItem('hassTokens')) localStorage.setItem('hassTokens', tokens);
        },
        frontendTokens(server.deviceUrl, device.token),
      );
      page = await browser.context.newPage();
      await page.setViewportSize({ width: 1024, height: 768 });
    });
    after(async () => page?.close());

    test('the dashboard opens at the default path with only what the device may see', async () => {
      await page.goto(`${server.deviceUrl}/`);
      await page.waitForURL(/\/lovelace\/kitchen$/);
      await page.getByText('Around the house').waitFor({ timeout: 30_000 });
      for (const name of ['Kitchen Lights', 'Ceiling Fan', 'Kitchen Window', 'More rooms'])
        assert.ok((await page.getByText(name, { exact: true }).count()) > 0, name);
      assert.deepEqual(await outsideShown(page), []);
      // The view tabs: Kitchen and More; the Bedroom view went with its cards.
      const tabs = page.locator('hui-root paper-tab');
      const titles = (await tabs.allTextContents()).map((t) => t.trim()).filter(Boolean);
      assert.deepEqual(titles, ['Kitchen', 'More']);
      // No sidebar entry for the household dashboard's own path.
      assert.equal(await page.locator('ha-sidebar').getByText('Home', { exact: true }).count(), 0);
      await page.waitForTimeout(500);
      await page.screenshot({ path: join(SCREENSHOTS, 'ha-frontend-household-dashboard.png') });
    });

    test('its buttons navigate between its views; its own URL path shows the device’s dashboard', async () => {
      await page.getByText('More rooms', { exact: true }).click();
      await page.waitForURL(/\/lovelace\/more$/);
      await page.getByText('At a glance').waitFor();
      assert.deepEqual(await outsideShown(page), []);
      await page.getByText('Back to the kitchen', { exact: true }).click();
      await page.waitForURL(/\/lovelace\/kitchen$/);
      await page.getByText('Around the house').waitFor();
      // A link or bookmark to Home Assistant's path of the dashboard: no such panel on a device,
      // so the frontend shows its default one, the same dashboard, scoped.
      await page.goto(`${server.deviceUrl}/${URL_PATH}/more`);
      await page.waitForURL(/\/lovelace\/kitchen$/);
      await page.getByText('Around the house').waitFor();
      assert.deepEqual(await outsideShown(page), []);
    });

    test('an edit of the household dashboard in Home Assistant reaches the tablet as Home Assistant’s refresh toast, without a page reload', async () => {
      await page.evaluate(() => {
        (globalThis as unknown as { notReloaded: boolean }).notReloaded = true;
      });
      const kitchen = HOUSEHOLD_DASHBOARD_CONFIG.views[0] as { cards: unknown[] };
      const edited = {
        ...HOUSEHOLD_DASHBOARD_CONFIG,
        views: [
          {
            ...kitchen,
            cards: [
              { type: 'tile', entity: 'fan.ceiling_fan', name: 'Fan, added later' },
              { type: 'tile', entity: 'light.bed_light', name: 'Bed, added later' },
              ...kitchen.cards,
            ],
          },
          ...HOUSEHOLD_DASHBOARD_CONFIG.views.slice(1),
        ],
      };
      await admin.command('lovelace/config/save', { url_path: URL_PATH, config: edited });
      // As Home Assistant's own frontend does for its user: a toast offers the new version
      // (ha-panel-lovelace.ts _lovelaceChanged), and Refresh fetches it without a page reload.
      const toast = page.locator('ha-toast');
      await toast.getByText('Your dashboard was updated. Refresh to see changes?').waitFor({
        timeout: 20_000,
      });
      await toast.getByText('Refresh', { exact: true }).click();
      await page.getByText('Fan, added later').waitFor({ timeout: 20_000 });
      assert.equal(await page.getByText('Bed, added later').count(), 0);
      assert.deepEqual(await outsideShown(page), []);
      const same = await page.evaluate(
        () => (globalThis as unknown as { notReloaded?: boolean }).notReloaded === true,
      );
      assert.ok(same, 'the page was not reloaded');
      await admin.command('lovelace/config/save', {
        url_path: URL_PATH,
        config: HOUSEHOLD_DASHBOARD_CONFIG,
      });
      await toast.getByText('Refresh', { exact: true }).click();
      await page.getByText('Fan, added later').waitFor({ state: 'detached', timeout: 20_000 });
    });
  });
});
