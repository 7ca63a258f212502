import type { Clock } from '../shared/clock.ts';
import type { Logger } from '../shared/logger.ts';
import type { Module } from '../shared/module.ts';
import type { AuditStore } from './audit-store.ts';

/** How often the audit log is pruned after the prune at start. */
export const AUDIT_PRUNE_INTERVAL_MS = 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface AuditRetentionDeps {
  readonly log: Logger;
  readonly clock: Clock;
  readonly audit: AuditStore;
  readonly config: { readonly auditRetentionDays: number; readonly auditMaxRows: number };
}

/** Keeps the audit log within its age and row limits: prunes at start, then every hour. */
export class AuditRetention implements Module {
  readonly name = 'audit-retention';
  readonly #deps: AuditRetentionDeps;
  readonly #log: Logger;
  #timer: NodeJS.Timeout | undefined;

  constructor(deps: AuditRetentionDeps) {
    this.#deps = deps;
    this.#log = deps.log.child({ module: this.name });
  }

  async start(): Promise<void> {
    this.prune();
    this.#timer = setInterval(() => this.prune(), AUDIT_PRUNE_INTERVAL_MS);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
  }

  /** Prunes now; a failure (full disk) is logged and tried again next time. */
  prune(): void {
    const { clock, audit, config } = this.#deps;
    try {
      const before = clock.now() - config.auditRetentionDays * DAY_MS;
      const removed = audit.prune(before, config.auditMaxRows);
      if (removed > 0) this.#log.info({ removed }, 'pruned the audit log');
    } catch (err) {
      this.#log.warn({ err }, 'could not prune the audit log');
    }
  }
}
