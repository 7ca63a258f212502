import { PictureTokens } from './access/picture-tokens.ts';
import { HomeCache } from './cache/home-cache.ts';
import type { Config } from './config/config.ts';
import type { DemoHome } from './demo/demo-home.ts';
import { DeviceGateway } from './gateway/device-gateway.ts';
import { createAdminApp } from './http/admin-app.ts';
import { createDeviceApp } from './http/device-app.ts';
import { KIOSK_PATH } from './http/routes/ha-frontend.ts';
import { HttpServer } from './http/server-module.ts';
import { DeviceService } from './pairing/device-service.ts';
import { PairingService } from './pairing/pairing-service.ts';
import { EventBus } from './shared/bus.ts';
import { type Clock, systemClock } from './shared/clock.ts';
import { HasyncError } from './shared/errors.ts';
import type { HasyncEvents } from './shared/events.ts';
import type { Logger } from './shared/logger.ts';
import { type Module, ModuleRunner } from './shared/module.ts';
import { AuditRetention } from './storage/audit-retention.ts';
import { AuditStore } from './storage/audit-store.ts';
import { Db } from './storage/db.ts';
import { DeviceAddress } from './upstream/device-address.ts';
import { FrontendFiles } from './upstream/frontend-files.ts';
import { UpstreamLink } from './upstream/upstream-link.ts';

/** Any non-empty token opens the in-process demo home. */
const DEMO_TOKEN = 'demo';
const DEMO_BACKOFF = { initialMs: 100, maxMs: 5000 };

/**
 * The in-process demo home as one of the modules: its code is loaded by start(), so the other
 * modes never load it (a sixth of the bundle).
 */
class DemoHomeModule implements Module {
  readonly name = 'demo-home';
  home: DemoHome | undefined;
  readonly #log: Logger;

  constructor(log: Logger) {
    this.#log = log;
  }

