import assert from 'node:assert/strict';
import { request } from 'node:http';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { waitFor } from '../fakes/demo-home.ts';
import { patchDevice } from '../helpers/devices.ts';
import { createPairing, requestJson } from '../helpers/json-http.ts';
import { kioskSuite, SKIP, SocketTap, snap } from './kiosk-suite.ts';

/**
 * The wall-display side of the kiosk (issue 16) end to end — admin API → HAsync → kiosk —
 * with `hasync/display/subscribe` (screensaver, dim schedule, reload, identify); a HAsync without
 * it; view-only entities; a tap while offline; a PIN locked by wrong guesses.
 */

const PHONE = [{ label: 'phone', width: 390, height: 844 }];
const TABLET = [{ label: 'tablet', width: 1024, height: 768 }];

/** "HH:MM" `offset` minutes from now on the wall clock of `timeZone`. */
function wallClock(timeZone: string, offset: number): string {
  const parts = new Intl.DateTimeFormat('en-GB', {
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone,
  }).formatToParts(new Date());
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const minutes = (((get('hour') * 60 + get('minute') + offset) % 1440) + 1440) % 1440;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
}

/** POST /api/pair from another loopback address (each address has its own wrong-PIN budget). */
function pairFrom(localAddress: string, deviceUrl: string, pin: string): Promise<number> {
  const url = new URL(`${deviceUrl}/api/pair`);
  const body = JSON.stringify({ pin, name: 'Guesser' });
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        localAddress,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('kiosk as a wall display', { skip: SKIP }, () => {
  const { demo, open, pairedFor, pairWithPin, server } = kioskSuite();

  const setDisplay = async (deviceId: string, display: Record<string, unknown>) => {
    const res = await patchDevice(server().adminUrl, deviceId, { display });
    assert.equal(res.status, 200, JSON.stringify(res.body));
  };

  /** The state line of a tile: its toggle area. */
  const toggleArea = (page: Page, entityId: string) =>
    page.locator(`[data-entity-id="${entityId}"] .tile-main .state`);

  test('the kiosk follows hasync/display/subscribe frames as the contract writes them', async () => {
    const tap = new SocketTap().answer('hasync/display/subscribe', (msg, t) => {
      t.push({ id: msg.id, type: 'result', success: true, result: null });
      t.push({
        id: msg.id,
        type: 'event',
        event: { display: { screensaver_after_s: 1, dim_schedule: [] } },
      });
    });
    const { page, problems } = await pairedFor(['kitchen'], 'Contract kiosk', (p) =>
      tap.install(p),
    );
    const [subscribe] = tap.sentOf('hasync/display/subscribe');
    assert.deepEqual(Object.keys(subscribe ?? {}).sort(), ['id', 'type']);
    const saver = page.getByRole('dialog', { name: 'Screensaver' });
    await saver.waitFor();
    tap.push({ id: subscribe?.id, type: 'event', event: { action: 'identify' } });
    await page.locator('.identify').getByText('Contract kiosk').waitFor();
    tap.push({
      id: subscribe?.id,
      type: 'event',
      event: { display: { screensaver_after_s: 0, dim_schedule: [] } },
    });
    await saver.waitFor({ state: 'hidden' });
    await page.locator('body[data-screensaver-after="0"]').waitFor({ state: 'attached' });
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('the idle time set in HAsync starts a clock screensaver; the waking tap or key does not act on the tile', async () => {
    const { page, problems, device } = await pairedFor(['kitchen'], 'Saver kiosk');
    await setDisplay(device.id, { screensaver_after_s: 1, dim_schedule: [] });
    const saver = page.getByRole('dialog', { name: 'Screensaver' });
    await saver.waitFor();
    assert.match((await saver.locator('.saver-time').textContent()) ?? '', /^\d{1,2}:\d{2}/);
    await snap(page, 'screensaver', 'dark', TABLET);
    await snap(page, 'screensaver', 'light', PHONE);

    const light = 'light.kitchen_ceiling';
    const state = demo().state(light)?.state;
    const calls = demo().calls.length;
    // A real tap where the tile is: the screensaver covers it, so the tap lands on the screensaver.
    await toggleArea(page, light).click({ force: true });
    await saver.waitFor({ state: 'hidden' });
    await page.waitForTimeout(400);
    assert.equal(demo().calls.length, calls, 'the waking tap called nothing');
    assert.equal(demo().state(light)?.state, state);

    // Awake, the same tap toggles.
    await toggleArea(page, light).click();
    await waitFor(() => (demo().calls.length > calls ? true : undefined), 'the tap toggled');

    // A key wakes it too, and the key does nothing else (the light's button has the focus).
    await saver.waitFor();
    const afterTap = demo().calls.length;
    await page.keyboard.press('Enter');
    await saver.waitFor({ state: 'hidden' });
    await page.waitForTimeout(400);
    assert.equal(demo().calls.length, afterTap, 'the waking key called nothing');

    await setDisplay(device.id, { screensaver_after_s: 0, dim_schedule: [] });
    await page.locator('body[data-screensaver-after="0"]').waitFor({ state: 'attached' });
    await page.waitForTimeout(1500);
    assert.equal(await saver.isVisible(), false, 'off again');
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('the dim schedule dims the screen in its window, on Home Assistant’s clock', async () => {
    const { page, problems, device } = await pairedFor(['kitchen'], 'Dim kiosk');
    const zone = server().hasync.demo?.config().time_zone ?? assert.fail('demo time zone');
    const dimmer = page.locator('.dimmer');
    const opacity = () =>
      dimmer.evaluate((el) => (el as unknown as { style: { opacity: string } }).style.opacity);
    assert.equal(await opacity(), '0');
    await setDisplay(device.id, {
      screensaver_after_s: 0,
      dim_schedule: [{ from: wallClock(zone, -2), to: wallClock(zone, 3), brightness: 30 }],
    });
    await page.locator('body[data-brightness="30"]').waitFor({ state: 'attached' });
    assert.equal(await opacity(), '0.7');
    // A sheet, in the top layer above the dimmer, is dimmed too.
    await page.locator('[data-entity-id="sensor.kitchen_temperature"] .name').click();
    const sheet = page.getByRole('dialog', { name: 'Kitchen Temperature' });
    await sheet.waitFor();
    assert.equal(
      await sheet.evaluate(
        (el) =>
          (
            globalThis as unknown as { getComputedStyle(e: unknown): { filter: string } }
          ).getComputedStyle(el).filter,
      ),
      'brightness(0.3)',
    );
    await sheet.getByRole('button', { name: 'Done' }).click();
    await snap(page, 'dimmed', 'light', TABLET);
    await setDisplay(device.id, {
      screensaver_after_s: 0,
      dim_schedule: [{ from: wallClock(zone, 60), to: wallClock(zone, 120), brightness: 10 }],
    });
    await page.locator('body[data-brightness="100"]').waitFor({ state: 'attached' });
    assert.equal(await opacity(), '0');
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('identify flashes the screen with its name for a few seconds, and reload reloads it', async () => {
    const { page, problems, device } = await pairedFor(['kitchen'], 'Identify kiosk');
    const act = (action: string) =>
      requestJson<{ delivered: number }>(
        'POST',
        `${server().adminUrl}/api/devices/${device.id}/actions`,
        { action },
      );
    const identified = await act('identify');
    assert.equal(identified.status, 202);
    const flash = page.locator('.identify');
    await flash.getByText('Identify kiosk').waitFor();
    await snap(page, 'identify', 'light', PHONE);
    await flash.waitFor({ state: 'hidden', timeout: 8000 });

    await page.evaluate('window.beforeReload = true');
    const loaded = page.waitForEvent('load');
    assert.equal((await act('reload')).status, 202);
    await loaded;
    assert.equal(await page.evaluate('window.beforeReload'), undefined, 'a new page');
    await page.getByRole('heading', { name: 'Identify kiosk' }).waitFor();
    await page.locator('[data-entity-id="light.kitchen_ceiling"]').waitFor();
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('view-only entities and domains show no controls and do not toggle; their sheet says view only', async () => {
    const { page, problems, device } = await pairedFor(['kitchen'], 'View-only kiosk');
    assert.equal(
      (
        await patchDevice(server().adminUrl, device.id, {
          view_only: ['lock.back_door'],
          view_only_domains: ['switch'],
        })
      ).status,
      200,
    );
    const lock = page.locator('[data-entity-id="lock.back_door"]');
    await page.locator('[data-entity-id="lock.back_door"].view-only').waitFor();
    assert.equal(await lock.locator('.controls, button:not(.tile-main)').count(), 0);
    const coffee = page.locator('[data-entity-id="switch.coffee_machine"]');
    await page.locator('[data-entity-id="switch.coffee_machine"].view-only').waitFor();
    assert.equal(
      await coffee.locator('[aria-pressed]').count(),
      0,
      'a view-only switch is no toggle',
    );
    const viewOnly = device.scope.filter(
      (id) => id === 'lock.back_door' || id.startsWith('switch.'),
    );
    assert.deepEqual(
      (
        await page
          .locator('.tile.view-only')
          .evaluateAll((els) => els.map((e) => e.getAttribute('data-entity-id')))
      ).sort(),
      viewOnly.sort(),
      'the lock and the switches, nothing else',
    );
    // The rest stays live.
    await page
      .locator('[data-entity-id="light.kitchen_ceiling"] .tile-main[aria-pressed]')
      .waitFor();

    const calls = demo().calls.length;
    await toggleArea(page, 'switch.coffee_machine').click();
    const sheet = page.getByRole('dialog', { name: 'Coffee Machine' });
    await sheet.getByText('View only').waitFor();
    assert.deepEqual(await sheet.getByRole('button').allTextContents(), ['Done']);
    assert.equal(demo().calls.length, calls, 'nothing was called');
    for (const scheme of ['light', 'dark'] as const)
      await snap(page, 'view-only-sheet', scheme, PHONE);
    await sheet.getByRole('button', { name: 'Done' }).click();
    await snap(page, 'view-only', 'light', TABLET);
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('a tap while offline says offline, not refused', async () => {
    const tap = new SocketTap();
    const { page, problems } = await pairedFor(['kitchen'], 'Offline tap kiosk', (p) =>
      tap.install(p),
    );
    const calls = demo().calls.length;
    await tap.offline();
    await page.locator('.banner').getByText('Offline').waitFor();
    await toggleArea(page, 'light.kitchen_ceiling').click();
    const toast = page.locator('.toast');
    await toast.waitFor();
    assert.equal(await toast.textContent(), 'Offline — could not toggle. Reconnecting…');
    assert.equal(demo().calls.length, calls, 'nothing reached the home');
    tap.online();
    await page.locator('.banner').waitFor({ state: 'hidden', timeout: 20_000 });
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('a PIN disabled after too many wrong PINs says so at once and is cleared', async () => {
    const offer = await createPairing(server().adminUrl, { areas: ['kitchen'] });
    const wrong = offer.pin === '000000' ? '000001' : '000000';
    // Twenty wrong PINs, five from each of four addresses (each address may send five).
    for (const address of ['127.0.0.2', '127.0.0.3', '127.0.0.4', '127.0.0.5']) {
      for (let i = 0; i < 5; i++) {
        assert.equal(await pairFrom(address, server().deviceUrl, wrong), 401);
      }
    }
    const { page, problems } = await open();
    await pairWithPin(page, offer.pin, 'Too late kiosk');
    const error = page.locator('.error.final');
    await error.waitFor();
    assert.equal(
      await error.textContent(),
      'This PIN is disabled after too many wrong PINs; scan the QR code or ask for a new PIN.',
    );
    assert.equal(await page.getByRole('textbox', { name: 'PIN' }).inputValue(), '');
    await snap(page, 'pin-locked', 'light', PHONE);
    assert.deepEqual(problems, []);
    await page.close();
  });
  // Last: a page's clock is the whole browser context's, and this one moves it on an hour.
  test('a HAsync that does not know hasync/display/subscribe leaves the defaults: no screensaver, tiles work', async () => {
    const tap = new SocketTap().answer('hasync/display/subscribe', (msg, t) =>
      t.push({
        id: msg.id,
        type: 'result',
        success: false,
        error: { code: 'unknown_command', message: 'Unknown command.' },
      }),
    );
    const { page, problems } = await pairedFor(['kitchen'], 'Old server kiosk', async (p) => {
      await tap.install(p);
      await p.clock.install();
    });
    assert.equal(tap.sentOf('hasync/display/subscribe').length, 1, 'the kiosk asked');
    await page.clock.fastForward(3_600_000);
    assert.equal(
      await page.locator('.screensaver').isVisible(),
      false,
      'no screensaver in an hour',
    );
    assert.equal(await page.locator('body').getAttribute('data-screensaver-after'), '0');
    const before = demo().state('light.kitchen_ceiling')?.state;
    await toggleArea(page, 'light.kitchen_ceiling').click();
    await waitFor(
      () => (demo().state('light.kitchen_ceiling')?.state !== before ? true : undefined),
      'the light toggled',
    );
    assert.deepEqual(problems, []);
    await page.close();
  });
});
