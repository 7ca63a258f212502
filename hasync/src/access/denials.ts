import type { Clock } from '../shared/clock.ts';
import type { Logger } from '../shared/logger.ts';
import type { AuditStore } from '../storage/audit-store.ts';

/** Refused calls recorded in full (audit row and log line) per device and window. */
export const DENIALS_RECORDED_PER_WINDOW = 20;
/** The window; what is over the limit is counted and summarised once when the window ends. */
export const DENIAL_WINDOW_MS = 60_000;

interface DenialDeps {
  readonly log: Logger;
  readonly audit: AuditStore;
  readonly clock: Clock;
}

interface Window {
  readonly start: number;
  recorded: number;
  suppressed: number;
  timer: NodeJS.Timeout | undefined;
}

/**
 * Rate-limits the record of refused calls per device, so that a device refused thousands of
 * times a second cannot fill the disk or the log: the first DENIALS_RECORDED_PER_WINDOW of a
 * window are recorded, the rest counted and summarised in one row and one line
 * ("…and 9,731 more refused calls").
 */
class DenialLimiter {
  readonly #deps: DenialDeps;
  readonly #windows = new Map<string, Window>();

  constructor(deps: DenialDeps) {
    this.#deps = deps;
  }

  record(deviceId: string, detail: { domain: string; service: string; reason: string }): void {
    const now = this.#deps.clock.now();
    let window = this.#windows.get(deviceId);
    if (window && now - window.start >= DENIAL_WINDOW_MS) {
      this.#close(deviceId, window);
      window = undefined;
    }
    if (!window) {
      window = { start: now, recorded: 0, suppressed: 0, timer: undefined };
      this.#windows.set(deviceId, window);
    }
    if (window.recorded < DENIALS_RECORDED_PER_WINDOW) {
      window.recorded++;
      this.#deps.log.warn({ device_id: deviceId, ...detail }, 'service call refused');
      this.#append(deviceId, now, detail);
      return;
    }
    window.suppressed++;
    if (!window.timer) {
      const open = window;
      open.timer = setTimeout(() => this.#close(deviceId, open), DENIAL_WINDOW_MS);
      open.timer.unref();
    }
  }

  /** Ends a window, summarising what it did not record. */
  #close(deviceId: string, window: Window): void {
    clearTimeout(window.timer);
    if (this.#windows.get(deviceId) === window) this.#windows.delete(deviceId);
    if (window.suppressed === 0) return;
    const more = window.suppressed.toLocaleString('en-US');
    const summary = `…and ${more} more refused call${window.suppressed === 1 ? '' : 's'}`;
    const windowS = DENIAL_WINDOW_MS / 1000;
    this.#deps.log.warn({ device_id: deviceId, suppressed: window.suppressed }, summary);
    this.#append(deviceId, this.#deps.clock.now(), {
      summary,
      suppressed: window.suppressed,
      window_s: windowS,
    });
  }

  #append(deviceId: string, at: number, detail: Record<string, unknown>): void {
    try {
      this.#deps.audit.append({
        at,
        actor: `device:${deviceId}`,
        action: 'summary' in detail ? 'service_calls_denied_summary' : 'service_call_denied',
        device_id: deviceId,
        detail,
      });
    } catch (err) {
      // A full disk or a closed database must not turn a refusal into a failure.
      this.#deps.log.warn({ err, device_id: deviceId }, 'could not audit a refused call');
    }
  }
}

/** One limiter per audit log, shared by the WebSocket gateway and the REST routes. */
const limiters = new WeakMap<AuditStore, DenialLimiter>();

/** Returns the recorder for refused service calls of one device: a warning and an audit entry. */
export function denialRecorder(deps: DenialDeps, deviceId: string) {
  let limiter = limiters.get(deps.audit);
  if (!limiter) {
    limiter = new DenialLimiter(deps);
    limiters.set(deps.audit, limiter);
  }
  const own = limiter;
  return (domain: string, service: string, reason: string): void =>
    own.record(deviceId, { domain, service, reason });
}
