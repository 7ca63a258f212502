import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { adminUiSuite } from '../helpers/admin-ui.ts';
import { hasChromium, snap } from '../helpers/browser.ts';
import { startDemoServer } from '../helpers/hasync.ts';
import { pair, requestJson } from '../helpers/json-http.ts';

const SKIP = hasChromium() ? false : 'chromium not installed (apt-get install -y chromium)';

/** Issue 15's guest pairing on the pair screen, in a real browser against the demo home. */
describe('pair screen: guest pairing with an end date', { skip: SKIP }, () => {
  const ui = adminUiSuite(startDemoServer);

  test('"Guest: until" gives the paired device that end date, shown on its page', async () => {
    const page = await ui.context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (err) => problems.push(err.message));
    await page.goto(`${ui.server.adminUrl}/#/pair`);
    await page.getByRole('heading', { name: 'Pair a device' }).waitFor();
    const until = page.getByLabel('Guest until');
    assert.equal(await until.isDisabled(), true, 'no end date unless Guest is ticked');
    await page.getByRole('checkbox', { name: 'Guest: until' }).check();
    await until.fill('2030-12-31T18:00');
    for (const [scheme, suffix] of [
      ['light', ''],
      ['dark', '-dark'],
    ] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await snap(page, `pair-guest${suffix}`);
    }
    await page.emulateMedia({ colorScheme: 'light' });

    const created = page.waitForResponse((r) => r.url().endsWith('/api/pairings'));
    await page.getByRole('button', { name: 'Create PIN' }).click();
    const sent = (await created).request().postDataJSON() as { expires_at?: string };
    const expected = await page.evaluate(() => new Date('2030-12-31T18:00').toISOString());
    assert.equal(sent.expires_at, expected, "the browser's local time, sent in UTC");
    await page.getByText(/^Guest: the device it pairs works until /).waitFor();
    for (const [scheme, suffix] of [
      ['light', ''],
      ['dark', '-dark'],
    ] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await snap(page, `pair-guest-pin${suffix}`);
    }
    await page.emulateMedia({ colorScheme: 'light' });

    const pin = (await page.locator('.pin').first().textContent())?.replace(/\D/g, '') ?? '';
    assert.match(pin, /^\d{6}$/);
    const paired = await pair(ui.server.deviceUrl, { pin, name: 'Guest phone' });
    assert.equal(paired.status, 201);
    const device = await requestJson<{ expires_at: string | null }>(
      'GET',
      `${ui.server.adminUrl}/api/devices/${paired.body.device_id}`,
    );
    assert.equal(device.body.expires_at, expected);
    await page.getByRole('link', { name: 'Choose what it can see' }).click();
    await page.getByText(/^Ends .* \(in /).waitFor();
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('without Guest the pairing sends no end date', async () => {
    const page = await ui.context.newPage();
    await page.goto(`${ui.server.adminUrl}/#/pair`);
    const created = page.waitForResponse((r) => r.url().endsWith('/api/pairings'));
    await page.getByRole('button', { name: 'Create PIN' }).click();
    const sent = (await created).request().postDataJSON() as Record<string, unknown>;
    assert.equal('expires_at' in sent, false);
    await page.close();
  });
});
