import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { adminUiSuite } from '../helpers/admin-ui.ts';
import { hasChromium, snap } from '../helpers/browser.ts';
import { pairDevice } from '../helpers/devices.ts';
import { startDemoServer } from '../helpers/hasync.ts';
import { requestJson } from '../helpers/json-http.ts';

const SKIP = hasChromium() ? false : 'chromium not installed (apt-get install -y chromium)';

/** Issue 15's household rules on the device page, in a real browser against the demo home. */
describe('device page: household rules', { skip: SKIP }, () => {
  const ui = adminUiSuite(startDemoServer);

  interface Rules {
    floors: string[];
    labels: string[];
    view_only: string[];
    expires_at: string | null;
    schedule: unknown;
    has_action_pin: boolean;
    pin_domains: string[];
    scope: string[];
  }
  const rules = async (id: string) =>
    (await requestJson<Rules>('GET', `${ui.server.adminUrl}/api/devices/${id}`)).body;

  async function open(id: string): Promise<{ page: Page; problems: string[] }> {
    const page = await ui.context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (err) => problems.push(err.message));
    await page.goto(`${ui.server.adminUrl}/#/devices/${id}`);
    await page.getByRole('heading', { name: 'Household rules' }).waitFor();
    return { page, problems };
  }

  test('floors and labels with counts, a per-entity control switch, hours, end date and PIN', async () => {
    const device = await pairDevice(ui.server.adminUrl, ui.server.deviceUrl, {
      name: 'Cleaner phone',
    });
    const { page, problems } = await open(device.device_id);
    await page.getByRole('checkbox', { name: 'Ground floor' }).check();
    await page.getByRole('checkbox', { name: 'Kids' }).check();
    const floorsSaved = async () => {
      const now = await rules(device.device_id);
      return now.floors.includes('ground_floor') && now.labels.includes('kids') ? now : undefined;
    };
    let saved: Rules | undefined;
    for (let i = 0; i < 50 && !saved; i++) {
      saved = await floorsSaved();
      if (!saved) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.ok(saved, 'floor and label saved');
    assert.ok(saved.scope.includes('lock.back_door'), 'the kitchen lock through the ground floor');

    const control = page.getByRole('switch', { name: 'Back Door can be controlled' });
    await control.waitFor();
    assert.equal(await control.isChecked(), true);
    await control.uncheck();
    await page
      .getByRole('switch', { name: 'Back Door can be controlled', checked: false })
      .waitFor();
    assert.deepEqual((await rules(device.device_id)).view_only, ['lock.back_door']);

    await page.getByRole('button', { name: 'Add hours' }).click();
    await page.getByText('Mon, Tue, Wed, Thu, Fri 09:00–17:00').waitFor();
    assert.deepEqual((await rules(device.device_id)).schedule, [
      { days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '17:00' },
    ]);

    await page.getByLabel('End date and time').fill('2030-12-31T23:00');
    await page.getByRole('button', { name: 'Set end date' }).click();
    await page.getByText(/^Ends .* \(in /).waitFor();
    assert.ok((await rules(device.device_id)).expires_at?.startsWith('2030-12-31'));

    await page.getByLabel('Action PIN (4 to 8 digits)').fill('4821');
    await page.getByRole('button', { name: 'Set PIN' }).click();
    await page.getByText('A PIN is set.').waitFor();
    await page.getByRole('checkbox', { name: 'lock' }).last().check();
    await page.getByRole('button', { name: 'Remove PIN' }).waitFor();
    let after: Rules | undefined;
    for (let i = 0; i < 50; i++) {
      after = await rules(device.device_id);
      if (after.pin_domains.includes('lock')) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.equal(after?.has_action_pin, true);
    assert.deepEqual(after?.pin_domains, ['lock']);
    assert.equal(
      await page.getByLabel('Action PIN (4 to 8 digits)').inputValue(),
      '',
      'PIN cleared',
    );
    await page.getByRole('heading', { name: 'Household rules' }).scrollIntoViewIfNeeded();
    for (const [scheme, suffix] of [
      ['light', ''],
      ['dark', '-dark'],
    ] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await snap(page, `device-household-rules${suffix}`);
    }
    assert.deepEqual(problems, []);
    await page.close();
  });
});
