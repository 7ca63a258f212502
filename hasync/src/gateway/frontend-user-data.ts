import { MAX_USER_DATA_KEYS } from '../storage/user-data-store.ts';
import { eventFrame } from './change-encoder.ts';
import type { CommandContext } from './commands.ts';

/**
 * The frontend's per-user settings, kept by HAsync per device (storage/user-data-store.ts) and
 * never sent to Home Assistant: every session of the device shares them, as every browser of one
 * Home Assistant user does. HA: components/frontend/storage.py
 */

/** HA: storage.py websocket_get_user_data — `{value}`: the key's value (null if unset), or all. */
export function getUserData(ctx: CommandContext, key: string | undefined): { value: unknown } {
  const { userData, device } = ctx;
  return { value: key === undefined ? userData.all(device.id) : userData.get(device.id, key) };
}

/** HA: storage.py websocket_set_user_data — stores, answers null, and tells the subscribers. */
export function setUserData(ctx: CommandContext, id: number, key: string, value: unknown): void {
  if (!ctx.userData.set(ctx.device.id, key, value, ctx.now())) {
    ctx.session.log.warn({ limit: MAX_USER_DATA_KEYS }, 'device user data key limit reached');
    ctx.session.error(
      id,
      'not_allowed',
      `At most ${MAX_USER_DATA_KEYS} user data keys per device; reuse an existing key`,
    );
    return;
  }
  ctx.session.result(id, null);
  for (const session of ctx.sessions()) {
    for (const sub of session.subscriptions.values()) {
      if (sub.kind !== 'user_data' || (sub.key !== undefined && sub.key !== key)) continue;
      session.send(eventFrame(sub.id, JSON.stringify(getUserData(ctx, sub.key))));
    }
  }
}

/**
 * Home Assistant 2024.11+ (storage.py websocket_subscribe_user_data): the result, then `{value}`
 * at once and after every change of the key (of any key when none is given).
 */
export function subscribeUserData(ctx: CommandContext, id: number, key: string | undefined): void {
  ctx.session.subscriptions.set(id, { id, kind: 'user_data', key });
  ctx.session.result(id, null);
  ctx.session.send(eventFrame(id, JSON.stringify(getUserData(ctx, key))));
}
