/**
 * Installs Home Assistant Core into a cached virtualenv outside the repository:
 * ${XDG_CACHE_HOME:-~/.cache}/hasync/real-ha/<key>/venv, where the key hashes every pin. The
 * marker file `complete.json` is written last, so a killed install is never taken for a good one;
 * a lock directory keeps two installs of the same key from racing.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { note, run, seconds } from './common.ts';

export const HA_VERSION = '2024.3.3';
export const FRONTEND_VERSION = '20240307.0';
/** Top-level domains of the configuration.yaml that config-dir.ts writes. */
export const CONFIG_DOMAINS = [
  'homeassistant',
  'http',
  'frontend',
  'demo',
  'logger',
  'history',
  'logbook',
];
/** Bump when the install steps change in a way the pins do not show. */
const RECIPE = 3;
const PYTHON = process.env.HASYNC_REAL_HA_PYTHON ?? 'python3';
const LOCK_WAIT_MS = 30 * 60_000;
const here = dirname(fileURLToPath(import.meta.url));
const REQUIREMENTS_PY = join(here, 'requirements.py');
const CONSTRAINTS_EXTRA = join(here, 'constraints-extra.txt');

export interface Installed {
  readonly venv: string;
  readonly python: string;
  /** Seconds the install took now; 0 when the cache was reused. */
  readonly installSeconds: number;
}

function cacheRoot(): string {
  const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'hasync', 'real-ha');
}

async function cacheKey(): Promise<string> {
  const python = (
    await run(PYTHON, ['-c', 'import sys; print(sys.version)'], { capture: true })
  ).trim();
  const pins = {
    ha: HA_VERSION,
    frontend: FRONTEND_VERSION,
    python,
    domains: CONFIG_DOMAINS,
    recipe: RECIPE,
    // The requirement list is computed by this file from the manifests of the pinned HA.
    requirementsPy: createHash('sha256').update(readFileSync(REQUIREMENTS_PY)).digest('hex'),
    constraintsExtra: readFileSync(CONSTRAINTS_EXTRA, 'utf8'),
  };
  const hash = createHash('sha256').update(JSON.stringify(pins)).digest('hex').slice(0, 16);
  return `ha-${HA_VERSION}-py${python.split(' ')[0]}-${hash}`;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function withLock<T>(lockDir: string, work: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      mkdirSync(lockDir);
      writeFileSync(join(lockDir, 'pid'), String(process.pid));
      break;
    } catch {
      const holder = Number(readFileSafe(join(lockDir, 'pid')));
      if (holder && !pidAlive(holder)) {
        note(`removing a stale install lock of process ${holder}`);
        rmSync(lockDir, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`install lock ${lockDir} held too long`);
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
  try {
    return await work();
  } finally {
    rmSync(lockDir, { recursive: true, force: true });
  }
}

function readFileSafe(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

async function install(dir: string): Promise<string[]> {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const venv = join(dir, 'venv');
  const python = join(venv, 'bin', 'python');
  await run(PYTHON, ['-m', 'venv', venv]);
  const pip = [
    '-m',
    'pip',
    'install',
    '--quiet',
    '--disable-pip-version-check',
    '--no-input',
    '--progress-bar',
    'off',
  ];
  // The wheel alone first: its manifests and package_constraints.txt decide everything else.
  note(`pip install --no-deps homeassistant==${HA_VERSION}`);
  await run(python, [...pip, '--no-deps', `homeassistant==${HA_VERSION}`]);
  const constraints = (
    await run(
      python,
      [
        '-c',
        'import homeassistant, os; print(os.path.join(os.path.dirname(homeassistant.__file__), "package_constraints.txt"))',
      ],
      { capture: true },
    )
  ).trim();
  const requirements = (await run(python, [REQUIREMENTS_PY, ...CONFIG_DOMAINS], { capture: true }))
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  const frontendPin = `home-assistant-frontend==${FRONTEND_VERSION}`;
  if (!requirements.includes(frontendPin))
    throw new Error(`the frontend manifest does not pin ${frontendPin}: ${requirements.join(' ')}`);
  // One resolution of the core and the integrations' requirements under HA's own constraints, as
  // HA's installer does (HA: homeassistant/util/package.py install_package, requirements.py
  // pip_kwargs). Unconstrained, pip backtracks through newer habluetooth sdists for many minutes.
  note(
    `pip install -c package_constraints.txt homeassistant==${HA_VERSION} ${requirements.join(' ')}`,
  );
  await run(python, [
    ...pip,
    '-c',
    constraints,
    '-c',
    CONSTRAINTS_EXTRA,
    `homeassistant==${HA_VERSION}`,
    ...requirements,
  ]);
  // Import every integration the config loads (and its after-dependencies), so a broken
  // dependency fails the install here rather than a request later.
  await run(python, [REQUIREMENTS_PY, '--import', ...CONFIG_DOMAINS], { capture: true });
  const version = (
    await run(python, ['-c', 'from homeassistant.const import __version__; print(__version__)'], {
      capture: true,
    })
  ).trim();
  if (version !== HA_VERSION)
    throw new Error(`installed Home Assistant ${version}, not ${HA_VERSION}`);
  return requirements;
}

/** Returns the cached virtualenv for the pins, installing it first if needed. */
export async function ensureInstalled(): Promise<Installed> {
  const key = await cacheKey();
  const dir = join(cacheRoot(), key);
  const marker = join(dir, 'complete.json');
  const result = (installSeconds: number): Installed => ({
    venv: join(dir, 'venv'),
    python: join(dir, 'venv', 'bin', 'python'),
    installSeconds,
  });
  if (existsSync(marker)) {
    note(`using the cached Home Assistant ${HA_VERSION} in ${dir}`);
    return result(0);
  }
  mkdirSync(cacheRoot(), { recursive: true });
  return withLock(`${dir}.lock`, async () => {
    if (existsSync(marker)) return result(0); // another process finished it while we waited
    const t0 = performance.now();
    note(`installing Home Assistant ${HA_VERSION} into ${dir} (first use; takes minutes)`);
    const requirements = await install(dir);
    const installSeconds = Number(seconds(t0));
    writeFileSync(
      marker,
      `${JSON.stringify({ ha: HA_VERSION, frontend: FRONTEND_VERSION, requirements, installSeconds, at: new Date().toISOString() }, null, 2)}\n`,
    );
    return result(installSeconds);
  });
}
