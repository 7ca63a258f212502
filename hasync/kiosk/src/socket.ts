import {
  type ConnectionOptions,
  ERR_CANNOT_CONNECT,
  ERR_INVALID_AUTH,
  type HaWebSocket,
} from 'home-assistant-js-websocket';

/** How HAsync closed the socket: its close code and the reason it gave (see README, Device API). */
export interface SocketClose {
  readonly code: number;
  readonly reason: string;
}

/** Past its end date (reason `device expired`) or revoked (`device revoked`). */
export const CLOSE_REVOKED = 4001;
/** Outside the device's hours; the reason is the hours in words. */
export const CLOSE_OUTSIDE_SCHEDULE = 4002;
/** The reason HAsync gives with 4001 when an end date passed, not a revocation. */
export const EXPIRED_REASON = 'device expired';

const CONNECT_TIMEOUT_MS = 10_000;
/** Between first attempts; a socket HAsync closed on purpose is tried again less often. */
const RETRY_MS = 1000;
const RETRY_AFTER_REFUSAL_MS = 5000;

/**
 * A `createSocket` for home-assistant-js-websocket that reports every close with its code and
 * reason, which the library's own keeps to itself: HAsync closes a device outside its hours
 * (4002) or past its end date (4001) before or after `auth_ok`, and the kiosk shows why. Like
 * the library's: `auth_invalid` rejects with ERR_INVALID_AUTH, anything else is retried while
 * `setupRetry` allows (the library's reconnect loop passes 0 and retries itself).
 */
export function reportingSocket(
  token: string,
  onClose: (close: SocketClose) => void,
): (options: ConnectionOptions) => Promise<HaWebSocket> {
  return (options) =>
    new Promise((resolve, reject) => {
      const url = options.auth?.wsUrl ?? '';
      const attempt = (triesLeft: number) => {
        const socket = new WebSocket(url) as HaWebSocket;
        let invalid = false;
        const timer = setTimeout(() => socket.close(), CONNECT_TIMEOUT_MS);
        const onAuthPhaseClose = (event: CloseEvent) => {
          clearTimeout(timer);
          socket.removeEventListener('message', onMessage);
          if (invalid) return reject(ERR_INVALID_AUTH);
          onClose({ code: event.code, reason: event.reason });
          if (triesLeft === 0) return reject(ERR_CANNOT_CONNECT);
          const delay = event.code >= 4000 ? RETRY_AFTER_REFUSAL_MS : RETRY_MS;
          setTimeout(() => attempt(triesLeft === -1 ? -1 : triesLeft - 1), delay);
        };
        const onMessage = (event: MessageEvent) => {
          const message = JSON.parse(String(event.data)) as { type?: string; ha_version?: string };
          if (message.type === 'auth_required') {
            socket.send(JSON.stringify({ type: 'auth', access_token: token }));
          } else if (message.type === 'auth_invalid') {
            invalid = true;
            socket.close();
          } else if (message.type === 'auth_ok') {
            clearTimeout(timer);
            socket.removeEventListener('message', onMessage);
            socket.removeEventListener('close', onAuthPhaseClose);
            socket.haVersion = message.ha_version ?? '';
            socket.send(
              JSON.stringify({
                id: 1,
                type: 'supported_features',
                features: { coalesce_messages: 1 },
              }),
            );
            socket.addEventListener('close', (e) => onClose({ code: e.code, reason: e.reason }));
            resolve(socket);
          }
        };
        socket.addEventListener('message', onMessage);
        socket.addEventListener('close', onAuthPhaseClose);
      };
      attempt(options.setupRetry);
    });
}
