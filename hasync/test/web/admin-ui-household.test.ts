import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { FrameLocator, Page } from 'playwright-core';
import { adminUiSuite } from '../helpers/admin-ui.ts';
import { hasChromium, snap } from '../helpers/browser.ts';
import { pairDevice } from '../helpers/devices.ts';
import { startTestServer } from '../helpers/hasync.ts';
import { requestJson } from '../helpers/json-http.ts';

const SKIP = hasChromium() ? false : 'chromium not installed (apt-get install -y chromium)';
/** Home Assistant's app header in its light theme (its primary colour) and dark theme. */
const HA_BLUE = 'rgb(3, 169, 244)';
const HA_DARK_HEADER = 'rgb(16, 30, 36)';

/** Screenshots at phone and desktop width, in the light and the dark scheme. */
async function snapBoth(page: Page, name: string): Promise<void> {
  await page.emulateMedia({ colorScheme: 'light' });
  await snap(page, name);
  await page.emulateMedia({ colorScheme: 'dark' });
  await snap(page, `${name}-dark`);
  await page.emulateMedia({ colorScheme: 'light' });
}

/** An element's computed background colour, read in the page (this file has no DOM types). */
const background = (target: Page | FrameLocator, selector: string) =>
  target
    .locator(selector)
    .first()
    .evaluate((el) => el.ownerDocument.defaultView?.getComputedStyle(el).backgroundColor);
const headerColour = (page: Page) => background(page, '.app-header');

