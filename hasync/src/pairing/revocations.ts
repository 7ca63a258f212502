import { Backoff } from '../shared/backoff.ts';
import type { Logger } from '../shared/logger.ts';

/** Retries of a revocation the database could not save: 1 s at first, then at most every minute. */
const SAVE_RETRY = { initialMs: 1000, maxMs: 60_000 };

/** A revocation in force but not yet saved. */
export interface UnsavedRevocation {
  readonly deviceId: string;
  readonly name: string;
  readonly actor: string;
  readonly at: number;
}

/**
 * Revoked devices, as the process knows them. A revocation takes effect here first, whatever the
 * disk says; saving it is then tried, and retried with backoff while the disk is full or read-only.
 * Until it is saved, only this memory keeps the device out (a restart before then would bring it
 * back, so health reports the unsaved revocations).
 */
export class Revocations {
  readonly #log: Logger;
  readonly #save: (revocation: UnsavedRevocation) => void;
  readonly #revoked = new Set<string>();
  readonly #unsaved = new Map<string, UnsavedRevocation>();
  readonly #backoff = new Backoff(SAVE_RETRY);
  #timer: NodeJS.Timeout | undefined;

  /** `save` deletes the device and audits the revocation in one transaction; it may throw. */
  constructor(log: Logger, save: (revocation: UnsavedRevocation) => void) {
    this.#log = log;
    this.#save = save;
  }

  has(deviceId: string): boolean {
    return this.#revoked.has(deviceId);
  }

  /** How many revocations are in force but not yet saved. */
  unsavedCount(): number {
    return this.#unsaved.size;
  }

  /** Enforces at once (callers check `has`), then saves now or later. */
  revoke(revocation: UnsavedRevocation): void {
    this.#revoked.add(revocation.deviceId);
    this.#unsaved.set(revocation.deviceId, revocation);
    this.#saveAll();
  }

  /** Stops retrying (the process is stopping; what is unsaved stays unsaved). */
  stop(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #saveAll(): void {
    for (const revocation of [...this.#unsaved.values()]) {
      try {
        this.#save(revocation);
        this.#unsaved.delete(revocation.deviceId);
        this.#log.debug({ device_id: revocation.deviceId }, 'revocation saved');
      } catch (err) {
        this.#log.error(
          { err, device_id: revocation.deviceId, unsaved: this.#unsaved.size },
          'revocation is in force but could not be saved; retrying',
        );
        this.#retryLater();
        return;
      }
    }
    this.#backoff.reset();
  }

  #retryLater(): void {
    if (this.#timer) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#saveAll();
    }, this.#backoff.next());
    this.#timer.unref();
  }
}
