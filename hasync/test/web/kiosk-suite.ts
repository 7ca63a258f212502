import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before } from 'node:test';
import type { BrowserContext, Page, WebSocketRoute } from 'playwright-core';
import { buildWebUi, hasChromium, launchBrowser, SCREENSHOTS } from '../helpers/browser.ts';
import { startDemoServer, type TestServer } from '../helpers/hasync.ts';
import { createPairing, requestJson } from '../helpers/json-http.ts';

/** Shared by the kiosk browser tests (kiosk*.test.ts): one server, build and Chromium per suite. */

export const SKIP = hasChromium() ? false : 'chromium not installed (apt-get install -y chromium)';

/** The sizes the kiosk must hold at (issue 16): phone, tablet, laptop-ish tablet, TV. */
export const SIZES = [
  { label: 'phone', width: 390, height: 844 },
  { label: 'tablet', width: 1024, height: 768 },
  { label: 'tablet-wide', width: 1280, height: 800 },
  { label: 'tv', width: 1920, height: 1080 },
] as const;

export const SCHEMES = ['light', 'dark'] as const;

/** Saves `kiosk-<name>-<size>[-dark].png` at the given sizes: what the screen shows (viewport). */
export async function snap(
  page: Page,
  name: string,
  scheme: 'light' | 'dark' = 'light',
  sizes: readonly { label: string; width: number; height: number }[] = SIZES,
): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.emulateMedia({ colorScheme: scheme });
  const suffix = scheme === 'dark' ? '-dark' : '';
  for (const size of sizes) {
    await page.setViewportSize({ width: size.width, height: size.height });
    const path = join(SCREENSHOTS, `kiosk-${name}-${size.label}${suffix}.png`);
    await page.screenshot({ path });
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

export interface DeviceView {
  id: string;
  name: string;
  scope: string[];
}

type Frame = Record<string, unknown>;

/**
 * The kiosk's WebSocket as the page sees it, with HAsync behind it: every frame the kiosk sends
 * is recorded and passed on, except the command types the test answers itself (`answer`), and
 * the test can send the page frames of its own (`push`) — how the tests play a server part that
 * has not landed (hasync/display/subscribe) or what the demo home lacks (history, some services).
 */
export class SocketTap {
  readonly sent: Frame[] = [];
  readonly #answers = new Map<string, (msg: Frame, tap: SocketTap) => void>();
  readonly #edits = new Map<string, (result: unknown) => unknown>();
  readonly #editIds = new Map<number, string>();
  #route: WebSocketRoute | undefined;
  #offline = false;

  /** Answers commands of `type` (or `call_service` of `domain.service`) instead of HAsync. */
  answer(type: string, reply: (msg: Frame, tap: SocketTap) => void): this {
    this.#answers.set(type, reply);
    return this;
  }

  /** Changes HAsync's result to commands of `type` before the page sees it. */
  editResult(type: string, edit: (result: unknown) => unknown): this {
    this.#edits.set(type, edit);
    return this;
  }

  /** Sends the page a frame as if from HAsync. */
  push(frame: Frame): void {
    assert.ok(this.#route, 'the kiosk has a socket');
    this.#route.send(JSON.stringify(frame));
  }

  /** The frames of `type` the kiosk sent. */
  sentOf(type: string): Frame[] {
    return this.sent.filter((f) => f.type === type);
  }

  /**
   * Cuts the page's socket as a network failure would, and refuses new ones until `online()`
   * (the server keeps accepting: stopping HAsync's gateway does not keep a device out).
   */
  async offline(): Promise<void> {
    this.#offline = true;
    await this.#route?.close({ code: 1001, reason: '' });
  }

  online(): void {
    this.#offline = false;
  }

  async install(page: Page): Promise<void> {
    await page.routeWebSocket(/\/api\/websocket$/, (ws) => {
      if (this.#offline) {
        void ws.close({ code: 1001, reason: '' });
        return;
      }
      this.#route = ws;
      const server = ws.connectToServer();
      ws.onMessage((raw) => {
        const msg = JSON.parse(String(raw)) as Frame;
        this.sent.push(msg);
        const key =
          msg.type === 'call_service' ? `call_service ${msg.domain}.${msg.service}` : msg.type;
        const reply = this.#answers.get(String(key));
        if (reply) return reply(msg, this);
        if (this.#edits.has(String(msg.type))) this.#editIds.set(Number(msg.id), String(msg.type));
        server.send(String(raw));
      });
      server.onMessage((raw) => {
        const parsed = JSON.parse(String(raw)) as Frame | Frame[];
        const frames = Array.isArray(parsed) ? parsed : [parsed];
        let changed = false;
        for (const frame of frames) {
          const type = this.#editIds.get(Number(frame.id));
          if (type && frame.type === 'result' && frame.success) {
            frame.result = this.#edits.get(type)?.(frame.result);
            changed = true;
          }
        }
        ws.send(changed ? JSON.stringify(parsed) : String(raw));
      });
    });
  }
}

/** Replies `result` (success) to the command `msg`. */
export const ok = (tap: SocketTap, msg: Frame, result: unknown = null) =>
  tap.push({ id: msg.id, type: 'result', success: true, result });

/**
 * One demo server, kiosk build and Chromium per suite (each has its own pairing rate limit of
 * ten attempts a minute), and the helpers its tests use.
 */
export function kioskSuite() {
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

  /**
   * A fresh page on the device listener with nothing stored from earlier tests; `prepare` runs
   * before the kiosk loads (a socket tap, a clock).
   */
  const open = async (url = `${server.deviceUrl}/`, prepare?: (page: Page) => Promise<void>) => {
    const page = await browser.context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (err) => problems.push(err.message));
    await page.goto(`${server.deviceUrl}/api/health`);
    await page.evaluate(() => localStorage.clear());
    await prepare?.(page);
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

  /**
   * Waits until the tiles on screen are exactly `expected` (no more, no fewer), awaiting each
   * look; after `timeoutMs` it fails with both lists. (The shared `waitFor` takes a synchronous
   * check: an async one returns a promise, which is truthy, so it returned at once.)
   */
  const waitForTiles = async (page: Page, expected: string[], timeoutMs = 10_000) => {
    const want = [...expected].sort();
    const deadline = Date.now() + timeoutMs;
    let have = await tileIds(page);
    while (JSON.stringify(have) !== JSON.stringify(want) && Date.now() < deadline) {
      await page.waitForTimeout(50);
      have = await tileIds(page);
    }
    assert.deepEqual(have, want, 'exactly the scoped tiles');
  };

  /** Types the PIN on the on-screen keypad and pairs under `name`. */
  const pairWithPin = async (page: Page, pin: string, name: string) => {
    const keypad = page.getByRole('group', { name: 'Keypad' });
    for (const digit of pin) await keypad.getByRole('button', { name: digit, exact: true }).click();
    assert.equal(await page.getByRole('textbox', { name: 'PIN' }).inputValue(), pin);
    await page.getByLabel('Name of this screen').fill(name);
    await page.getByRole('button', { name: 'Pair', exact: true }).click();
  };

  /** Pairs a fresh kiosk for `areas` and waits for exactly its scoped tiles and their names. */
  const pairedFor = async (
    areas: string[],
    name: string,
    prepare?: (page: Page) => Promise<void>,
  ) => {
    const opened = await open(undefined, prepare);
    const offer = await createPairing(server.adminUrl, { areas });
    await pairWithPin(opened.page, offer.pin, name);
    await opened.page.getByRole('heading', { name }).waitFor();
    const device = await deviceNamed(name);
    await waitForTiles(opened.page, device.scope);
    // The registries have been read once the area sections have their names.
    await opened.page.locator('section.area[data-area]:not([data-area="other"])').first().waitFor();
    return { ...opened, device };
  };

  return {
    demo,
    open,
    deviceNamed,
    tileIds,
    waitForTiles,
    pairWithPin,
    pairedFor,
    server: () => server,
  };
}
