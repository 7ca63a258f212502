import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { tempDir } from './tmp.ts';

const CHROMIUM_NAMES = ['chromium', 'chromium-browser', 'google-chrome-stable', 'google-chrome'];

/**
 * The first Chromium found: `HASYNC_CHROMIUM` if set, else the first of the usual names on
 * `PATH` (Debian's `chromium`, Ubuntu's `chromium-browser`, Google's builds); browser tests skip
 * when there is none.
 */
export function findChromium(env = process.env): string | undefined {
  if (env.HASYNC_CHROMIUM) return existsSync(env.HASYNC_CHROMIUM) ? env.HASYNC_CHROMIUM : undefined;
  const dirs = (env.PATH ?? '').split(delimiter).filter(Boolean);
  for (const name of CHROMIUM_NAMES) {
    for (const dir of dirs) {
      const candidate = join(dir, name);
      if (existsSync(candidate)) return candidate;
    }
  }
  return undefined;
}

export const CHROMIUM = findChromium();
export const hasChromium = () => CHROMIUM !== undefined;

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** Screenshots for review (git-ignored). */
export const SCREENSHOTS = join(ROOT, 'test-output', 'screenshots');

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-quic',
  '--disable-sync',
];

/** Builds the admin UI (or the kiosk client) with the real build script into a fresh temp folder. */
export function buildWebUi(app: 'admin' | 'kiosk' = 'admin'): { dir: string; cleanup: () => void } {
  const out = tempDir(`hasync-${app}-`);
  const run = spawnSync(
    process.execPath,
    [join(ROOT, 'scripts', 'build-web.ts'), '--app', app, '--outdir', out.dir],
    { encoding: 'utf8', timeout: 120_000 },
  );
  if (run.status !== 0) {
    out.cleanup();
    throw new Error(`building the ${app} web app failed:\n${run.stdout}\n${run.stderr}`);
  }
  return out;
}

/** Headless Chromium with a fresh profile, closed and removed by `close()`. */
export async function launchBrowser(): Promise<{
  context: BrowserContext;
  close(): Promise<void>;
}> {
  if (!CHROMIUM) throw new Error('no Chromium on PATH (apt-get install -y chromium)');
  const profile = tempDir('hasync-chromium-');
  const context = await chromium.launchPersistentContext(profile.dir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport: { width: 1280, height: 800 },
  });
  context.setDefaultTimeout(15_000);
  return {
    context,
    close: async () => {
      await context.close();
      profile.cleanup();
    },
  };
}

const SIZES = [
  { label: 'phone', width: 390, height: 844 },
  { label: 'desktop', width: 1280, height: 800 },
] as const;

/** Saves `name` at phone and desktop width (full page), leaving the page at desktop width. */
export async function snap(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  for (const size of SIZES) {
    await page.setViewportSize({ width: size.width, height: size.height });
    await page.screenshot({ path: join(SCREENSHOTS, `${name}-${size.label}.png`), fullPage: true });
  }
}