  async start(): Promise<void> {
    const { DemoHome } = await import('./demo/demo-home.ts');
    this.home = new DemoHome({ log: this.#log });
    await this.home.start();
  }

  async stop(): Promise<void> {
    await this.home?.stop();
  }

  get url(): string {
    if (!this.home) throw new Error('the demo home has not started');
    return this.home.url;
  }
}

/** Where the upstream link connects: Home Assistant (app/standalone) or the demo home. */
function upstreamTarget(config: Config, demo: DemoHomeModule | undefined) {
  // The demo home is in-process: after a restart in tests, reconnect quickly.
  if (demo) return { url: () => demo.url, token: DEMO_TOKEN, demo: true, backoff: DEMO_BACKOFF };
  if (!config.haUrl || !config.haToken) {
    throw new HasyncError(
      'config_invalid',
      `no Home Assistant URL and token in ${config.mode} mode`,
    );
  }
  return { url: config.haUrl, token: config.haToken };
}

export interface HasyncDeps {
  readonly config: Config;
  readonly log: Logger;
  readonly clock?: Clock;
  /** Folder of the built admin web UI (tests pass a fresh build; default: dist/web). */
  readonly webRoot?: string;
  /** Folder of the built kiosk web client (tests pass a fresh build; default: dist/kiosk). */
  readonly kioskRoot?: string;
  /** The Supervisor's API base in app mode (tests pass a fake's URL; default http://supervisor). */
  readonly supervisorUrl?: string;
}

/**
 * The composition root: opens storage, builds the modules, starts them in order and stops them
 * in reverse. Used by main.ts and, in-process, by the integration tests.
 */
export class Hasync {
  readonly config: Config;
  readonly db: Db;
  readonly admin: HttpServer;
  readonly device: HttpServer;
  readonly bus: EventBus<HasyncEvents>;
  /** The home as Home Assistant reports it (entity states and registries). */
  readonly cache: HomeCache;
  readonly link: UpstreamLink;
  readonly devices: DeviceService;
  readonly pairing: PairingService;
  readonly gateway: DeviceGateway;
  /** Home Assistant's frontend files, served on the device port (not in demo mode). */
  readonly frontend: FrontendFiles | undefined;
  /** The URL a device on the network opens to reach the device listener. */
  readonly address: DeviceAddress;
  readonly #log: Logger;
  readonly #runner: ModuleRunner;
  readonly #auditRetention: AuditRetention;
  readonly #demo: DemoHomeModule | undefined;

  /** Opens the database (throws HasyncError with a remedy if it cannot) and wires the modules. */
  constructor(deps: HasyncDeps) {
    const { config, log, clock = systemClock, webRoot, kioskRoot } = deps;
    this.config = config;
    this.#log = log;
    this.#runner = new ModuleRunner(log);
    this.db = Db.open(config.dbPath);
    this.bus = new EventBus<HasyncEvents>(log);
    this.cache = new HomeCache({ bus: this.bus });
    this.#demo =
      config.mode === 'demo' ? new DemoHomeModule(log.child({ module: 'demo-home' })) : undefined;
    this.link = new UpstreamLink({
      log,
      bus: this.bus,
      sink: this.cache,
      ...upstreamTarget(config, this.#demo),
    });
    const home = this.cache;
    const services = { log, db: this.db, bus: this.bus, clock };
    this.devices = new DeviceService({ ...services, home });
    const health = {
      db: this.db,
      link: this.link,
      clock,
      startedAt: clock.now(),
      revocations: this.devices,
    };
    this.pairing = new PairingService({ ...services, config });
    const audit = new AuditStore(this.db);
    this.#auditRetention = new AuditRetention({ log, clock, audit, config });
    const caller = this.link;
    const pictures = new PictureTokens(() => clock.now());
    this.gateway = new DeviceGateway({
      pictureFor: (deviceId) => pictures.rewriterFor(deviceId),
      ...services,
      home,
      devices: this.devices,
      audit,
      caller,
      link: this.link,
    });
    this.frontend = config.haFrontendUrl
      ? new FrontendFiles({ log, baseUrl: config.haFrontendUrl })
      : undefined;
    const devicePort = () => this.device.port;
    const kioskPath = () => (this.frontend?.served() ? KIOSK_PATH : '/');
    this.address = new DeviceAddress({
      log: log.child({ module: 'device-address' }),
      mode: config.mode,
      publicUrl: config.publicUrl,
      deviceBind: config.deviceBind,
      devicePort,
      supervisorToken: config.mode === 'app' ? config.haToken : undefined,
      ...(deps.supervisorUrl === undefined ? {} : { supervisorUrl: deps.supervisorUrl }),
    });
    const deviceUrl = () => this.address.url();
    const { pairing, devices, bus, frontend } = this;
    const api = {
      ...{ trust: config, bus, home, pairing, devices, audit, upstream: this.link },
      ...{ devicePort, kioskPath, deviceUrl },
    };
    this.admin = new HttpServer(
      'admin-http',
      createAdminApp({
        connectionsPerClient: config.connectionsPerClient,
        ...health,
        log,
        api,
        status: {
          db: this.db,
          link: this.link,
          home,
          onlineDevices: () => this.gateway.onlineCount(),
          revocations: this.devices,
        },
        ...(webRoot === undefined ? {} : { webRoot }),
      }),
      config.adminBind,
      config.adminPort,
    );
    this.device = new HttpServer(
      'device-http',
      createDeviceApp({
        connectionsPerClient: config.connectionsPerClient,
        ...health,
        log,
        pair: { pairing, clock },
        gateway: this.gateway,
        rest: {
          log,
          home,
          devices,
          caller,
          audit,
          clock,
          pictures,
          fetchHttp: (path, signal) => this.link.fetchHttp(path, signal),
        },
        ...(kioskRoot === undefined ? {} : { kioskRoot }),
        ...(frontend ? { frontend } : {}),
      }),
      config.deviceBind,
      config.devicePort,
    );
  }

  /** The simulated Home Assistant, in demo mode once started (tests drive the home through it). */
  get demo(): DemoHome | undefined {
    return this.#demo?.home;
  }

  async start(): Promise<void> {
    try {
      const upstream = [
        ...(this.#demo ? [this.#demo] : []),
        this.cache,
        this.link,
        ...(this.frontend ? [this.frontend] : []),
      ];
      await this.#runner.start([
        this.#auditRetention,
        ...upstream,
        this.devices,
        this.pairing,
        this.gateway,
        this.admin,
        this.device,
        this.address,
      ]);
    } catch (err) {
      await this.stop();
      throw err;
    }
  }

  async stop(): Promise<void> {
    await this.#runner.stop();
    this.db.close();
    this.#log.debug('stopped');
  }
}
