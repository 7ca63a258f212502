import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { adminUiSuite } from '../helpers/admin-ui.ts';
import { hasChromium, snap } from '../helpers/browser.ts';
import { startTestServer } from '../helpers/hasync.ts';
import { startIngressProxy } from '../helpers/ingress-proxy.ts';
import { pair, requestJson } from '../helpers/json-http.ts';

interface Area {
  area_id: string;
  name: string;
  entity_count: number;
}

const SKIP = hasChromium() ? false : 'chromium not installed (apt-get install -y chromium)';

describe('admin web UI in headless Chromium', { skip: SKIP }, () => {
  const ui = adminUiSuite(startTestServer);
  const open = ui.open;

  test('pairs a device while a scripted device enters the PIN, scopes it to an area, and revokes it', async () => {
    const { page, problems } = await open();
    await page.getByText('No devices yet').waitFor();
    await snap(page, 'devices-empty');
    // A second tab on the device list must show the new device without a reload.
    const watcher = await open('#/devices');

    await page.getByRole('navigation').getByRole('link', { name: 'Pair a device' }).click();
    await page.getByRole('button', { name: 'Create PIN' }).waitFor();
    await snap(page, 'pair-start');
    await page.getByRole('button', { name: 'Create PIN' }).click();
    const pin = (await page.locator('output.pin').textContent())?.trim() ?? '';
    assert.match(pin, /^\d{6}$/);
    await page.getByRole('img', { name: /QR code/ }).waitFor();
    await page.getByText(/Valid for \d:\d\d/).waitFor();
    await snap(page, 'pair-pin');

    const paired = await pair(ui.server.deviceUrl, { pin, name: 'Hallway tablet' });
    assert.equal(paired.status, 201);
    await page.getByRole('heading', { name: 'Paired: Hallway tablet' }).waitFor();
    await snap(page, 'pair-done');
    await watcher.page.getByRole('link', { name: /Hallway tablet/ }).waitFor();
    await snap(watcher.page, 'devices-list');
    await watcher.page.close();

    await page.getByRole('link', { name: 'Choose what it can see' }).click();
    await page.getByRole('heading', { name: 'Hallway tablet' }).waitFor();
    await page.getByRole('heading', { name: 'It can see 0 entities' }).waitFor();
    const areas = (await requestJson<Area[]>('GET', `${ui.server.adminUrl}/api/areas`)).body;
    const area = areas.find((a) => a.entity_count > 1) ?? assert.fail('no area with entities');
    await page.getByRole('checkbox', { name: new RegExp(`^${area.name}\\b`) }).check();
    await page.getByRole('heading', { name: `It can see ${area.entity_count} entities` }).waitFor();
    const deviceId = paired.body.device_id;
    const device = await requestJson<{ areas: string[]; scope: string[] }>(
      'GET',
      `${ui.server.adminUrl}/api/devices/${deviceId}`,
    );
    assert.deepEqual(device.body.areas, [area.area_id]);
    const listed = page.getByRole('list', { name: 'Entities it can see' }).getByRole('listitem');
    assert.equal(await listed.count(), device.body.scope.length);
    for (const entityId of device.body.scope) {
      await page.getByRole('list', { name: 'Entities it can see' }).getByText(entityId).waitFor();
    }
    await snap(page, 'device-detail');

    await page.getByRole('button', { name: 'Revoke device' }).click();
    const dialog = page.getByRole('dialog', { name: 'Revoke Hallway tablet?' });
    await dialog.waitFor();
    await snap(page, 'device-revoke-confirm');
    await dialog.getByRole('button', { name: 'Revoke' }).click();
    await page.getByText('No devices yet').waitFor();
    const gone = await requestJson('GET', `${ui.server.adminUrl}/api/devices/${deviceId}`);
    assert.equal(gone.status, 404);
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('shows the activity log and the status screen, in light and dark', async () => {
    const { page, problems } = await open('#/activity');
    await page.getByRole('list', { name: 'Activity' }).getByRole('listitem').first().waitFor();
    await snap(page, 'activity');
    await page.getByRole('navigation').getByRole('link', { name: 'Status' }).click();
    await page.getByText('Demo home (simulated)').waitFor();
    await snap(page, 'status');
    await page.emulateMedia({ colorScheme: 'dark' });
    await snap(page, 'status-dark');
    await page.getByRole('navigation').getByRole('link', { name: 'Pair a device' }).click();
    await page.getByRole('button', { name: 'Create PIN' }).click();
    await page.locator('output.pin').waitFor();
    await snap(page, 'pair-pin-dark');
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('shows an error in words, not a stack trace, when a device does not exist', async () => {
    const { page } = await open('#/devices/no-such-device');
    const alert = page.getByRole('alert');
    await alert.waitFor();
    const text = (await alert.textContent()) ?? '';
    assert.match(text, /not found|no device|unknown/i);
    assert.doesNotMatch(text, /at .*\.ts:\d+|Error:/);
    await snap(page, 'device-not-found');
    await page.close();
  });

  test('works below an ingress prefix: every request the page makes stays under it', async () => {
    const prefix = '/api/hassio_ingress/Zm9vYmFyLXRva2VuLWZvci10ZXN0cw';
    const proxy = await startIngressProxy(ui.server.adminUrl, prefix);
    const page = await ui.context.newPage();
    const requested: string[] = [];
    page.on('request', (req) => requested.push(req.url()));
    try {
      await page.goto(proxy.url);
      await page.getByText('Live', { exact: true }).waitFor();
      await page.getByRole('heading', { name: 'Devices' }).waitFor();
      await page.getByRole('navigation').getByRole('link', { name: 'Pair a device' }).click();
      await page.getByRole('button', { name: 'Create PIN' }).click();
      await page.locator('output.pin').waitFor();
      await page.getByRole('button', { name: 'Cancel' }).click();
      await page.getByRole('navigation').getByRole('link', { name: 'Status' }).click();
      await page.getByText('Demo home (simulated)').waitFor();
      await page.getByRole('navigation').getByRole('link', { name: 'Activity' }).click();
      await page.getByRole('list', { name: 'Activity' }).waitFor();
      const kinds = ['/assets/', '/api/devices', '/api/pairings', '/api/events', '/api/status'];
      for (const kind of kinds) {
        assert.ok(
          requested.some((url) => url.startsWith(`${proxy.url.slice(0, -1)}${kind}`)),
          `the page requested ${kind} under the prefix`,
        );
      }
      const outside = requested.filter((url) => !url.startsWith(proxy.url));
      assert.deepEqual(outside, []);
      assert.deepEqual(
        proxy.paths.filter((path) => !path.startsWith(`${prefix}/`)),
        [],
      );
    } finally {
      await page.close();
      await proxy.close();
    }
  });
});
