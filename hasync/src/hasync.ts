import type { Config } from './config/config.ts';
import { createAdminApp } from './http/admin-app.ts';
import { createDeviceApp } from './http/device-app.ts';
import { HttpServer } from './http/server-module.ts';
import { type Clock, systemClock } from './shared/clock.ts';
import type { Logger } from './shared/logger.ts';
import { ModuleRunner } from './shared/module.ts';
import { Db } from './storage/db.ts';
import { disconnectedLink } from './upstream/link-state.ts';

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
  readonly #log: Logger;
  readonly #runner: ModuleRunner;

  /** Opens the database (throws HasyncError with a remedy if it cannot) and wires the modules. */
  constructor({ config, log, clock = systemClock }: HasyncDeps) {
    this.config = config;
    this.#log = log;
    this.#runner = new ModuleRunner(log);
    this.db = Db.open(config.dbPath);
    const health = { db: this.db, link: disconnectedLink, clock, startedAt: clock.now() };
    this.admin = new HttpServer(
      'admin-http',
      createAdminApp({ ...health, log }),
      config.adminBind,
      config.adminPort,
    );
    this.device = new HttpServer(
      'device-http',
      createDeviceApp({ ...health, log }),
      config.deviceBind,
      config.devicePort,
    );
  }

  async start(): Promise<void> {
    try {
      await this.#runner.start([this.admin, this.device]);
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
