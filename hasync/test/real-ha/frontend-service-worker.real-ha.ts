import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { waitFor } from '../fakes/demo-home.ts';
import { hasChromium } from '../helpers/browser.ts';
import { pairDevice } from '../helpers/devices.ts';
import type { TestServer } from '../helpers/hasync.ts';
import { createPairing } from '../helpers/json-http.ts';
import { frontendTokens, type RealHa, type RealHaKiosk, realHaKiosk } from '../helpers/real-ha.ts';

// Runs only in `npm run test:real-ha`: Home Assistant's frontend registers a service worker for
// the whole origin (`/service_worker.js`, scope `/`, HA frontend 20240307.0
// src/util/register-service-worker.ts — only on https or on `localhost`, so the browser uses
// localhost here). Its routes (src/entrypoints/service_worker.ts) answer `/…/` pages stale-while-
// revalidate and any other GET from a cache, `/api/` from the network. The kiosk shares the
// origin at /kiosk/: it must still load, pair and control the home in the same browser profile.

const SKIP = hasChromium() ? false : 'chromium not installed (apt-get install -y chromium)';

async function haState(ha: RealHa, entityId: string): Promise<string> {
  const res = await fetch(`${ha.url}/api/states/${entityId}`, {
    headers: { authorization: `Bearer ${ha.token}` },
  });
  return ((await res.json()) as { state: string }).state;
}

/** The browser's service worker API, as far as these checks use it (tests have no DOM types). */
interface Workers {
  readonly controller: { readonly scriptURL: string } | null;
  readonly ready: Promise<{ readonly scope: string }>;
}

/** The service worker controlling the page, if any (script URL and scope). */
async function controller(page: Page): Promise<{ script: string; scope: string } | null> {
  return page
    .evaluate(async () => {
      const workers = (globalThis as unknown as { navigator: { serviceWorker: Workers } }).navigator
        .serviceWorker;
      if (!workers.controller) return null;
      const registration = await workers.ready;
      return { script: workers.controller.scriptURL, scope: registration.scope };
    })
    .catch((err: Error) => {
      // The frontend reloads itself when its worker takes control (controllerchange).
      if (/context was destroyed|navigat/i.test(err.message)) return null;
      throw err;
    });
}

describe('the frontend’s service worker and the kiosk on the same origin', { skip: SKIP }, () => {
  const setup = realHaKiosk();
  let ha: RealHa;
  let server: TestServer;
  let kiosk: RealHaKiosk['kiosk'];
  let browser: RealHaKiosk['browser'];
  let origin: string;
  before(() => {
    ({ ha, server, kiosk, browser } = setup);
    origin = server.deviceUrl.replace('127.0.0.1', 'localhost');
  });

  test('the frontend installs its service worker with scope / on the device port', async () => {
    const device = await pairDevice(server.adminUrl, server.deviceUrl, {
      name: 'Frontend tablet',
      areas: ['kitchen'],
    });
    await browser.context.addInitScript(
      (tokens) => {
        const path = (globalThis as unknown as { location: { pathname: string } }).location
          .pathname;
        if (path.startsWith('/kiosk/')) return;
        if (!localStorage.getItem('hassTokens')) localStorage.setItem('hassTokens', tokens);
      },
      frontendTokens(origin, device.token),
    );
    const page = await browser.context.newPage();
    await page.goto(`${origin}/`);
    await page.getByText('Carbon monoxide').waitFor({ timeout: 30_000 });
    // The frontend registers it a second after start, and reloads once it takes control.
    await waitFor(
      async () => (await controller(page)) ?? undefined,
      'a controlling worker',
      30_000,
    );
    await page.getByText('Carbon monoxide').waitFor({ timeout: 30_000 });
    assert.deepEqual(await controller(page), {
      script: `${origin}/service_worker.js`,
      scope: `${origin}/`,
    });
    await page.close();
  });

  test('the kiosk at /kiosk/ still loads, pairs and controls the home under that worker', async () => {
    const page = await browser.context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (err) => problems.push(err.message));
    const first = await page.goto(`${origin}/kiosk/`);
    assert.equal(first?.status(), 200);
    assert.ok(await controller(page), 'the frontend’s worker controls the kiosk page too');
    await page.getByRole('heading', { name: 'Pair this screen' }).waitFor();
    const offer = await createPairing(server.adminUrl, { areas: ['kitchen'] });
    await page.getByRole('textbox', { name: 'PIN' }).pressSequentially(offer.pin);
    await page.getByLabel('Name of this screen').fill('Kiosk beside the frontend');
    await page.getByRole('button', { name: 'Pair', exact: true }).click();
    await page.getByRole('heading', { name: 'Kiosk beside the frontend' }).waitFor();
    const light = page.locator('[data-entity-id="light.kitchen_lights"]');
    await light.waitFor();
    assert.equal(await page.locator('[data-entity-id="light.bed_light"]').count(), 0);
    const before = await haState(ha, 'light.kitchen_lights');
    await light.locator('.tile-main .state').click();
    await waitFor(
      async () => (await haState(ha, 'light.kitchen_lights')) !== before,
      'Home Assistant to change light.kitchen_lights',
    );
    // A reload is answered by the worker now, and the kiosk keeps working.
    const again = await page.reload();
    assert.equal(again?.status(), 200);
    assert.equal(again?.fromServiceWorker(), true);
    await page.getByRole('heading', { name: 'Kiosk beside the frontend' }).waitFor();
    await light.waitFor();
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('a new kiosk build shows one load late: the worker answers /kiosk/ stale-while-revalidate', async () => {
    // What the worker's `/\/(\?.*)?$/` route does to any page path ending in "/": the cached copy
    // first, the network's copy for the next load. HAsync itself sends the kiosk index no-cache.
    const page = await browser.context.newPage();
    await page.goto(`${origin}/kiosk/`);
    await page.getByRole('heading', { name: 'Kiosk beside the frontend' }).waitFor();
    const index = join(kiosk.dir, 'index.html');
    const original = readFileSync(index, 'utf8');
    try {
      writeFileSync(
        index,
        original.replace('</head>', '<meta name="kiosk-build" content="2"></head>'),
      );
      const fromNetwork = await fetch(`${server.deviceUrl}/kiosk/`);
      assert.match(await fromNetwork.text(), /kiosk-build/, 'HAsync serves the new build');
      const marker = () => page.locator('meta[name="kiosk-build"]').count();
      await page.reload();
      await page.getByRole('heading', { name: 'Kiosk beside the frontend' }).waitFor();
      assert.equal(await marker(), 0, 'the first load after the change is the cached build');
      await page.reload();
      await page.getByRole('heading', { name: 'Kiosk beside the frontend' }).waitFor();
      assert.equal(await marker(), 1, 'the next load has the new build');
    } finally {
      writeFileSync(index, original);
      await page.close();
    }
  });

  test('the frontend still opens after the kiosk, logged in as before', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${origin}/`);
    await page.getByText('Carbon monoxide').waitFor({ timeout: 30_000 });
    assert.equal(new URL(page.url()).pathname.startsWith('/lovelace/'), true);
    await page.close();
  });
});
