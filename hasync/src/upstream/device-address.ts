import { networkInterfaces } from 'node:os';
import type { Mode } from '../config/config.ts';
import { errorMessage, HasyncError } from '../shared/errors.ts';
import type { Logger } from '../shared/logger.ts';
import type { Module } from '../shared/module.ts';

/** The Supervisor's API inside an app container. */
export const SUPERVISOR_API_URL = 'http://supervisor';
const REQUEST_TIMEOUT_MS = 5000;
/** The Supervisor may still be starting: ask again after this, then hourly (DHCP may move HA). */
const RETRY_MS = 30_000;
const REFRESH_MS = 60 * 60 * 1000;
/** What a tablet is told when HAsync cannot learn Home Assistant's address. */
const FALLBACK_HOST = 'homeassistant.local';

type Interfaces = ReturnType<typeof networkInterfaces>;

export interface DeviceAddressDeps {
  readonly log: Logger;
  readonly mode: Mode;
  /** HASYNC_PUBLIC_URL: wins over everything else. */
  readonly publicUrl: string | undefined;
  /** The address the device listener binds to (HASYNC_DEVICE_BIND). */
  readonly deviceBind: string;
  /** The device listener's port inside this process (read late: it may be configured as 0). */
  readonly devicePort: () => number;
  /** App mode: the Supervisor's token and API base (tests pass a fake's URL). */
  readonly supervisorToken?: string | undefined;
  readonly supervisorUrl?: string;
  /** This machine's network interfaces (tests pass their own). */
  readonly interfaces?: () => Interfaces;
}

/** The first non-loopback IPv4 address of this machine, if it has one. */
export function firstLanAddress(interfaces: Interfaces): string | undefined {
  for (const list of Object.values(interfaces)) {
    for (const entry of list ?? []) {
      if (entry.family === 'IPv4' && !entry.internal) return entry.address;
    }
  }
  return undefined;
}

function hostPart(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

/** Normalises a configured URL to an origin-and-path ending in `/`. */
function withSlash(url: string): string {
  const parsed = new URL(url.replace(/^ws/, 'http'));
  parsed.hash = '';
  parsed.search = '';
  if (!parsed.pathname.endsWith('/')) parsed.pathname += '/';
  return parsed.toString();
}

interface SupervisorAnswer {
  readonly data?: unknown;
}

/**
 * Knows the URL a device on the network should open to reach the device listener: the tablet's
 * address in `pair_url`, the QR code and the pair screen. `HASYNC_PUBLIC_URL` if set; in app mode
 * Home Assistant's host address and the host port the Supervisor publishes the device port on
 * (the user may change or disable it in the app's Network settings); otherwise this machine's
 * first non-loopback IPv4 address and the device port.
 */
export class DeviceAddress implements Module {
  readonly name = 'device-address';
  readonly #deps: DeviceAddressDeps;
  #fromSupervisor: string | undefined;
  #timer: NodeJS.Timeout | undefined;
  #abort: AbortController | undefined;
  #lookup: Promise<void> | undefined;

  constructor(deps: DeviceAddressDeps) {
    this.#deps = deps;
  }

  async start(): Promise<void> {
    if (this.#deps.publicUrl || this.#deps.mode !== 'app') return;
    this.#abort = new AbortController();
    // Start-up never waits on the Supervisor: until it answers, the fallback address is used.
    this.#lookup = this.#refresh();
  }

  async stop(): Promise<void> {
    clearTimeout(this.#timer);
    this.#abort?.abort();
    await this.#lookup;
  }

  /** Resolves once the first Supervisor lookup has finished (app mode; for tests). */
  async ready(): Promise<void> {
    await this.#lookup;
  }

  /** The base URL a device opens, ending in `/` (e.g. `http://192.168.1.20:8100/`). */
  url(): string {
    const { publicUrl, mode, deviceBind, devicePort } = this.#deps;
    if (publicUrl) return withSlash(publicUrl);
    if (mode === 'app') return this.#fromSupervisor ?? `http://${FALLBACK_HOST}:${devicePort()}/`;
    const bound = deviceBind === '0.0.0.0' || deviceBind === '::' ? undefined : deviceBind;
    const interfaces = this.#deps.interfaces ?? networkInterfaces;
    const host = bound ?? firstLanAddress(interfaces()) ?? '127.0.0.1';
    return `http://${hostPart(host)}:${devicePort()}/`;
  }

  async #refresh(): Promise<void> {
    let next = REFRESH_MS;
    try {
      this.#fromSupervisor = await this.#askSupervisor();
      this.#deps.log.info({ url: this.#fromSupervisor }, 'devices reach HAsync at this address');
    } catch (err) {
      if (this.#abort?.signal.aborted) return;
      next = RETRY_MS;
      this.#deps.log.warn(
        { err: errorMessage(err) },
        `cannot learn Home Assistant's address from the Supervisor; pairing links use ${this.url()}`,
      );
    }
    if (this.#abort?.signal.aborted) return;
    this.#timer = setTimeout(() => {
      this.#lookup = this.#refresh();
    }, next);
    this.#timer.unref();
  }

  async #askSupervisor(): Promise<string> {
    const container = `${this.#deps.devicePort()}/tcp`;
    const [self, network] = await Promise.all([
      this.#get('/addons/self/info'),
      this.#get('/network/info'),
    ]);
    const ports = (self as { network?: Record<string, number | null> | null }).network ?? {};
    const published = ports[container];
    if (typeof published !== 'number') {
      throw new HasyncError(
        'device_port_unpublished',
        `the device port ${container} is not published (the app's Network settings)`,
      );
    }
    const host = primaryAddress(network) ?? FALLBACK_HOST;
    return `http://${hostPart(host)}:${published}/`;
  }

  async #get(path: string): Promise<unknown> {
    const base = this.#deps.supervisorUrl ?? SUPERVISOR_API_URL;
    const signals = [AbortSignal.timeout(REQUEST_TIMEOUT_MS)];
    if (this.#abort) signals.push(this.#abort.signal);
    const res = await fetch(`${base}${path}`, {
      headers: { authorization: `Bearer ${this.#deps.supervisorToken ?? ''}` },
      signal: AbortSignal.any(signals),
    });
    if (!res.ok) throw new HasyncError('supervisor_error', `${path} answered ${res.status}`);
    const body = (await res.json()) as SupervisorAnswer;
    if (typeof body.data !== 'object' || body.data === null) {
      throw new HasyncError('supervisor_error', `${path} answered without data`);
    }
    return body.data;
  }
}

interface SupervisorInterface {
  readonly primary?: boolean;
  readonly connected?: boolean;
  readonly ipv4?: { readonly address?: readonly string[] } | null;
}

/**
 * The host's LAN address from the Supervisor's `GET /network/info`: the primary interface's first
 * IPv4 address (`192.168.1.20/24` → `192.168.1.20`), else any connected interface's.
 */
export function primaryAddress(network: unknown): string | undefined {
  const list = (network as { interfaces?: unknown }).interfaces;
  if (!Array.isArray(list)) return undefined;
  const interfaces = list as SupervisorInterface[];
  const ordered = [
    ...interfaces.filter((i) => i.primary),
    ...interfaces.filter((i) => !i.primary && i.connected !== false),
  ];
  for (const entry of ordered) {
    const address = entry.ipv4?.address?.[0]?.split('/')[0];
    if (address) return address;
  }
  return undefined;
}
