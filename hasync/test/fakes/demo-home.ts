import {
  type Connection,
  createConnection,
  createLongLivedTokenAuth,
} from 'home-assistant-js-websocket';
import { DemoHome, type DemoHomeOptions } from '../../src/demo/demo-home.ts';

/** Starts a demo home on 127.0.0.1, port 0, holding still (rate 0) unless told otherwise. */
export async function startDemoHome(options: DemoHomeOptions = {}): Promise<DemoHome> {
  const home = new DemoHome({ rate: 0, ...options });
  await home.start();
  return home;
}

/** Connects Home Assistant's own client library to a demo home. */
export function connectClient(home: DemoHome, token = 'demo-token'): Promise<Connection> {
  return createConnection({ auth: createLongLivedTokenAuth(home.url, token) });
}

/**
 * Resolves once `check` returns (or resolves to) a truthy value; rejects after a generous
 * functional deadline. An async check is awaited — a pending promise is not a truthy answer.
 */
export async function waitFor<T>(
  check: () => T | undefined | false | null | Promise<T | undefined | false | null>,
  what: string,
  timeoutMs = 5000,
  intervalMs = 5,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
