import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { adminUiSuite } from '../helpers/admin-ui.ts';
import { hasChromium, snap } from '../helpers/browser.ts';
import { pairDevice } from '../helpers/devices.ts';
import { loopbackAddress, requestFrom } from '../helpers/from-address.ts';
import { startDemoServer } from '../helpers/hasync.ts';
import { pair, requestJson } from '../helpers/json-http.ts';

// The admin UI's warnings in a real browser: a storage banner while the database cannot be
// written (made read-only in-process with `query_only`, as test/http/health-storage.test.ts
// does), and a Pair screen that says when wrong guesses disabled its PIN.

const SKIP = hasChromium() ? false : 'chromium not installed (apt-get install -y chromium)';
/** Wrong PINs from all clients that disable a pairing's PIN (src/pairing MAX_WRONG_PINS). */
const WRONG_PINS_TO_DISABLE = 20;
/** Guesses per address, under the per-client limit of 5, so none is answered 429. */
const GUESSES_PER_ADDRESS = 4;

describe('admin web UI warnings in headless Chromium', { skip: SKIP }, () => {
  // Registered first, so it runs before the suite stops the server: leave the database writable.
  after(() => ui.server.hasync.db.run('PRAGMA query_only = OFF'));
  const ui = adminUiSuite(startDemoServer);
  const open = ui.open;

  /** Light and dark, each at phone and desktop width; the page is left light. */
  const snapBoth = async (page: Page, name: string) => {
    await snap(page, name);
    await page.emulateMedia({ colorScheme: 'dark' });
    await snap(page, `${name}-dark`);
    await page.emulateMedia({ colorScheme: 'light' });
  };

  const tab = (page: Page, name: string) =>
    page.getByRole('navigation').getByRole('link', { name }).click();

  test('shows a storage banner on every screen while the database cannot be written, gone once writes work again', async () => {
    const device = await pairDevice(ui.server.adminUrl, ui.server.deviceUrl, {
      name: 'Porch tablet',
    });
    const { page, problems } = await open(`#/devices/${device.device_id}`);
    await page.getByRole('heading', { name: 'Porch tablet' }).waitFor();
    const banner = page.getByRole('alert').filter({ hasText: 'Storage problem' });
    assert.equal(await banner.count(), 0, 'no banner while storage is fine');

    ui.server.hasync.db.run('PRAGMA query_only = ON');
    try {
      // The revocation answers 204 (it is in force at once, in memory) but the disk refuses it.
      await page.getByRole('button', { name: 'Revoke device' }).click();
      await page
        .getByRole('dialog', { name: 'Revoke Porch tablet?' })
        .getByRole('button', { name: 'Revoke' })
        .click();
      await banner.waitFor();
      const text = (await banner.textContent()) ?? '';
      assert.match(text, /Storage problem: HAsync cannot save changes/);
      assert.match(text, /readonly database/);
      assert.match(text, /1 revocation is in force but not saved yet/);
      assert.match(text, /do not restart HAsync/);
      await snapBoth(page, 'storage-problem-devices');

      await tab(page, 'Status');
      await page.getByText('Demo home (simulated)').waitFor();
      await banner.waitFor();
      await page.getByText('Cannot save (see above)').waitFor();
      await snapBoth(page, 'storage-problem-status');

      await tab(page, 'Pair a device');
      await page.getByRole('button', { name: 'Create PIN' }).waitFor();
      await banner.waitFor();
    } finally {
      ui.server.hasync.db.run('PRAGMA query_only = OFF');
    }
    // The revocation is retried with backoff (1 s, doubling) and health asked every 5 s meanwhile.
    await banner.waitFor({ state: 'detached', timeout: 45_000 });
    await tab(page, 'Status');
    await page.getByText('Demo home (simulated)').waitFor();
    const storage = page.locator('dt', { hasText: 'Storage' }).locator('xpath=..');
    assert.equal((await storage.locator('dd').textContent())?.trim(), 'OK');
    const health = await requestJson('GET', `${ui.server.adminUrl}/api/health`);
    assert.equal(health.status, 200);
    await snap(page, 'storage-recovered-status');
    assert.deepEqual(problems, []);
    await page.close();
  });

  /** Sends wrong PINs from fresh loopback addresses until every pending PIN is disabled. */
  let nextAddress = 600;
  const disablePins = async (pin: string) => {
    for (let i = 0; i < WRONG_PINS_TO_DISABLE; i++) {
      if (i % GUESSES_PER_ADDRESS === 0) nextAddress++;
      const guess = String((Number(pin) + 1 + i) % 1_000_000).padStart(6, '0');
      const body = JSON.stringify({ pin: guess, name: 'Guesser' });
      const res = await requestFrom(
        loopbackAddress(nextAddress),
        'POST',
        `${ui.server.deviceUrl}/api/pair`,
        body,
      );
      assert.equal(res.status, 401, `wrong PIN ${i + 1}`);
    }
  };

  const showPin = async (page: Page) => {
    const pin = (await page.locator('output.pin').textContent())?.trim() ?? '';
    assert.match(pin, /^\d{6}$/);
    return pin;
  };

  test('says when wrong guesses disabled the PIN, that the QR code still works, and offers a new PIN', async () => {
    const { page, problems } = await open('#/pair');
    await page.getByRole('button', { name: 'Create PIN' }).click();
    const firstPin = await showPin(page);
    const firstLink = await page.getByRole('link', { name: 'Pairing link' }).getAttribute('href');
    assert.equal(await page.getByText('This PIN no longer works').count(), 0);

    await disablePins(firstPin);
    await page.getByText('This PIN no longer works').waitFor();
    await page
      .getByRole('status')
      .getByText('Waiting for the device to scan the QR code…')
      .waitFor();
    await page.getByText('The QR code still works: scan it with the device.').waitFor();
    await page.getByText(/QR code valid for \d:\d\d/).waitFor();
    assert.equal(
      await page.locator('output.pin').getAttribute('aria-label'),
      `PIN ${firstPin.split('').join(' ')}, disabled`,
    );
    await snapBoth(page, 'pair-pin-disabled');

    // A fresh pairing: a new PIN that works, and the old pairing is cancelled.
    await page.getByRole('button', { name: 'Get a new PIN' }).click();
    await page.getByText('On the device, enter this PIN').waitFor();
    const secondPin = await showPin(page);
    const secondLink = await page.getByRole('link', { name: 'Pairing link' }).getAttribute('href');
    assert.notEqual(secondLink, firstLink, 'a new QR code too');
    assert.equal(await page.getByText('This PIN no longer works').count(), 0);
    const firstCode = new URL(firstLink ?? '').hash.replace(/^#code=/, '');
    const stale = await pair(ui.server.deviceUrl, { code: firstCode, name: 'Too late' });
    assert.equal(stale.status, 410, 'the disabled pairing was cancelled, its QR code too');

    // Disabled again, and the QR code on the page does pair, as the page says.
    await disablePins(secondPin);
    await page.getByText('This PIN no longer works').waitFor();
    const code = new URL(secondLink ?? '').hash.replace(/^#code=/, '');
    const paired = await pair(ui.server.deviceUrl, { code, name: 'Garage tablet' });
    assert.equal(paired.status, 201);
    await page.getByRole('heading', { name: 'Paired: Garage tablet' }).waitFor();
    assert.deepEqual(problems, []);
    await page.close();
  });
});
