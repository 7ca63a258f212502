import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { waitFor } from '../fakes/demo-home.ts';
import { patchDevice } from '../helpers/devices.ts';
import type { TestServer } from '../helpers/hasync.ts';
import { createPairing, requestJson } from '../helpers/json-http.ts';
import { type RealHa, realHaKiosk } from '../helpers/real-ha.ts';
import { SKIP, SocketTap } from '../web/kiosk-suite.ts';

// Runs only in `npm run test:real-ha`: the kiosk (issue 16) at /kiosk/ of HAsync's device port in
// front of real Home Assistant 2024.3.3 and its demo integration, in Chromium at 1024×768. Each
// control of the more-info sheet is judged by what Home Assistant's own states say afterwards
// (read with the owner's token), not by the frames the kiosk sent.

interface HaState {
  entity_id: string;
  state: string;
  last_changed: string;
  attributes: Record<string, unknown>;
}

const LIGHT = 'light.living_room_rgbww_lights';
const CLIMATE = 'climate.hvac';
/** The demo's Ecobee: heat_cool with a target_temp_low/target_temp_high range. */
const RANGE = 'climate.ecobee';
/** The demo's TV: sources, and a volume_level without VOLUME_SET (HA ignores volume_set). */
const TV = 'media_player.lounge_room';
/** The demo's YouTube player: VOLUME_SET, no sources. */
const PLAYER = 'media_player.living_room';
const ALARM = 'alarm_control_panel.security';
const SENSOR = 'sensor.outside_temperature';
/** In scope but view only: its tile toggles nothing. */
const VIEW_ONLY = 'light.kitchen_lights';
/** Never in scope. */
const OUTSIDE = 'light.bed_light';
const SCOPE = [LIGHT, CLIMATE, RANGE, TV, PLAYER, ALARM, SENSOR, VIEW_ONLY];
/** Home Assistant's polls under a loaded machine: generous, and never a fixed sleep. */
const HA_MS = 30_000;

