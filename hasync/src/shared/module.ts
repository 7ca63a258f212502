import type { Logger } from './logger.ts';

/**
 * A unit with a lifecycle. The constructor only stores dependencies; `start()` begins work
 * (timers, listeners, subscriptions) and `stop()` ends all of it and may be called once after start.
 */
export interface Module {
  readonly name: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Starts modules in order and stops the started ones in reverse. */
export class ModuleRunner {
  readonly #log: Logger;
  readonly #started: Module[] = [];

  constructor(log: Logger) {
    this.#log = log;
  }

  async start(modules: readonly Module[]): Promise<void> {
    for (const mod of modules) {
      await mod.start();
      this.#started.push(mod);
      this.#log.debug({ module: mod.name }, 'module started');
    }
  }

  async stop(): Promise<void> {
    while (this.#started.length > 0) {
      const mod = this.#started.pop();
      if (!mod) break;
      try {
        await mod.stop();
        this.#log.debug({ module: mod.name }, 'module stopped');
      } catch (err) {
        this.#log.error({ err, module: mod.name }, 'module failed to stop cleanly');
      }
    }
  }
}
