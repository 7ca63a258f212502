import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { describeSchedule, localTime, WEEKDAYS } from '../../src/scope/schedule.ts';
import { waitFor } from '../fakes/demo-home.ts';
import { patchDevice } from '../helpers/devices.ts';
import { createPairing, requestJson } from '../helpers/json-http.ts';
import { kioskSuite, SIZES, SKIP, snap } from './kiosk-suite.ts';

describe('kiosk web client in headless Chromium', { skip: SKIP }, () => {
  const { demo, open, deviceNamed, waitForTiles, pairWithPin, server } = kioskSuite();

  test('pairs with a PIN on the keypad, keeps the token, and shows exactly the scoped tiles by area', async () => {
    const { page, problems } = await open();
    await page.getByRole('heading', { name: 'Pair this screen' }).waitFor();
    assert.match(await page.getByLabel('Name of this screen').inputValue(), /^Kiosk/);
    await snap(page, 'pairing');
    await snap(page, 'pairing', 'dark');

    await page.getByRole('textbox', { name: 'PIN' }).pressSequentially('000000');
    await page.getByRole('button', { name: 'Pair', exact: true }).click();
    await page.getByRole('alert').getByText('That PIN is not right').waitFor();

    const offer = await createPairing(server().adminUrl, { areas: ['kitchen'] });
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
    const offer = await createPairing(server().adminUrl, { areas: ['kitchen'] });
    await pairWithPin(page, offer.pin, 'Toggle kiosk');
    const light = page.locator('[data-entity-id="light.kitchen_ceiling"]');
    await light.waitFor();
    const before = demo().state('light.kitchen_ceiling')?.state;
    const after = before === 'on' ? 'off' : 'on';
    // The state line is the tile's toggle; its name and icon open the sheet.
    await light.locator('.tile-main .state').click();
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
    const offer = await createPairing(server().adminUrl, { areas: ['kitchen'] });
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
    await server().hasync.gateway.stop();
    await server().hasync.gateway.start();
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
    const offer = await createPairing(server().adminUrl, { areas: ['kitchen'] });
    await pairWithPin(page, offer.pin, 'Scope kiosk');
    const kitchen = await deviceNamed('Scope kiosk');
    await waitForTiles(page, kitchen.scope);

    assert.equal(
      (await patchDevice(server().adminUrl, kitchen.id, { areas: ['kitchen', 'bathroom'] })).status,
      200,
    );
    const both = await deviceNamed('Scope kiosk');
    assert.ok(both.scope.length > kitchen.scope.length);
    await waitForTiles(page, both.scope);
    await page.getByRole('region', { name: 'Bathroom' }).waitFor();

    await patchDevice(server().adminUrl, kitchen.id, { areas: ['bathroom'] });
    const bathroom = await deviceNamed('Scope kiosk');
    await waitForTiles(page, bathroom.scope);
    assert.equal(await page.getByRole('region', { name: 'Kitchen' }).count(), 0);

    const revoked = await requestJson('DELETE', `${server().adminUrl}/api/devices/${kitchen.id}`);
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
    const offer = await createPairing(server().adminUrl, { areas: ['kitchen'] });
    await pairWithPin(page, offer.pin, 'Hours kiosk');
    await page.getByRole('heading', { name: 'Hours kiosk' }).waitFor();
    const device = await deviceNamed('Hours kiosk');
    await waitForTiles(page, device.scope);

    // A window an hour from now on Home Assistant's wall clock (the demo home's zone).
    const zone = server().hasync.cache.config()?.time_zone ?? 'UTC';
    const hhmm = (ms: number) => {
      const { minute } = localTime(ms, zone);
      return `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
    };
    const schedule = [
      { days: [...WEEKDAYS], from: hhmm(Date.now() + 3_600_000), to: hhmm(Date.now() + 7_200_000) },
    ];
    assert.equal((await patchDevice(server().adminUrl, device.id, { schedule })).status, 200);
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

    assert.equal((await patchDevice(server().adminUrl, device.id, { schedule: null })).status, 200);
    await closed.waitFor({ state: 'hidden', timeout: 15_000 });
    await waitForTiles(page, device.scope);
    await page.locator('.board').waitFor();
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('past its end date the kiosk says its access has ended, keeps its token, and is back once extended', async () => {
    const { page, problems } = await open();
    const offer = await createPairing(server().adminUrl, { areas: ['kitchen'] });
    await pairWithPin(page, offer.pin, 'Guest kiosk');
    await page.getByRole('heading', { name: 'Guest kiosk' }).waitFor();
    const device = await deviceNamed('Guest kiosk');
    await waitForTiles(page, device.scope);

    const ended = new Date(Date.now() - 60_000).toISOString();
    assert.equal(
      (await patchDevice(server().adminUrl, device.id, { expires_at: ended })).status,
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
      (await patchDevice(server().adminUrl, device.id, { expires_at: later })).status,
      200,
    );
    await notice.waitFor({ state: 'hidden', timeout: 15_000 });
    await waitForTiles(page, device.scope);
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('a lock that needs the action PIN asks for it on a keypad; a wrong code shows the refusal, the right one works', async () => {
    const { page, problems } = await open();
    const offer = await createPairing(server().adminUrl, { areas: ['kitchen'] });
    await pairWithPin(page, offer.pin, 'PIN kiosk');
    await page.getByRole('heading', { name: 'PIN kiosk' }).waitFor();
    const device = await deviceNamed('PIN kiosk');
    await waitForTiles(page, device.scope);
    const patched = await patchDevice(server().adminUrl, device.id, {
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
    const offer = await createPairing(server().adminUrl, { areas: ['kitchen'] });
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
    const { page, problems } = await open(`${server().deviceUrl}/kiosk/`);
    await page.getByRole('heading', { name: 'Pair this screen' }).waitFor();
    const offer = await createPairing(server().adminUrl, { areas: ['kitchen'] });
    await pairWithPin(page, offer.pin, 'Kiosk under a folder');
    const device = await deviceNamed('Kiosk under a folder');
    await waitForTiles(page, device.scope);
    assert.equal(new URL(page.url()).pathname, '/kiosk/');
    assert.deepEqual(problems, []);
    await page.close();
  });
});

describe('kiosk tiles as Home Assistant shows them: names, state colours, read-only screens', {
  skip: SKIP,
}, () => {
  const { demo, open, deviceNamed, waitForTiles, pairWithPin, server } = kioskSuite();

  /** Pairs a fresh kiosk for `areas` and waits for exactly its scoped tiles. */
  const pairedFor = async (areas: string[], name: string) => {
    const opened = await open();
    const offer = await createPairing(server().adminUrl, { areas });
    await pairWithPin(opened.page, offer.pin, name);
    const device = await deviceNamed(name);
    await waitForTiles(opened.page, device.scope);
    return { ...opened, device };
  };

  /** The visible name of each tile, once the registries have been read (names are shortened). */
  const shownName = (page: Page, entityId: string) =>
    page.locator(`[data-entity-id="${entityId}"] .name`).textContent();

  /** What the browser-side checks use of the DOM (the tests compile without DOM types). */
  interface Box {
    scrollWidth: number;
    clientWidth: number;
    scrollHeight: number;
    clientHeight: number;
    textContent: string | null;
    querySelector(selector: string): Box;
  }
  type Styles = (el: Box) => Record<string, string>;

  /** Tile names whose text does not fit their box (cut, clipped or overflowing), at this size. */
  const cutNames = (page: Page) =>
    page.locator('.tile .name').evaluateAll((names) =>
      names.flatMap((el) => {
        const box = el as unknown as Box;
        const style = (globalThis as unknown as { getComputedStyle: Styles }).getComputedStyle(box);
        const cut =
          box.scrollWidth > box.clientWidth + 1 ||
          box.scrollHeight > box.clientHeight + 1 ||
          style.textOverflow === 'ellipsis' ||
          (style.webkitLineClamp ?? 'none') !== 'none';
        return cut ? [box.textContent ?? ''] : [];
      }),
    );

  // HA: src/common/entity/strip_prefix_from_entity_name.ts, compute_entity_name.ts (device prefix)
  test('inside an area the tile names drop the area and device prefix, whole at every size', async () => {
    const { page, problems, device } = await pairedFor(['living_room'], 'Names kiosk');
    await page.getByRole('region', { name: 'Living Room' }).waitFor();
    const want: Record<string, string> = {
      'light.living_room_ceiling': 'Ceiling', // area prefix dropped
      'media_player.living_room_tv': 'TV', // named as its device: the area dropped
      'climate.living_room': 'Thermostat', // named as its area: called by its device
      'sensor.living_room_temperature': 'Temperature', // device "Living Room Thermostat"
      'light.living_room_floor_lamp': 'Floor Lamp', // nothing to drop
    };
    for (const [entityId, name] of Object.entries(want)) {
      assert.ok(device.scope.includes(entityId), `${entityId} is in the living room`);
      await page
        .locator(`[data-entity-id="${entityId}"] .name`)
        .getByText(name, { exact: true })
        .waitFor();
    }
    const names = await page.locator('.tile .name').allTextContents();
    assert.deepEqual(
      names.filter((n) => /^Living Room\b/.test(n)),
      [],
      'no tile under Living Room repeats it',
    );
    // The full name stays for screen readers and on the tile's tooltip.
    const ceiling = page.locator('[data-entity-id="light.living_room_ceiling"]');
    assert.equal(await ceiling.getAttribute('aria-label'), 'Living Room Ceiling');
    assert.equal(await ceiling.locator('.name').getAttribute('title'), 'Living Room Ceiling');
    assert.equal(await shownName(page, 'light.living_room_ceiling'), 'Ceiling');

    for (const scheme of ['light', 'dark'] as const) await snap(page, 'names', scheme);
    for (const size of SIZES) {
      await page.setViewportSize({ width: size.width, height: size.height });
      assert.deepEqual(await cutNames(page), [], `no name cut at ${size.width}×${size.height}`);
    }
    assert.deepEqual(problems, []);
    await page.close();
  });

  /** The icon colour of a tile, as the browser computed it. */
  const iconColor = (page: Page, entityId: string) =>
    page
      .locator(`[data-entity-id="${entityId}"] .icon`)
      .evaluate(
        (icon) =>
          (globalThis as unknown as { getComputedStyle: Styles }).getComputedStyle(
            icon as unknown as Box,
          ).stroke,
      );

  /** WCAG contrast of a tile's name against its own background. */
  const nameContrast = (page: Page, entityId: string) =>
    page.locator(`[data-entity-id="${entityId}"]`).evaluate((el) => {
      const styles = (globalThis as unknown as { getComputedStyle: Styles }).getComputedStyle;
      const tile = el as unknown as Box;
      const rgb = (css: string) => {
        // Chromium may report `color(srgb r g b)` (from color-mix) or `rgb(r, g, b)`.
        const parts = css.match(/[\d.]+/g)?.map(Number) ?? [];
        return css.startsWith('color(') ? parts.slice(0, 3).map((v) => v * 255) : parts.slice(0, 3);
      };
      const lum = (css: string) => {
        const [r = 0, g = 0, b = 0] = rgb(css).map((v) => {
          const c = v / 255;
          return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
        });
        return 0.2126 * r + 0.7152 * g + 0.0722 * b;
      };
      const a = lum(styles(tile.querySelector('.name')).color ?? '');
      const b = lum(styles(tile).backgroundColor ?? '');
      return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    });

  // HA: src/common/entity/state_color.ts, src/resources/theme/color/color.globals.ts
  test('each domain and state has Home Assistant’s colour, and names stay readable in light and dark', async () => {
    const home = demo();
    const set = (entityId: string, state: string) =>
      home.setState(entityId, state, { ...home.state(entityId)?.attributes });
    set('light.living_room_ceiling', 'on');
    set('cover.living_room_blinds', 'open');
    set('climate.living_room', 'heat');
    set('switch.christmas_tree', 'on');
    set('media_player.living_room_tv', 'playing');
    set('lock.back_door', 'unlocked');
    set('switch.dishwasher', 'off');
    const { page, problems } = await pairedFor(['living_room', 'kitchen'], 'Colour kiosk');
    await page.locator('[data-entity-id="lock.back_door"][data-state="unlocked"]').waitFor();
    await page.locator('[data-entity-id="cover.living_room_blinds"][data-state="open"]').waitFor();
    const want: Record<string, string> = {
      'light.living_room_ceiling': 'rgb(255, 193, 7)', // amber: --state-light-active-color
      'lock.back_door': 'rgb(244, 67, 54)', // red: --state-lock-unlocked-color
      'cover.living_room_blinds': 'rgb(146, 107, 199)', // purple: --state-cover-active-color
      'climate.living_room': 'rgb(255, 111, 34)', // deep orange: --state-climate-heat-color
      'media_player.living_room_tv': 'rgb(3, 169, 244)', // light blue: media_player active
      'switch.christmas_tree': 'rgb(255, 193, 7)', // amber: --state-switch-active-color (as HA)
      'switch.dishwasher': 'rgb(158, 158, 158)', // grey: --state-inactive-color
    };
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      for (const [entityId, color] of Object.entries(want)) {
        assert.equal(await iconColor(page, entityId), color, `${entityId} in ${scheme}`);
        const contrast = await nameContrast(page, entityId);
        assert.ok(contrast >= 4.5, `${entityId}'s name readable in ${scheme}: ${contrast}`);
      }
    }
    await page.emulateMedia({ colorScheme: 'light' });
    for (const scheme of ['light', 'dark'] as const) await snap(page, 'colours', scheme);

    // Locking turns the lock green: the colour follows the state, live.
    set('lock.back_door', 'locked');
    await page.locator('[data-entity-id="lock.back_door"][data-state="locked"]').waitFor();
    assert.equal(await iconColor(page, 'lock.back_door'), 'rgb(76, 175, 80)');
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('a read-only screen shows its tiles without controls and says it is view only', async () => {
    const { page, problems, device } = await pairedFor(['living_room', 'kitchen'], 'Wall display');
    assert.ok((await page.locator('.board button, .board input').count()) > 0, 'controls at first');
    assert.equal(
      (await patchDevice(server().adminUrl, device.id, { read_only: true })).status,
      200,
    );
    await page.reload();
    await page.getByText('View only — this screen shows, it does not control').waitFor();
    await waitForTiles(page, device.scope);
    await page.locator('.tile.view-only').first().waitFor();
    // No controls and nothing that toggles: a tile only opens its sheet (states and history).
    assert.equal(
      await page.locator('.board .controls, .board input, .board [aria-pressed]').count(),
      0,
    );
    assert.equal(
      await page.locator('.tile-main:not([aria-haspopup="dialog"])').count(),
      0,
      'every tile button opens a sheet',
    );
    assert.equal(await page.locator('.tile:not(.view-only)').count(), 0);
    await page.locator('[data-entity-id="light.living_room_ceiling"] .tile-main .state').click();
    const sheet = page.getByRole('dialog', { name: 'Living Room Ceiling' });
    await sheet.getByText('View only').waitFor();
    assert.deepEqual(await sheet.getByRole('button').allTextContents(), ['Done']);
    assert.equal(await sheet.locator('input, select').count(), 0);
    await sheet.getByRole('button', { name: 'Done' }).click();
    await sheet.waitFor({ state: 'detached' });
    // States and colours still show: it is a display, not a dead screen.
    assert.match((await shownName(page, 'light.living_room_ceiling')) ?? '', /^Ceiling$/);
    for (const scheme of ['light', 'dark'] as const) await snap(page, 'read-only', scheme);

    assert.equal(
      (await patchDevice(server().adminUrl, device.id, { read_only: false })).status,
      200,
    );
    await page.reload();
    await page.getByRole('button', { name: /^Living Room Ceiling: / }).waitFor();
    assert.equal(await page.locator('.view-only-badge').isVisible(), false);
    assert.equal(await page.locator('.tile.view-only').count(), 0);
    assert.deepEqual(problems, []);
    await page.close();
  });
});