describe('the kiosk against real Home Assistant', { skip: SKIP }, () => {
  const setup = realHaKiosk();
  let ha: RealHa;
  let server: TestServer;
  let page: Page;
  const problems: string[] = [];
  /** Records what the kiosk sends (and passes everything on to HAsync). */
  const tap = new SocketTap();

  const haEntity = async (entityId: string): Promise<HaState> => {
    const res = await fetch(`${ha.url}/api/states/${entityId}`, {
      headers: { authorization: `Bearer ${ha.token}` },
    });
    assert.equal(res.status, 200, `Home Assistant has ${entityId}`);
    return (await res.json()) as HaState;
  };

  /** Waits until Home Assistant's state of `entityId` passes `check`; fails with the last one. */
  const haFollows = async (entityId: string, what: string, check: (s: HaState) => boolean) => {
    let last: HaState | undefined;
    try {
      return await waitFor(
        async () => {
          last = await haEntity(entityId);
          return check(last) && last;
        },
        `Home Assistant: ${entityId} ${what}`,
        HA_MS,
        200,
      );
    } catch (err) {
      throw new Error(`${(err as Error).message}; last: ${JSON.stringify(last)}`);
    }
  };

  /** A sheet left open by a failed test is closed first. */
  const noSheetLeft = async () => {
    if (await page.locator('dialog[open]').count()) await page.keyboard.press('Escape');
    await page.locator('dialog[open]').waitFor({ state: 'detached' });
  };

  /** The sheet of `entityId`'s tile, opened by tapping its name (titled with HA's name). */
  const openSheet = async (entityId: string) => {
    const name = String((await haEntity(entityId)).attributes.friendly_name);
    await noSheetLeft();
    await page.locator(`[data-entity-id="${entityId}"] .name`).click();
    const sheet = page.getByRole('dialog', { name, exact: true });
    await sheet.waitFor();
    return sheet;
  };

  const closeSheet = async (sheet: ReturnType<Page['getByRole']>) => {
    await sheet.getByRole('button', { name: 'Done' }).click();
    await sheet.waitFor({ state: 'detached' });
  };

  before(async () => {
    ({ ha, server } = setup);
    await waitFor(() => server.hasync.cache.states().size > 20, 'the cache', HA_MS);
    setup.browser.context.setDefaultTimeout(HA_MS);
    page = await setup.browser.context.newPage();
    page.on('pageerror', (err) => problems.push(err.message));
    await page.setViewportSize({ width: 1024, height: 768 });
    await tap.install(page);
    await page.goto(`${server.deviceUrl}/kiosk/`);
    await page.getByRole('heading', { name: 'Pair this screen' }).waitFor();
    const offer = await createPairing(server.adminUrl, {});
    await page.getByRole('textbox', { name: 'PIN' }).pressSequentially(offer.pin);
    await page.getByLabel('Name of this screen').fill('Real HA kiosk');
    await page.getByRole('button', { name: 'Pair', exact: true }).click();
    await page.getByRole('heading', { name: 'Real HA kiosk' }).waitFor();
    const devices = await requestJson<{ id: string; name: string }[]>(
      'GET',
      `${server.adminUrl}/api/devices`,
    );
    const device = devices.body.find((d) => d.name === 'Real HA kiosk') ?? assert.fail('paired');
    const res = await patchDevice(server.adminUrl, device.id, {
      entities: SCOPE,
      view_only: [VIEW_ONLY],
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    for (const id of SCOPE) await page.locator(`[data-entity-id="${id}"]`).waitFor();
    await page.locator(`[data-entity-id="${VIEW_ONLY}"].view-only`).waitFor();
  });

  test('exactly the scoped entities are tiles; the out-of-scope light never appears', async () => {
    const tiles = await page
      .locator('.tile')
      .evaluateAll((all) => all.map((t) => t.getAttribute('data-entity-id') ?? '').sort());
    assert.deepEqual(tiles, [...SCOPE].sort());
    assert.equal(await page.locator(`[data-entity-id="${OUTSIDE}"]`).count(), 0);
    assert.equal(
      await page
        .getByText(String((await haEntity(OUTSIDE)).attributes.friendly_name), { exact: true })
        .count(),
      0,
    );
  });

  test('the light’s sheet sets brightness and colour in Home Assistant', async () => {
    const sheet = await openSheet(LIGHT);
    await sheet.getByRole('slider', { name: 'Brightness' }).fill('40');
    // brightness_pct 40 → 102 of 255 (HA: light/__init__.py, round(40 * 255 / 100)).
    await haFollows(
      LIGHT,
      'at 40 % brightness',
      (s) => s.state === 'on' && s.attributes.brightness === 102,
    );
    await sheet
      .getByRole('group', { name: 'Colour' })
      .getByRole('button', { name: 'Green' })
      .click();
    const green = await haFollows(LIGHT, 'green', (s) => {
      const hs = s.attributes.hs_color as number[] | undefined;
      return Array.isArray(hs) && Math.abs((hs[0] ?? 0) - 120) < 3 && (hs[1] ?? 0) > 90;
    });
    assert.equal(green.attributes.brightness, 102, 'a colour keeps the brightness');
    const rgb = green.attributes.rgb_color as number[];
    assert.ok((rgb[1] ?? 0) > (rgb[0] ?? 0) && (rgb[1] ?? 0) > (rgb[2] ?? 0), `green rgb ${rgb}`);
    await closeSheet(sheet);
  });

  test('the climate sheet sets the HVAC mode and the fan mode Home Assistant describes', async () => {
    const before = await haEntity(CLIMATE);
    const mode =
      (before.attributes.hvac_modes as string[]).find((m) => m !== before.state && m !== 'off') ??
      assert.fail('another mode');
    const fan =
      (before.attributes.fan_modes as string[]).find((m) => m !== before.attributes.fan_mode) ??
      assert.fail('another fan mode');
    const sheet = await openSheet(CLIMATE);
    await sheet
      .getByRole('group', { name: 'Mode' })
      .getByRole('button', { name: words(mode), exact: true })
      .click();
    await haFollows(CLIMATE, `in ${mode}`, (s) => s.state === mode);
    await sheet
      .getByRole('group', { name: 'Fan' })
      .getByRole('button', { name: words(fan), exact: true })
      .click();
    await haFollows(CLIMATE, `fan ${fan}`, (s) => s.attributes.fan_mode === fan);
    await sheet
      .getByRole('group', { name: 'Fan' })
      .getByRole('button', { name: words(fan), pressed: true })
      .waitFor();
    await closeSheet(sheet);
  });

  test('in heat_cool the climate sheet sets the low and high set-points, as HA’s more-info does', async () => {
    const before = await haEntity(RANGE);
    assert.equal(before.state, 'heat_cool');
    const low = Number(before.attributes.target_temp_low);
    const high = Number(before.attributes.target_temp_high);
    const step = Number(before.attributes.target_temp_step ?? 0.5);
    const sheet = await openSheet(RANGE);
    assert.equal(await sheet.getByRole('button', { name: 'Raise target', exact: true }).count(), 0);
    await sheet.getByText(`${high} °`).waitFor();
    await sheet.getByRole('button', { name: 'Raise high target' }).click();
    await haFollows(
      RANGE,
      `high ${high + step}`,
      (s) => s.attributes.target_temp_high === high + step && s.attributes.target_temp_low === low,
    );
    await sheet.getByRole('button', { name: 'Lower low target' }).click();
    await haFollows(
      RANGE,
      `low ${low - step}`,
      (s) =>
        s.attributes.target_temp_low === low - step &&
        s.attributes.target_temp_high === high + step,
    );
    await sheet
      .getByRole('status', { name: 'Low target temperature' })
      .getByText(`${low - step} °`)
      .waitFor();
    await closeSheet(sheet);
  });

  test('the media players’ sheets set source and volume where Home Assistant supports them', async () => {
    const tv = await haEntity(TV);
    const source =
      (tv.attributes.source_list as string[]).find((s) => s !== tv.attributes.source) ??
      assert.fail('another source');
    let sheet = await openSheet(TV);
    await sheet.getByRole('combobox', { name: 'Source' }).selectOption(source);
    await haFollows(TV, `on ${source}`, (s) => s.attributes.source === source);
    // HA's more-info has no volume for a player without VOLUME_SET, and HA would ignore one.
    assert.equal(typeof tv.attributes.volume_level, 'number');
    assert.equal(await sheet.getByRole('slider', { name: 'Volume' }).count(), 0);
    await closeSheet(sheet);
    sheet = await openSheet(PLAYER);
    assert.equal(await sheet.getByRole('combobox', { name: 'Source' }).count(), 0);
    await sheet.getByRole('slider', { name: 'Volume' }).fill('30');
    await haFollows(PLAYER, 'at volume 0.3', (s) => s.attributes.volume_level === 0.3);
    await closeSheet(sheet);
  });

  test('the alarm panel arms away with the keypad code, then disarms', async () => {
    assert.equal((await haEntity(ALARM)).state, 'disarmed');
    const sheet = await openSheet(ALARM);
    const withCode = async (verb: string) => {
      await sheet.getByRole('button', { name: verb, exact: true }).click();
      const dialog = page.getByRole('dialog', {
        name: `${verb} ${(await haEntity(ALARM)).attributes.friendly_name}`,
      });
      const keypad = dialog.getByRole('group', { name: 'Keypad' });
      for (const digit of '1234')
        await keypad.getByRole('button', { name: digit, exact: true }).click();
      await dialog.getByRole('button', { name: verb, exact: true }).click();
      await dialog.waitFor({ state: 'detached' });
    };
    await withCode('Arm away');
    // The demo's manual panel arms away after its arming time (arming → armed_away).
    await haFollows(ALARM, 'armed away', (s) => s.state === 'armed_away');
    await withCode('Disarm');
    await haFollows(ALARM, 'disarmed', (s) => s.state === 'disarmed');
    await sheet.getByRole('button', { name: 'Arm away', exact: true }).waitFor();
    await closeSheet(sheet);
  });

  test('the sensor’s sheet draws the last 24 hours from Home Assistant’s recorder', async () => {
    const sheet = await openSheet(SENSOR);
    // Home Assistant started moments ago: its one state is a line at the right edge, too short to
    // count as visible, so the path is awaited in the DOM.
    const line = sheet.locator('svg path.history-line');
    await line.first().waitFor({ state: 'attached' });
    assert.ok((await line.count()) >= 1);
    assert.match(String(await line.first().getAttribute('d')), /^M[\d.]+ [\d.]+/);
    const state = Number((await haEntity(SENSOR)).state);
    assert.match(
      String(await sheet.getByRole('img').getAttribute('aria-label')),
      new RegExp(String(state)),
    );
    await closeSheet(sheet);
  });

  test('tapping the view-only light changes nothing in Home Assistant; its sheet says view only', async () => {
    await noSheetLeft();
    const before = await haEntity(VIEW_ONLY);
    const tile = page.locator(`[data-entity-id="${VIEW_ONLY}"]`);
    assert.equal(await tile.locator('.controls').count(), 0);
    await tile.locator('.tile-main .state').click();
    await noSheetLeft();
    // Anything the tap sent would have reached Home Assistant by the time a later call has.
    const fence = (await haEntity(LIGHT)).state === 'on' ? 'off' : 'on';
    await page.locator(`[data-entity-id="${LIGHT}"] .tile-main .state`).click();
    await haFollows(LIGHT, `toggled ${fence}`, (s) => s.state === fence);
    const calls = tap.sentOf('call_service').map((c) => JSON.stringify(c));
    assert.ok(calls.length > 0, 'the tap records calls');
    assert.deepEqual(
      calls.filter((c) => c.includes(VIEW_ONLY)),
      [],
      'the kiosk sends nothing for it',
    );
    const afterTap = await haEntity(VIEW_ONLY);
    assert.deepEqual(
      [afterTap.state, afterTap.last_changed, afterTap.attributes.brightness],
      [before.state, before.last_changed, before.attributes.brightness],
    );
    const sheet = await openSheet(VIEW_ONLY);
    await sheet.getByText('View only', { exact: false }).waitFor();
    assert.equal(await sheet.getByRole('slider').count(), 0);
    await closeSheet(sheet);
    assert.deepEqual(problems, []);
  });
});

/** The kiosk's words for an HA mode (kiosk/src/sheet-parts.ts modeWords). */
function words(mode: string): string {
  const text = mode.replace('heat_cool', 'heat/cool').replaceAll('_', ' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}
