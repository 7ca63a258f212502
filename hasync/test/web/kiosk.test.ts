import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { describeSchedule, localTime, WEEKDAYS } from '../../src/scope/schedule.ts';
import { waitFor } from '../fakes/demo-home.ts';
import { buildWebUi, hasChromium, launchBrowser, SCREENSHOTS } from '../helpers/browser.ts';
import { patchDevice } from '../helpers/devices.ts';
import { startDemoServer, type TestServer } from '../helpers/hasync.ts';
import { createPairing, requestJson } from '../helpers/json-http.ts';

const SKIP = hasChromium() ? false : 'chromium not installed (apt-get install -y chromium)';

const SIZES = [
  { label: 'phone', width: 390, height: 844 },
  { label: 'tablet', width: 1024, height: 768 },
  { label: 'tv', width: 1920, height: 1080 },
] as const;

/** Saves `kiosk-<name>-<size>.png` at phone, tablet and TV size (light, or dark with `-dark`). */
async function snap(page: Page, name: string, scheme: 'light' | 'dark' = 'light') {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.emulateMedia({ colorScheme: scheme });
  const suffix = scheme === 'dark' ? '-dark' : '';
  for (const size of SIZES) {
    await page.setViewportSize({ width: size.width, height: size.height });
    const path = join(SCREENSHOTS, `kiosk-${name}-${size.label}${suffix}.png`);
    await page.screenshot({ path, fullPage: true });
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

interface DeviceView {
  id: string;
  name: string;
  scope: string[];
}

describe('kiosk web client in headless Chromium', { skip: SKIP }, () => {
  let kiosk: { dir: string; cleanup: () => void };
  let server: TestServer;
  let browser: { context: BrowserContext; close(): Promise<void> };
  before(async () => {
    kiosk = buildWebUi('kiosk');
    server = await startDemoServer({ kioskRoot: kiosk.dir });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
    kiosk?.cleanup();
  });

  const demo = () => server.hasync.demo ?? assert.fail('demo mode runs the demo home');

  /** A fresh page on the device listener with nothing stored from earlier tests. */
  const open = async (url = `${server.deviceUrl}/`) => {
    const page = await browser.context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (err) => problems.push(err.message));
    await page.goto(`${server.deviceUrl}/api/health`);
    await page.evaluate(() => localStorage.clear());
    await page.goto(url);
    return { page, problems };
  };

  const deviceNamed = async (name: string): Promise<DeviceView> => {
    const list = await requestJson<DeviceView[]>('GET', `${server.adminUrl}/api/devices`);
    const found = list.body.find((d) => d.name === name) ?? assert.fail(`no device ${name}`);
    return (await requestJson<DeviceView>('GET', `${server.adminUrl}/api/devices/${found.id}`))
      .body;
  };

  const tileIds = (page: Page) =>
    page
      .locator('.tile')
      .evaluateAll((tiles) => tiles.map((t) => t.getAttribute('data-entity-id') ?? '').sort());

  const waitForTiles = async (page: Page, expected: string[]) => {
    const want = [...expected].sort();
    await waitFor(
      async () => {
        const have = await tileIds(page);
        return JSON.stringify(have) === JSON.stringify(want) ? true : undefined;
      },
      `tiles ${want.join(', ')}`,
    );
  };

  /** Types the PIN on the on-screen keypad and pairs under `name`. */
  const pairWithPin = async (page: Page, pin: string, name: string) => {
    const keypad = page.getByRole('group', { name: 'Keypad' });
    for (const digit of pin) await keypad.getByRole('button', { name: digit, exact: true }).click();
    assert.equal(await page.getByRole('textbox', { name: 'PIN' }).inputValue(), pin);
    await page.getByLabel('Name of this screen').fill(name);
    await page.getByRole('button', { name: 'Pair', exact: true }).click();
  };

  test('pairs with a PIN on the keypad, keeps the token, and shows exactly the scoped tiles by area', async () => {
    const { page, problems } = await open();
    await page.getByRole('heading', { name: 'Pair this screen' }).waitFor();
    assert.match(await page.getByLabel('Name of this screen').inputValue(), /^Kiosk/);
    await snap(page, 'pairing');
    await snap(page, 'pairing', 'dark');

    await page.getByRole('textbox', { name: 'PIN' }).pressSequentially('000000');
    await page.getByRole('button', { name: 'Pair', exact: true }).click();
    await page.getByRole('alert').getByText('That PIN is not right').waitFor();

    const offer = await createPairing(server.adminUrl, { areas: ['kitchen'] });
    await page.getByRole('button', { name: 'Clear PIN' }).click();
    await pairWithPin(page, offer.pin, 'Kitchen kiosk');
    await page.getByRole('heading', { name: 'Kitchen kiosk' }).waitFor();
    const device = await deviceNamed('Kitchen kiosk');
    assert.ok(device.scope.includes('light.kitchen_ceiling'));
    await waitForTiles(page, device.scope);
    await page.getByRole('region', { name: 'Kitchen' }).waitFor();
    assert.equal(
      await page.locator('section.area').count(),
      1,
      'every kitchen entity under Kitchen',
    );
    const stored = await page.evaluate(() => localStorage.getItem('hasync.kiosk.device') ?? '');
    assert.match(stored, /"token":"hasync_/);

    const kitchenSensor = page.locator('[data-entity-id="sensor.kitchen_temperature"] .state');
    assert.match((await kitchenSensor.textContent()) ?? '', /^\d+(\.\d+)? °C$/);
    await snap(page, 'tiles');
    await snap(page, 'tiles', 'dark');

    // After a reload the stored token is used: no pairing screen.
    await page.reload();
    await waitForTiles(page, device.scope);
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('a tapped light toggles in the home, and changes made elsewhere appear live', async () => {
    const { page, problems } = await open();
    const offer = await createPairing(server.adminUrl, { areas: ['kitchen'] });
    await pairWithPin(page, offer.pin, 'Toggle kiosk');
    const light = page.locator('[data-entity-id="light.kitchen_ceiling"]');
    await light.waitFor();
    const before = demo().state('light.kitchen_ceiling')?.state;
    const after = before === 'on' ? 'off' : 'on';
    await light.locator('.tile-main').click();
    await waitFor(
      () => (demo().state('light.kitchen_ceiling')?.state === after ? true : undefined),
      'the light to change in the demo home',
    );
    await light.locator(`.tile-main[aria-pressed="${after === 'on'}"]`).waitFor();

    demo().setState('sensor.kitchen_temperature', '30.5', {
      ...demo().state('sensor.kitchen_temperature')?.attributes,
    });
    await page
      .locator('[data-entity-id="sensor.kitchen_temperature"] .state')
      .getByText('30.5 °C')
      .waitFor();

    await page.getByRole('button', { name: 'Unlock Back Door' }).click();
    const dialog = page.getByRole('dialog', { name: 'Unlock Back Door?' });
    await dialog.waitFor();
    await snap(page, 'confirm-unlock');
    await dialog.getByRole('button', { name: 'Unlock' }).click();
    await waitFor(
      () => (demo().state('lock.back_door')?.state === 'unlocked' ? true : undefined),
      'the back door to unlock',
    );
    await page.getByRole('button', { name: 'Lock Back Door' }).waitFor();
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('a dropped connection shows the offline banner, and tiles stay live after reconnecting', async () => {
    const { page, problems } = await open();
    const offer = await createPairing(server.adminUrl, { areas: ['kitchen'] });
    await pairWithPin(page, offer.pin, 'Offline kiosk');
    await page.locator('[data-entity-id="sensor.kitchen_humidity"]').waitFor();
    await page.locator('.banner').waitFor({ state: 'hidden' });
    // The library reconnects at once on the first try, so record the banner as it shows.
    // (A string: the test runs under Node's types, which have no DOM.)
    await page.evaluate(`{
      const banner = document.querySelector('.banner');
      new MutationObserver(() => {
        if (!banner.hidden) document.body.dataset.sawOffline = banner.textContent;
      }).observe(banner, { attributes: true, childList: true, characterData: true });
    }`);
    await server.hasync.gateway.stop();
    await server.hasync.gateway.start();
    await page.locator('body[data-saw-offline^="Offline"]').waitFor({ state: 'attached' });
    await page.locator('.banner').waitFor({ state: 'hidden' });
    demo().setState('sensor.kitchen_humidity', '61.5', {
      ...demo().state('sensor.kitchen_humidity')?.attributes,
    });
    await page
      .locator('[data-entity-id="sensor.kitchen_humidity"] .state')
      .getByText('61.5 %')
      .waitFor();
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('an admin scope change adds and removes tiles live, and revocation returns to pairing', async () => {
    const { page, problems } = await open();
    const offer = await createPairing(server.adminUrl, { areas: ['kitchen'] });
    await pairWithPin(page, offer.pin, 'Scope kiosk');
    const kitchen = await deviceNamed('Scope kiosk');
    await waitForTiles(page, kitchen.scope);

    assert.equal(
      (await patchDevice(server.adminUrl, kitchen.id, { areas: ['kitchen', 'bathroom'] })).status,
      200,
    );
    const both = await deviceNamed('Scope kiosk');
    assert.ok(both.scope.length > kitchen.scope.length);
    await waitForTiles(page, both.scope);
    await page.getByRole('region', { name: 'Bathroom' }).waitFor();

    await patchDevice(server.adminUrl, kitchen.id, { areas: ['bathroom'] });
    const bathroom = await deviceNamed('Scope kiosk');
    await waitForTiles(page, bathroom.scope);
    assert.equal(await page.getByRole('region', { name: 'Kitchen' }).count(), 0);

    const revoked = await requestJson('DELETE', `${server.adminUrl}/api/devices/${kitchen.id}`);
    assert.equal(revoked.status, 204);
    await page.getByRole('heading', { name: 'Pair this screen' }).waitFor();
    await page.getByText('This screen was removed from HAsync').waitFor();
    assert.equal(await page.evaluate(() => localStorage.getItem('hasync.kiosk.device')), null);
    await snap(page, 'revoked');
    assert.deepEqual(problems, []);
    await page.close();
  });

  /** A stored device still holds its token (it was not sent back to the pairing screen). */
  const keptToken = async (page: Page) =>
    /"token":"hasync_/.test(
      (await page.evaluate(() => localStorage.getItem('hasync.kiosk.device'))) ?? '',
    );

  test('outside its hours the kiosk shows the hours HAsync gave, and comes back by itself when they open', async () => {
    const { page, problems } = await open();
    const offer = await createPairing(server.adminUrl, { areas: ['kitchen'] });
    await pairWithPin(page, offer.pin, 'Hours kiosk');
    await page.getByRole('heading', { name: 'Hours kiosk' }).waitFor();
    const device = await deviceNamed('Hours kiosk');
    await waitForTiles(page, device.scope);

    // A window an hour from now on Home Assistant's wall clock (the demo home's zone).
    const zone = server.hasync.cache.config()?.time_zone ?? 'UTC';
    const hhmm = (ms: number) => {
      const { minute } = localTime(ms, zone);
      return `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
    };
    const schedule = [
      { days: [...WEEKDAYS], from: hhmm(Date.now() + 3_600_000), to: hhmm(Date.now() + 7_200_000) },
    ];
    assert.equal((await patchDevice(server.adminUrl, device.id, { schedule })).status, 200);
    const hours = describeSchedule(schedule);
    assert.match(hours, /^Available daily \d\d:\d\d–\d\d:\d\d$/);
    const closed = page
      .getByRole('status')
      .filter({ has: page.getByRole('heading', { name: hours }) });
    await closed.waitFor();
    assert.equal(await page.locator('.board').isVisible(), false, 'no stale tiles');
    assert.equal(await page.locator('.banner').isVisible(), false, 'not the offline banner');
    await snap(page, 'outside-hours');
    await snap(page, 'outside-hours', 'dark');

    // Still closed after its own reconnect attempts (new sockets get 4002 with the hours too).
    await page.waitForTimeout(1500);
    await closed.waitFor();
    assert.ok(await keptToken(page));

    assert.equal((await patchDevice(server.adminUrl, device.id, { schedule: null })).status, 200);
    await closed.waitFor({ state: 'hidden', timeout: 15_000 });
    await waitForTiles(page, device.scope);
    await page.locator('.board').waitFor();
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('past its end date the kiosk says its access has ended, keeps its token, and is back once extended', async () => {
    const { page, problems } = await open();
    const offer = await createPairing(server.adminUrl, { areas: ['kitchen'] });
    await pairWithPin(page, offer.pin, 'Guest kiosk');
    await page.getByRole('heading', { name: 'Guest kiosk' }).waitFor();
    const device = await deviceNamed('Guest kiosk');
    await waitForTiles(page, device.scope);

    const ended = new Date(Date.now() - 60_000).toISOString();
    assert.equal(
      (await patchDevice(server.adminUrl, device.id, { expires_at: ended })).status,
      200,
    );
    const notice = page.getByRole('heading', { name: "This device's access has ended" });
    await notice.waitFor();
    assert.equal(await page.getByRole('heading', { name: 'Pair this screen' }).count(), 0);
    assert.equal(await page.getByText('This screen was removed from HAsync').count(), 0);
    assert.ok(await keptToken(page), 'an end date is not a revocation: the token is kept');
    await snap(page, 'access-ended');
    await snap(page, 'access-ended', 'dark');

    const later = new Date(Date.now() + 3_600_000).toISOString();
    assert.equal(
      (await patchDevice(server.adminUrl, device.id, { expires_at: later })).status,
      200,
    );
    await notice.waitFor({ state: 'hidden', timeout: 15_000 });
    await waitForTiles(page, device.scope);
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('a lock that needs the action PIN asks for it on a keypad; a wrong code shows the refusal, the right one works', async () => {
    const { page, problems } = await open();
    const offer = await createPairing(server.adminUrl, { areas: ['kitchen'] });
    await pairWithPin(page, offer.pin, 'PIN kiosk');
    await page.getByRole('heading', { name: 'PIN kiosk' }).waitFor();
    const device = await deviceNamed('PIN kiosk');
    await waitForTiles(page, device.scope);
    const patched = await patchDevice(server.adminUrl, device.id, {
      action_pin: '2468',
      pin_domains: ['lock'],
    });
    assert.equal(patched.status, 200);

    const unlocked = demo().state('lock.back_door')?.state === 'unlocked';
    const verb = unlocked ? 'Lock' : 'Unlock';
    const want = unlocked ? 'locked' : 'unlocked';
    const enter = async (code: string) => {
      await page.getByRole('button', { name: `${verb} Back Door`, exact: true }).click();
      const dialog = page.getByRole('dialog', { name: `${verb} Back Door` });
      await dialog.waitFor();
      const keypad = dialog.getByRole('group', { name: 'Keypad' });
      for (const digit of code)
        await keypad.getByRole('button', { name: digit, exact: true }).click();
      assert.equal(await dialog.getByRole('textbox', { name: 'Code' }).inputValue(), code);
      assert.equal(
        await dialog.getByRole('textbox', { name: 'Code' }).getAttribute('type'),
        'password',
      );
      return dialog;
    };
    const wrong = await enter('1357');
    await snap(page, 'action-pin');
    await page.emulateMedia({ colorScheme: 'dark' });
    await snap(page, 'action-pin', 'dark');
    await wrong.getByRole('button', { name: verb, exact: true }).click();
    const refusal = page.getByRole('alert').filter({ hasText: 'wrong code' });
    await refusal.waitFor();
    assert.equal(await refusal.textContent(), `Could not ${verb.toLowerCase()}: wrong code.`);
    await snap(page, 'wrong-code');
    await snap(page, 'wrong-code', 'dark');
    assert.notEqual(demo().state('lock.back_door')?.state, want);

    const right = await enter('2468');
    await right.getByRole('button', { name: verb, exact: true }).click();
    const other = page.getByRole('button', {
      name: `${unlocked ? 'Unlock' : 'Lock'} Back Door`,
      exact: true,
    });
    await other.waitFor();
    assert.equal(demo().state('lock.back_door')?.state, want);

    // Cancelling sends nothing.
    const before = demo().state('lock.back_door')?.state;
    await other.click();
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    assert.equal(demo().state('lock.back_door')?.state, before);
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('opening pair_url pairs without typing a PIN and clears the code from the address', async () => {
    const offer = await createPairing(server.adminUrl, { areas: ['kitchen'] });
    assert.match(offer.pair_url, /#code=/);
    const { page, problems } = await open(offer.pair_url.replace('localhost', '127.0.0.1'));
    await page.getByRole('heading', { name: 'Pair this screen' }).waitFor();
    assert.equal(await page.getByRole('textbox', { name: 'PIN' }).count(), 0, 'no PIN asked for');
    assert.equal(new URL(page.url()).hash, '');
    await page.getByLabel('Name of this screen').fill('Scanned kiosk');
    await page.getByRole('button', { name: 'Pair', exact: true }).click();
    const device = await deviceNamed('Scanned kiosk');
    await waitForTiles(page, device.scope);
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('works the same under /kiosk/, where it lives beside Home Assistant’s frontend', async () => {
    const { page, problems } = await open(`${server.deviceUrl}/kiosk/`);
    await page.getByRole('heading', { name: 'Pair this screen' }).waitFor();
    const offer = await createPairing(server.adminUrl, { areas: ['kitchen'] });
    await pairWithPin(page, offer.pin, 'Kiosk under a folder');
    const device = await deviceNamed('Kiosk under a folder');
    await waitForTiles(page, device.scope);
    assert.equal(new URL(page.url()).pathname, '/kiosk/');
    assert.deepEqual(problems, []);
    await page.close();
  });
});