describe('admin web UI for a household', { skip: SKIP }, () => {
  const ui = adminUiSuite(startTestServer);
  const open = ui.open;

  test("dark mode uses Home Assistant's dark header, not the bright blue one", async () => {
    const { page, problems } = await open('#/status');
    await page.getByText('Demo home (simulated)').waitFor();
    assert.equal(await headerColour(page), HA_BLUE);
    await page.emulateMedia({ colorScheme: 'dark' });
    assert.equal(await headerColour(page), HA_DARK_HEADER);
    assert.equal(await background(page, 'html'), 'rgb(17, 17, 17)');
    await snapBoth(page, 'household-status');
    assert.deepEqual(problems, []);
    await page.close();
  });

  test("under ingress it takes the theme Home Assistant shows around it, over the browser's", async () => {
    // Home Assistant frames the panel on its own origin and passes no theme in the URL; its
    // document carries the theme variables (dark here) while the browser prefers light.
    const page = await ui.context.newPage();
    await page.emulateMedia({ colorScheme: 'light' });
    const shell = `${ui.server.adminUrl}/ha-shell-for-test.html`;
    await page.route(shell, (route) =>
      route.fulfill({
        contentType: 'text/html',
        body: `<!doctype html><html style="--primary-background-color:#111111;
          --card-background-color:#1c1c1c;--primary-text-color:#e1e1e1;
          --secondary-text-color:#9b9b9b;--app-header-background-color:#101e24;
          --app-header-text-color:#e1e1e1;--primary-color:#ff9800;--divider-color:rgba(225,225,225,.12)">
          <body style="margin:0"><iframe title="HAsync" src="./#/devices"
          style="border:0;width:100vw;height:100vh"></iframe></body></html>`,
      }),
    );
    await page.goto(shell);
    const frame = page.frameLocator('iframe[title="HAsync"]');
    await frame.getByText('Live', { exact: true }).waitFor();
    const colours = {
      header: await background(frame, '.app-header'),
      page: await background(frame, 'html'),
      link: await background(frame, '.button-primary'),
    };
    assert.deepEqual(colours, {
      header: HA_DARK_HEADER,
      page: 'rgb(17, 17, 17)',
      link: 'rgb(255, 152, 0)',
    });
    // The user switches Home Assistant to a light theme: the panel follows without a reload.
    await page.locator('html').evaluate((html) => {
      const root = (html as unknown as { style: { setProperty(k: string, v: string): void } })
        .style;
      root.setProperty('--primary-background-color', '#fafafa');
      root.setProperty('--app-header-background-color', '#03a9f4');
      root.setProperty('--primary-text-color', '#212121');
      root.setProperty('--card-background-color', '#ffffff');
    });
    await frame
      .locator('html[data-ha-theme="light"]')
      .waitFor({ state: 'attached', timeout: 5000 });
    assert.equal(await background(frame, '.app-header'), HA_BLUE);
    await page.close();
  });

  test('warns about two devices with the same name and revokes several with one confirmation', async () => {
    const { adminUrl, deviceUrl } = ui.server;
    const a = await pairDevice(adminUrl, deviceUrl, { name: 'Kitchen tablet' });
    const b = await pairDevice(adminUrl, deviceUrl, { name: 'kitchen  tablet' });
    const c = await pairDevice(adminUrl, deviceUrl, { name: 'Hall panel' });
    const { page, problems } = await open('#/devices');
    const warning = page.getByRole('status').filter({ hasText: 'Two devices have the same name' });
    await warning.waitFor();
    assert.match((await warning.textContent()) ?? '', /called “Kitchen tablet”/);
    const rows = page.getByRole('list', { name: 'Paired devices' }).getByRole('listitem');
    assert.equal(await rows.filter({ hasText: 'Same name as another device' }).count(), 2);
    await snapBoth(page, 'household-same-name');

    const select = (name: string) => page.getByRole('checkbox', { name, exact: true }).check();
    await select('Select Kitchen tablet');
    await select('Select kitchen tablet');
    await page.getByText('2 devices selected').waitFor();
    await page.getByRole('button', { name: 'Revoke 2 devices' }).click();
    const dialog = page.getByRole('dialog', { name: 'Revoke 2 devices?' });
    await dialog.waitFor();
    assert.match(
      (await dialog.textContent()) ?? '',
      /Kitchen tablet, kitchen {2}tablet lose access/,
    );
    await snapBoth(page, 'household-bulk-revoke');
    await dialog.getByRole('button', { name: 'Revoke 2 devices' }).click();
    await page.getByText('2 devices selected').waitFor({ state: 'detached' });
    await rows.filter({ hasText: 'Hall panel' }).waitFor();
    await warning.waitFor({ state: 'detached' });
    assert.equal(await rows.count(), 1);
    for (const [device, status] of [
      [a, 404],
      [b, 404],
      [c, 200],
    ] as const) {
      const res = await requestJson('GET', `${adminUrl}/api/devices/${device.device_id}`);
      assert.equal(res.status, status, `device ${device.name}`);
    }
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('the entity picker searches by name and shows each state with its unit', async () => {
    const device = await pairDevice(ui.server.adminUrl, ui.server.deviceUrl, {
      name: 'Picker tablet',
    });
    const { page, problems } = await open(`#/devices/${device.device_id}`);
    await page.getByRole('heading', { name: 'Picker tablet' }).waitFor();
    await page.getByLabel('Add a single entity').fill('temperature');
    const results = page.getByRole('list', { name: 'Search results' }).getByRole('listitem');
    await results.first().waitFor();
    const texts = await results.allTextContents();
    assert.ok(texts.length > 0);
    for (const text of texts) assert.match(text, /temperature/i);
    assert.ok(
      texts.every((text) => /-?\d+(\.\d+)? °C/.test(text)),
      `every temperature shows °C: ${texts.join(' | ')}`,
    );
    await snapBoth(page, 'household-entity-picker');
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('activity says in words who did what, keeps names after revocation, and filters by device', async () => {
    const { adminUrl, deviceUrl } = ui.server;
    const den = await pairDevice(adminUrl, deviceUrl, { name: 'Den tablet' });
    const other = await pairDevice(adminUrl, deviceUrl, { name: 'Garage panel' });
    const url = `${adminUrl}/api/devices/${den.device_id}`;
    assert.equal((await requestJson('PATCH', url, { areas: ['kitchen'] })).status, 200);
    assert.equal((await requestJson('PATCH', url, { read_only: true })).status, 200);
    const refused = await requestJson(
      'POST',
      `${deviceUrl}/api/services/lock/unlock`,
      { entity_id: 'lock.front_door' },
      { authorization: `Bearer ${den.token}` },
    );
    assert.equal(refused.status, 401);
    assert.equal((await requestJson('DELETE', url)).status, 204);

    const { page, problems } = await open('#/activity');
    const rows = page.getByRole('list', { name: 'Activity' }).getByRole('listitem');
    const row = (text: string | RegExp) => rows.filter({ hasText: text }).first().waitFor();
    await row('Den tablet was revoked');
    await row(/^Den tablet tried lock\.unlock and was refused: .+/);
    await row('Den tablet is now read-only');
    await row('Den tablet: added area Kitchen');
    await row('Den tablet paired');
    await row('Garage panel paired');
    const all = await rows.allTextContents();
    assert.ok(
      all.every((text) => !text.includes(den.device_id)),
      'no entry shows the device id in place of its name',
    );
    await snapBoth(page, 'household-activity');

    await page.getByLabel('Device').selectOption({ label: 'Den tablet (revoked)' });
    await rows.filter({ hasText: 'Garage panel' }).first().waitFor({ state: 'detached' });
    await row('Den tablet paired');
    const mine = await rows.allTextContents();
    assert.equal(mine.length, 5, mine.join(' | '));
    assert.ok(
      mine.every((text) => text.startsWith('Den tablet')),
      mine.join(' | '),
    );
    await snapBoth(page, 'household-activity-filtered');
    assert.ok(other.device_id);
    assert.deepEqual(problems, []);
    await page.close();
  });
});
