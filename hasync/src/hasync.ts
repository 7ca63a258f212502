import type { HomeView } from './cache/home-view.ts';
import type { Config } from './config/config.ts';
import { DeviceGateway } from './gateway/device-gateway.ts';
import { createAdminApp } from './http/admin-app.ts';
import { createDeviceApp } from './http/device-app.ts';
import { HttpServer } from './http/server-module.ts';
import { DeviceService } from './pairing/device-service.ts';
import { PairingService } from './pairing/pairing-service.ts';
import { EventBus } from './shared/bus.ts';
import { type Clock, systemClock } from './shared/clock.ts';
import { HasyncError } from './shared/errors.ts';
import type { HasyncEvents } from './shared/events.ts';
import type { Logger } from './shared/logger.ts';
import { ModuleRunner } from './shared/module.ts';
import { AuditStore } from './storage/audit-store.ts';
import { Db } from './storage/db.ts';
import { disconnectedLink } from './upstream/link-state.ts';

/** Until the upstream cache is wired in: a home with nothing in it. */
const EMPTY_HOME: HomeView = {
  state: () => undefined,
  states: () => new Map(),
  areas: () => new Map(),
  devices: () => new Map(),
  entityEntries: () => new Map(),
  config: () => undefined,
  services: () => ({}),
};

/** Until the upstream link is wired in: every call fails clearly. */
const notConnectedCaller = {
  callService: () =>
    Promise.reject(new HasyncError('unavailable', 'Home Assistant is not connected')),
};

export interface HasyncDeps {
  readonly config: Config;
  readonly log: Logger;
  readonly clock?: Clock;
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
  readonly devices: DeviceService;
  readonly pairing: PairingService;
  readonly gateway: DeviceGateway;
  readonly #log: Logger;
  readonly #runner: ModuleRunner;

  /** Opens the database (throws HasyncError with a remedy if it cannot) and wires the modules. */
  constructor({ config, log, clock = systemClock }: HasyncDeps) {
    this.config = config;
    this.#log = log;
    this.#runner = new ModuleRunner(log);
    this.db = Db.open(config.dbPath);
    const health = { db: this.db, link: disconnectedLink, clock, startedAt: clock.now() };
    this.bus = new EventBus<HasyncEvents>(log);
    const home = EMPTY_HOME;
    const services = { log, db: this.db, bus: this.bus, clock };
    this.devices = new DeviceService({ ...services, home });
    this.pairing = new PairingService({ ...services, config });
    const audit = new AuditStore(this.db);
    const caller = notConnectedCaller;
    this.gateway = new DeviceGateway({
      ...services,
      home,
      devices: this.devices,
      audit,
      caller,
      link: disconnectedLink,
    });
    const devicePort = () => this.device.port;
    const { pairing, devices, bus } = this;
    const api = { trust: config, bus, home, pairing, devices, audit, devicePort };
    this.admin = new HttpServer(
      'admin-http',
      createAdminApp({ ...health, log, api }),
      config.adminBind,
      config.adminPort,
    );
    this.device = new HttpServer(
      'device-http',
      createDeviceApp({
        ...health,
        log,
        pair: { pairing, clock },
        gateway: this.gateway,
        rest: { log, home, devices, caller, audit, clock },
      }),
      config.deviceBind,
      config.devicePort,
    );
  }

  async start(): Promise<void> {
    try {
      await this.#runner.start([this.pairing, this.gateway, this.admin, this.device]);
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
