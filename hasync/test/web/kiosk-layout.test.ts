import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { waitFor } from '../fakes/demo-home.ts';
import { kioskSuite, SCHEMES, SIZES, SKIP, snap } from './kiosk-suite.ts';

/**
 * The kiosk's layout at the four sizes of issue 16, light and dark: nothing clipped or
 * overflowing (element boxes measured in the page), primary buttons above the fold, and the
 * TV-remote focus (arrow keys move between tiles, Enter acts, the focus is seen).
 */

/** Problems with boxes on screen: overflowing the page, their tile or dialog, or cut text. (A
 * string, evaluated in the page: the tests compile without DOM types.) */
const LAYOUT_PROBLEMS = `(() => {
  const problems = [];
  const doc = document.documentElement;
  if (doc.scrollWidth > window.innerWidth + 1) problems.push('page scrolls sideways: ' + doc.scrollWidth);
  const describe = (el) => (el.getAttribute('aria-label') || el.textContent || el.className || el.tagName).trim().slice(0, 40);
  for (const box of document.querySelectorAll('.tile, dialog[open]')) {
    const outer = box.getBoundingClientRect();
    if (outer.left < -1 || outer.right > window.innerWidth + 1) problems.push('off screen: ' + describe(box));
    for (const el of box.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) continue;
      if (r.left < outer.left - 1 || r.right > outer.right + 1) problems.push('sticks out of ' + describe(box) + ': ' + describe(el));
      if (el.matches('button, .name, .state, output, .row-label, h2') && el.scrollWidth > el.clientWidth + 1)
        problems.push('text cut: ' + describe(el));
    }
  }
  return problems;
})()`;

const layoutProblems = (page: Page) => page.evaluate(LAYOUT_PROBLEMS) as Promise<string[]>;

/** The bottom edge of an element against the viewport's height. */
const aboveFold = (page: Page, selector: string) =>
  page
    .locator(selector)
    .first()
    .evaluate((el) => {
      const r = (
        el as unknown as { getBoundingClientRect(): { bottom: number } }
      ).getBoundingClientRect();
      return r.bottom <= (globalThis as unknown as { innerHeight: number }).innerHeight;
    });

/** The centre of the focused element and the tile it is in. */
const focused = (page: Page) =>
  page.evaluate(`(() => {
    const el = document.activeElement;
    const r = el.getBoundingClientRect();
    const tile = el.closest('.tile');
    return { x: r.left + r.width / 2, y: r.top + r.height / 2, entity: tile ? tile.dataset.entityId : null,
      outline: tile ? getComputedStyle(tile).outlineStyle + ' ' + getComputedStyle(tile).outlineWidth : '' };
  })()`) as Promise<{ x: number; y: number; entity: string | null; outline: string }>;

/** Sheets measured at each size: the busiest (sliders, choices, a drop-down). */
const SHEETS: [string, string][] = [
  ['light.living_room_ceiling', 'Living Room Ceiling'],
  ['climate.living_room', 'Living Room'],
  ['media_player.living_room_tv', 'Living Room TV'],
];

