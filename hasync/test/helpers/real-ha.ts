import { type ChildProcess, spawn } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { after, before } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { BrowserContext } from 'playwright-core';
import { buildWebUi, launchBrowser } from './browser.ts';
import { startTestServer, type TestServer } from './hasync.ts';

/** A running real Home Assistant Core started by `scripts/real-ha/main.ts`. */
export interface RealHa {
  readonly url: string;
  /** Long-lived token of the owner (admin). */
  readonly token: string;
  /** Long-lived token of a non-admin user (group system-users). */
  readonly userToken: string;
  readonly version: string;
  /** Everything the harness wrote to stderr so far. */
  log(): string;
  stop(): Promise<void>;
}

/** A first install downloads and installs Home Assistant; later starts reuse the cache. */
const INSTALL_DEADLINE_MS = 20 * 60_000;
const CACHED_DEADLINE_MS = 3 * 60_000;
const STOP_DEADLINE_MS = 45_000;
const SCRIPT = resolve(dirname(fileURLToPath(import.meta.url)), '../../scripts/real-ha/main.ts');

/** The harness says so on stderr when it installs rather than reuses the cache. */
const INSTALLING = 'installing Home Assistant';

/**
 * Spawns the real-HA harness (Node 24 from process.execPath) and resolves with its JSON line.
 * The harness stops Home Assistant when its stdin closes, so a killed test run leaves nothing.
 */
export async function startRealHa(): Promise<RealHa> {
  const started = Date.now();
  const child = spawn(process.execPath, [SCRIPT, '--stop-on-stdin-close'], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  let stdout = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const ready = await new Promise<{
    url: string;
    token: string;
    user_token: string;
    version: string;
  }>((resolveReady, reject) => {
    const timer = setInterval(() => {
      const deadlineMs = stderr.includes(INSTALLING) ? INSTALL_DEADLINE_MS : CACHED_DEADLINE_MS;
      if (Date.now() - started < deadlineMs) return;
      clearInterval(timer);
      child.kill('SIGTERM');
      reject(new Error(`real Home Assistant not ready in ${deadlineMs / 1000} s:\n${stderr}`));
    }, 1000);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      const line = stdout.split('\n').find((l) => l.startsWith('{'));
      if (line && stdout.includes('\n')) {
        clearInterval(timer);
        resolveReady(JSON.parse(line));
      }
    });
    child.once('exit', (code) => {
      clearInterval(timer);
      reject(new Error(`real Home Assistant harness exited with ${code}:\n${stderr}`));
    });
  });
  return {
    url: ready.url,
    token: ready.token,
    userToken: ready.user_token,
    version: ready.version,
    log: () => stderr,
    stop: () => stopHarness(child),
  };
}

async function stopHarness(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((done) => child.once('exit', done));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_DEADLINE_MS);
  await exited;
  clearTimeout(timer);
}

/**
 * What Home Assistant's frontend keeps in `localStorage.hassTokens` once logged in (HA frontend
 * src/common/auth/token_storage.ts), for a browser that starts logged in with `token` at `origin`.
 * The refresh token is never used: the access token outlives the test.
 */
export function frontendTokens(origin: string, token: string): string {
  return JSON.stringify({
    access_token: token,
    refresh_token: 'unused',
    expires: Date.now() + 3_600_000,
    expires_in: 3600,
    token_type: 'Bearer',
    hassUrl: origin,
    clientId: `${origin}/`,
  });
}

/** One cold load of Home Assistant's frontend (see `coldLoad`). */
export interface ColdLoad {
  /** Navigation to `rendered` on screen, in milliseconds. */
  readonly ms: number;
  /** Encoded response bodies plus headers of every HTTP request until the network was idle. */
  readonly bytes: number;
  readonly requests: number;
  /** The page's path at the end (the frontend moves `/` to its default dashboard). */
  readonly path: string;
}

/**
 * Opens `${origin}/` in a fresh Chromium profile (empty cache) that starts logged in with `token`,
 * at 1024×768, and measures until the text `rendered` is on screen and the network is idle;
 * `screenshot` saves the page then. The WebSocket is not counted.
 */
export async function coldLoad(
  origin: string,
  token: string,
  options: { rendered: string; screenshot?: string; timeoutMs?: number },
): Promise<ColdLoad> {
  const browser = await launchBrowser();
  try {
    await browser.context.addInitScript(
      (value) => {
        localStorage.setItem('hassTokens', value);
      },
      frontendTokens(origin, token),
    );
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 1024, height: 768 });
    let bytes = 0;
    let requests = 0;
    const sizes: Promise<void>[] = [];
    page.on('requestfinished', (req) => {
      requests += 1;
      const counted = req.sizes().then((s) => {
        bytes += s.responseBodySize + s.responseHeadersSize;
      });
      sizes.push(counted.catch(() => {}));
    });
    const started = performance.now();
    await page.goto(`${origin}/`);
    await page
      .getByText(options.rendered, { exact: true })
      .first()
      .waitFor({ timeout: options.timeoutMs ?? 60_000 });
    const ms = performance.now() - started;
    await page.waitForLoadState('networkidle');
    await Promise.all(sizes);
    if (options.screenshot) await page.screenshot({ path: options.screenshot });
    return { ms, bytes, requests, path: new URL(page.url()).pathname };
  } finally {
    await browser.close();
  }
}

/** What `realHaKiosk` starts for a suite; read it in hooks and tests, once `before` has run. */
export interface RealHaKiosk {
  ha: RealHa;
  server: TestServer;
  kiosk: { dir: string; cleanup: () => void };
  browser: { context: BrowserContext; close(): Promise<void> };
}

/**
 * For the node:test suite it is called in: real Home Assistant, a fresh kiosk build, HAsync in
 * standalone mode in front of Home Assistant serving it at /kiosk/, and Chromium; all stopped
 * after the suite.
 */
export function realHaKiosk(): RealHaKiosk {
  const parts = {} as Partial<RealHaKiosk>;
  before(async () => {
    const ha = await startRealHa();
    parts.ha = ha;
    parts.kiosk = buildWebUi('kiosk');
    parts.server = await startTestServer({
      env: { HASYNC_HA_URL: ha.url, HASYNC_HA_TOKEN: ha.token },
      kioskRoot: parts.kiosk.dir,
    });
    parts.browser = await launchBrowser();
  });
  after(async () => {
    await parts.browser?.close();
    await parts.server?.stop();
    parts.kiosk?.cleanup();
    await parts.ha?.stop();
  });
  return parts as RealHaKiosk;
}
