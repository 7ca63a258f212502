/**
 * Commands HAsync sends to Home Assistant on a device's behalf, with HAsync's own token, once the
 * gateway has decided what may be asked (never a device's raw frame).
 */
/** A command as HAsync builds it (the library adds the id). */
export interface UpstreamMessage {
  readonly type: string;
  readonly [key: string]: unknown;
}

export interface UpstreamCommands {
  /** One command; resolves with Home Assistant's result, rejects with a HasyncError. */
  command<T = unknown>(message: UpstreamMessage): Promise<T>;
  /**
   * A subscription command: Home Assistant's events go to `onEvent` until the returned function
   * ends the subscription. Rejects with a HasyncError when Home Assistant refuses it.
   */
  subscribe(
    message: UpstreamMessage,
    onEvent: (event: unknown) => void,
  ): Promise<() => Promise<void>>;
}
