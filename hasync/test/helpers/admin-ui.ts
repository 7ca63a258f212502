import { after, before } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { buildWebUi, launchBrowser } from './browser.ts';
import type { startTestServer, TestServer } from './hasync.ts';

/** The admin UI under test: its server, and a page opened on it. */
export interface AdminUi {
  readonly server: TestServer;
  /** The browser context pages open in (for routes, extra pages). */
  readonly context: BrowserContext;
  /** Opens the admin UI at `hash` once its event stream is live; `problems` gathers page errors. */
  open(hash?: string): Promise<{ page: Page; problems: string[] }>;
}

/**
 * Registers, in the calling describe block, the hooks that build the admin UI, start a server
 * serving it (`start`: startTestServer or startDemoServer) and launch Chromium, and that close all
 * three afterwards.
 */
export function adminUiSuite(start: typeof startTestServer): AdminUi {
  let web: { dir: string; cleanup: () => void } | undefined;
  let server: TestServer | undefined;
  let browser: { context: BrowserContext; close(): Promise<void> } | undefined;
  before(async () => {
    web = buildWebUi();
    server = await start({ webRoot: web.dir });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
    web?.cleanup();
  });
  const started = () => {
    if (!server || !browser) throw new Error('the admin UI suite did not start');
    return { server, browser };
  };
  return {
    get server() {
      return started().server;
    },
    get context() {
      return started().browser.context;
    },
    async open(hash = '') {
      const { server, browser } = started();
      const page = await browser.context.newPage();
      const problems: string[] = [];
      page.on('pageerror', (err) => problems.push(err.message));
      await page.goto(`${server.adminUrl}/${hash}`);
      await page.getByText('Live', { exact: true }).waitFor();
      return { page, problems };
    },
  };
}