describe('kiosk layout at phone, tablet and TV sizes, light and dark', { skip: SKIP }, () => {
  const { demo, open, pairedFor } = kioskSuite();

  test('the pairing screen’s Pair button is above the fold at every size', async () => {
    const { page, problems } = await open();
    await page.getByRole('heading', { name: 'Pair this screen' }).waitFor();
    for (const size of SIZES) {
      await page.setViewportSize({ width: size.width, height: size.height });
      assert.ok(await aboveFold(page, 'button.primary'), `Pair above the fold at ${size.label}`);
      assert.deepEqual(await layoutProblems(page), [], `pairing at ${size.label}`);
    }
    for (const scheme of SCHEMES) await snap(page, 'pair', scheme);
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('tiles and the more-info sheet fit at every size, light and dark: nothing clipped or sticking out', async () => {
    // A scene's state is when it was last activated: a timestamp that must not run out of its tile.
    demo().setState('scene.movie_night', new Date().toISOString());
    const { page, problems } = await pairedFor(
      ['living_room', 'kitchen', 'office'],
      'Layout kiosk',
    );
    for (const scheme of SCHEMES) {
      await page.emulateMedia({ colorScheme: scheme });
      for (const size of SIZES) {
        await page.setViewportSize({ width: size.width, height: size.height });
        const where = `${size.label} ${scheme}`;
        assert.deepEqual(await layoutProblems(page), [], `tiles at ${where}`);
        // The first tiles' controls are on the first screen.
        assert.ok(await aboveFold(page, '.tile .tile-main'), `a tile above the fold at ${where}`);
        for (const [entityId, title] of SHEETS) {
          await page.locator(`[data-entity-id="${entityId}"] .name`).click();
          const sheet = page.getByRole('dialog', { name: title });
          await sheet.waitFor();
          assert.deepEqual(await layoutProblems(page), [], `${title} sheet at ${where}`);
          assert.ok(
            await aboveFold(page, 'dialog[open] .sheet-close'),
            `Done on screen at ${where}`,
          );
          await sheet.getByRole('button', { name: 'Done' }).click();
          await sheet.waitFor({ state: 'detached' });
        }
      }
    }
    await page.emulateMedia({ colorScheme: 'light' });
    await page.evaluate('window.scrollTo(0, 0)');
    for (const scheme of SCHEMES) await snap(page, 'dashboard', scheme);
    await page.locator('[data-entity-id="climate.living_room"] .name').click();
    for (const scheme of SCHEMES) await snap(page, 'sheet-climate-all', scheme);
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('a TV remote’s arrow keys move a visible focus between tiles, and Enter acts on the focused one', async () => {
    const { page, problems } = await pairedFor(['living_room', 'kitchen'], 'Remote kiosk');
    for (const size of SIZES.filter((s) => s.width >= 1024)) {
      await page.setViewportSize({ width: size.width, height: size.height });
      await page.locator('body').click({ position: { x: 2, y: 2 } });
      await page.evaluate('document.activeElement && document.activeElement.blur()');
      await page.keyboard.press('ArrowRight');
      const first = await focused(page);
      assert.ok(first.entity, `an arrow key focuses a tile at ${size.label}`);
      assert.match(first.outline, /^solid (3|4|5|6)(\.\d+)?px$/, 'the focused tile is ringed');
      await page.keyboard.press('ArrowRight');
      const right = await focused(page);
      assert.ok(
        right.x > first.x && Math.abs(right.y - first.y) < 60,
        `right of it at ${size.label}`,
      );
      await page.keyboard.press('ArrowDown');
      const down = await focused(page);
      assert.ok(down.y > right.y + 20, `below it at ${size.label}`);
      await page.keyboard.press('ArrowUp');
      const up = await focused(page);
      assert.ok(Math.abs(up.y - right.y) < 60, `back up at ${size.label}`);
      await page.keyboard.press('ArrowLeft');
      assert.equal((await focused(page)).entity, first.entity, `back left at ${size.label}`);
    }
    await snap(page, 'remote-focus', 'dark', [{ label: 'tv', width: 1920, height: 1080 }]);

    // Enter on a focused light toggles it.
    const light = 'light.living_room_ceiling';
    await page.locator(`[data-entity-id="${light}"] .tile-main`).focus();
    const before = demo().state(light)?.state;
    await page.keyboard.press('Enter');
    await waitFor(
      () => (demo().state(light)?.state !== before ? true : undefined),
      'Enter toggled',
    );
    await page
      .locator(`[data-entity-id="${light}"][data-state="${demo().state(light)?.state}"]`)
      .waitFor();
    // Holding Enter (a remote's long OK: the key repeats) opens the sheet and toggles nothing.
    const calls = demo().calls.length;
    await page.keyboard.down('Enter');
    await page.keyboard.down('Enter');
    const sheet = page.getByRole('dialog', { name: 'Living Room Ceiling' });
    await sheet.waitFor();
    await page.keyboard.up('Enter');
    await page.waitForTimeout(300);
    assert.equal(demo().calls.length, calls, 'a held Enter toggled nothing');
    await sheet.getByRole('button', { name: 'Done' }).click();
    await sheet.waitFor({ state: 'detached' });
    // `i` opens it too.
    await page.locator(`[data-entity-id="${light}"] .tile-main`).focus();
    await page.keyboard.press('i');
    await sheet.waitFor();
    assert.deepEqual(problems, []);
    await page.close();
  });
});
