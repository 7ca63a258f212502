import { sameValue } from '../protocol/compressed-state.ts';
import type { HassContext } from '../protocol/home-assistant.ts';
import type { DemoState } from './compressed-state.ts';
import { DemoRegistry } from './registry.ts';

/** Called for every state write that changed something; `old`/`next` absent = added/removed. */
export type StateListener = (
  entityId: string,
  old: DemoState | undefined,
  next: DemoState | undefined,
) => void;

const ULID_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** Home Assistant's context ids are ULIDs: 10 time characters, 16 random ones. */
export function newContextId(random: () => number = Math.random): string {
  let time = Date.now();
  let head = '';
  for (let i = 0; i < 10; i++) {
    head = ULID_ALPHABET.charAt(time % 32) + head;
    time = Math.floor(time / 32);
  }
  let tail = '';
  for (let i = 0; i < 16; i++) tail += ULID_ALPHABET.charAt(Math.floor(random() * 32));
  return head + tail;
}

export function newContext(userId: string | null = null): HassContext {
  return { id: newContextId(), parent_id: null, user_id: userId };
}

function sameAttributes(
  a: Readonly<Record<string, unknown>>,
  b: Readonly<Record<string, unknown>>,
) {
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((key) => key in b && sameValue(a[key], b[key]));
}

/** Now as Home Assistant's clock gives it: epoch seconds with microsecond precision. */
export function nowSeconds(): number {
  return Math.round((performance.timeOrigin + performance.now()) * 1000) / 1e6;
}

/** A notification a `notify.*` service sent (notify/legacy.py hands it to the platform). */
export interface SentNotification {
  readonly service: string;
  readonly message: string;
  readonly title?: string;
  readonly target?: string[];
  readonly data?: Record<string, unknown>;
  readonly context_id: string;
}

/** Notifications kept for tests to inspect. */
const OUTBOX_SIZE = 100;

/** The demo home's entity states and registries; the one place states are written. */
export class HomeModel {
  readonly states = new Map<string, DemoState>();
  readonly registry = new DemoRegistry();
  /**
   * Image access tokens of cameras and media players, as the entities keep them (a camera also
   * shows its token in `access_token`); the image proxies accept `?token=` only if it matches.
   */
  readonly imageTokens = new Map<string, string>();
  /** What `notify.*` sent, newest last. */
  readonly outbox: SentNotification[] = [];
  #listener: StateListener = () => {};

  onChange(listener: StateListener): void {
    this.#listener = listener;
  }

  /**
   * Writes a state the way Home Assistant's `async_set` does (core.py `StateMachine.async_set`):
   * when state and attributes are unchanged only `last_reported` moves and no `state_changed`
   * fires; `last_changed` moves only when the state string changes.
   */
  set(
    entityId: string,
    state: string,
    attributes: Readonly<Record<string, unknown>>,
    context: HassContext = newContext(),
  ): DemoState {
    const old = this.states.get(entityId);
    const stateChanged = old?.state !== state;
    const now = nowSeconds();
    if (old && !stateChanged && sameAttributes(old.attributes, attributes)) {
      const reported = { ...old, lr: now };
      this.states.set(entityId, reported);
      return reported;
    }
    const next: DemoState = {
      entity_id: entityId,
      state,
      attributes,
      context,
      lc: !old || stateChanged ? now : old.lc,
      lu: now,
      lr: now,
    };
    this.states.set(entityId, next);
    this.#listener(entityId, old, next);
    return next;
  }

  notify(sent: SentNotification): void {
    this.outbox.push(sent);
    if (this.outbox.length > OUTBOX_SIZE) this.outbox.shift();
  }

  remove(entityId: string): boolean {
    const old = this.states.get(entityId);
    if (!old) return false;
    this.states.delete(entityId);
    this.#listener(entityId, old, undefined);
    return true;
  }
}
