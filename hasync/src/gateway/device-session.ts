import type { WebSocket } from 'ws';
import {
  AUTH_TIMEOUT_MS,
  CLOSE_POLICY,
  CLOSE_TOO_SLOW,
  type DeviceErrorCode,
} from '../protocol/device-ws.ts';
import type { Logger } from '../shared/logger.ts';
import type { DeviceRecord } from '../storage/device-store.ts';
import { type ParsedFrame, parseFrame } from './frame-parser.ts';

/** A socket that has queued more than this for sending cannot keep up and is closed. */
export const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;
const HEARTBEAT_MS = 30_000;

export type Subscription =
  | {
      readonly id: number;
      readonly kind: 'entities';
      readonly filter: ReadonlySet<string> | undefined;
    }
  | { readonly id: number; readonly kind: 'state_changed' };

/** What a session needs from the gateway that owns it. */
export interface SessionHost {
  haVersion(): string;
  /** Binds the session to the device holding `token`; returns a refusal message otherwise. */
  attach(session: DeviceSession, token: string): { device: DeviceRecord } | { refused: string };
  detach(session: DeviceSession): void;
  run(session: DeviceSession, frame: Extract<ParsedFrame, { kind: 'command' }>): Promise<void>;
}

let nextSessionNumber = 1;

/**
 * One device socket: the auth phase, frame parsing, ordered replies, subscriptions, heartbeat,
 * and the bounded send buffer. What commands do is the gateway's business.
 */
export class DeviceSession {
  readonly name = `session-${nextSessionNumber++}`;
  readonly subscriptions = new Map<number, Subscription>();
  deviceId: string | undefined;
  #log: Logger;
  readonly #ws: WebSocket;
  readonly #host: SessionHost;
  #lastId = 0;
  #authTimer: NodeJS.Timeout | undefined;
  #heartbeat: NodeJS.Timeout | undefined;
  #alive = true;
  #queue: Promise<void> = Promise.resolve();

  constructor(ws: WebSocket, host: SessionHost, log: Logger) {
    this.#ws = ws;
    this.#host = host;
    this.#log = log.child({ session: this.name });
  }

  get log(): Logger {
    return this.#log;
  }

  /** Sends auth_required and starts listening. */
  open(): void {
    this.#ws.on('message', (data, isBinary) => this.#onMessage(data.toString(), isBinary));
    this.#ws.on('close', () => this.#onClose());
    this.#ws.on('error', (err) => this.#log.warn({ err }, 'device socket error'));
    this.#ws.on('pong', () => {
      this.#alive = true;
    });
    this.#authTimer = setTimeout(
      () => this.close(CLOSE_POLICY, 'authentication timed out'),
      AUTH_TIMEOUT_MS,
    );
    this.sendJson({ type: 'auth_required', ha_version: this.#host.haVersion() });
  }

  get authenticated(): boolean {
    return this.deviceId !== undefined;
  }

  sendJson(message: unknown): void {
    this.send(JSON.stringify(message));
  }

  /** Sends a serialized frame; a socket whose buffer overflows is closed so it can resync. */
  send(frame: string): void {
    if (this.#ws.readyState !== this.#ws.OPEN) return;
    this.#ws.send(frame);
    if (this.#ws.bufferedAmount > MAX_BUFFERED_BYTES) {
      this.#log.warn({ buffered: this.#ws.bufferedAmount }, 'device cannot keep up; closing');
      this.close(CLOSE_TOO_SLOW, 'too slow: reconnect to resync');
    }
  }

  result(id: number, result: unknown): void {
    this.send(
      `{"id":${id},"type":"result","success":true,"result":${JSON.stringify(result ?? null)}}`,
    );
  }

  error(id: number | null, code: DeviceErrorCode, message: string): void {
    this.sendJson({ id, type: 'result', success: false, error: { code, message } });
  }

  /** Closes with a code; a peer that never answers the close handshake is cut off after 1 s. */
  close(code: number, reason: string): void {
    if (this.#ws.readyState === this.#ws.CLOSED) return;
    this.#ws.close(code, reason);
    setTimeout(() => this.#ws.terminate(), 1000).unref();
  }

  #onMessage(text: string, isBinary: boolean): void {
    if (isBinary) {
      this.error(null, 'invalid_format', 'binary frames are not supported');
      return;
    }
    const frame = parseFrame(text, this.authenticated);
    if (frame.kind === 'auth') {
      this.#authenticate(frame.token);
    } else if (frame.id !== null && frame.id <= this.#lastId) {
      this.error(frame.id, 'id_reuse', 'message ids must increase');
    } else {
      if (frame.id !== null) this.#lastId = frame.id;
      if (frame.kind === 'invalid') this.#onInvalid(frame);
      else this.#enqueue(frame);
    }
  }

  #onInvalid(frame: Extract<ParsedFrame, { kind: 'invalid' }>): void {
    if (!this.authenticated) {
      this.#refuse(frame.message);
      return;
    }
    this.#log.warn({ code: frame.code }, 'invalid device frame');
    this.error(frame.id, frame.code, frame.message);
  }

  /** Commands run one after another so replies keep the order of requests. */
  #enqueue(frame: Extract<ParsedFrame, { kind: 'command' }>): void {
    this.#queue = this.#queue
      .then(() => this.#host.run(this, frame))
      .catch((err: unknown) => {
        this.#log.error({ err, command: frame.type }, 'command failed');
        this.error(frame.id, 'home_assistant_error', 'the command failed');
      });
  }

  #authenticate(token: string): void {
    const outcome = this.#host.attach(this, token);
    if ('refused' in outcome) {
      this.#refuse(outcome.refused);
      return;
    }
    clearTimeout(this.#authTimer);
    this.deviceId = outcome.device.id;
    this.#log = this.#log.child({ device_id: outcome.device.id });
    this.#heartbeat = setInterval(() => this.#beat(), HEARTBEAT_MS);
    this.sendJson({ type: 'auth_ok', ha_version: this.#host.haVersion() });
  }

  #refuse(message: string): void {
    this.#log.warn({ reason: message }, 'device authentication refused');
    this.sendJson({ type: 'auth_invalid', message });
    this.close(CLOSE_POLICY, 'authentication failed');
  }

  #beat(): void {
    if (!this.#alive) {
      this.#log.warn('device stopped answering pings; dropping it');
      this.#ws.terminate();
      return;
    }
    this.#alive = false;
    this.#ws.ping();
  }

  #onClose(): void {
    clearTimeout(this.#authTimer);
    clearInterval(this.#heartbeat);
    this.subscriptions.clear();
    if (this.authenticated) this.#host.detach(this);
  }
}
