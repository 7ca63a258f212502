import type { Health } from './types.ts';

/** How often health is asked while storage is fine (a failed write also asks at once). */
const HEALTHY_RECHECK_MS = 30_000;
/** While storage is in trouble: the server tries a write at most every 5 s to notice recovery. */
const TROUBLE_RECHECK_MS = 5_000;

/** What the UI knows of `GET /api/health`; `problem` is the storage reason in the server's words. */
export interface HealthView {
  readonly health: Health | undefined;
  readonly problem: string | undefined;
}

type HealthListener = (view: HealthView) => void;

/** Health answers 503 with its usual body when storage is in trouble: that body is the news. */
export async function fetchHealth(): Promise<Health | undefined> {
  const res = await fetch('./api/health', { headers: { accept: 'application/json' } });
  if (!res.ok && res.status !== 503) return undefined;
  return (await res.json()) as Health;
}

/**
 * One shared watch on `./api/health` while anyone listens: asked on start, after every change the
 * admin makes (`refresh()`), every 30 s, and every 5 s while storage fails, so a banner appears
 * as soon as a write fails and goes once the disk takes writes again.
 */
class HealthWatch {
  readonly #listeners = new Set<HealthListener>();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #generation = 0;
  view: HealthView = { health: undefined, problem: undefined };

  subscribe(listener: HealthListener): () => void {
    this.#listeners.add(listener);
    if (this.#listeners.size === 1) this.refresh();
    return () => {
      this.#listeners.delete(listener);
      if (this.#listeners.size === 0) clearTimeout(this.#timer);
    };
  }

  /** Asks again now (a later answer wins over an earlier one still on its way). */
  refresh(): void {
    if (this.#listeners.size === 0) return;
    clearTimeout(this.#timer);
    const mine = ++this.#generation;
    void fetchHealth()
      .catch(() => undefined)
      .then((health) => {
        if (mine !== this.#generation) return;
        // Unreachable is the live dot's news ("Reconnecting…"), not a storage problem.
        if (health) this.#set(health);
        this.#schedule();
      });
  }

  #set(health: Health): void {
    const problem = health.db === 'error' ? (health.reason ?? 'storage is failing') : undefined;
    this.view = { health, problem };
    for (const listener of this.#listeners) listener(this.view);
  }

  #schedule(): void {
    if (this.#listeners.size === 0) return;
    const ms = this.view.problem ? TROUBLE_RECHECK_MS : HEALTHY_RECHECK_MS;
    this.#timer = setTimeout(() => this.refresh(), ms);
  }
}

/** The page's one health watch. */
export const healthWatch = new HealthWatch();
