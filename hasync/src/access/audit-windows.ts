import { type Clock, type TimerHandle, timersOf } from '../shared/clock.ts';
import type { Logger } from '../shared/logger.ts';
import type { AuditAction, AuditStore } from '../storage/audit-store.ts';

export interface AuditWindowDeps {
  readonly log: Logger;
  readonly audit: AuditStore;
  readonly clock: Clock;
}

/** What one kind of per-device record is called and how much of it a window takes. */
export interface AuditWindowKind {
  /** Rows recorded in full per device and window. */
  readonly perWindow: number;
  readonly windowMs: number;
  /** The audit action of a row recorded in full, and of the summary that ends a window. */
  readonly action: AuditAction;
  readonly summaryAction: AuditAction;
  /** What one record is, in the summary's words: "refused call" → "…and 7 more refused calls". */
  readonly noun: string;
  /** Whether the summary is also a warning in the log. */
  readonly logSummary: boolean;
}

interface Window {
  readonly start: number;
  recorded: number;
  suppressed: number;
  timer: TimerHandle | undefined;
}

/**
 * Per-device windows of audit rows, so that a device sending thousands of calls a second cannot
 * fill the disk or the log: the first `perWindow` records of a window are written, the rest
 * counted and summarised in one row when the window ends (or at the device's next record after
 * it, whichever comes first). A full disk or a closed database never fails the caller.
 */
export class AuditWindows {
  readonly #deps: AuditWindowDeps;
  readonly #kind: AuditWindowKind;
  readonly #windows = new Map<string, Window>();

  constructor(deps: AuditWindowDeps, kind: AuditWindowKind) {
    this.#deps = deps;
    this.#kind = kind;
  }

  /** Writes the row, or counts it once the window is full; true when written in full. */
  record(deviceId: string, detail: Record<string, unknown>): boolean {
    const now = this.#deps.clock.now();
    let window = this.#windows.get(deviceId);
    if (window && now - window.start >= this.#kind.windowMs) {
      this.#close(deviceId, window);
      window = undefined;
    }
    if (!window) {
      window = { start: now, recorded: 0, suppressed: 0, timer: undefined };
      this.#windows.set(deviceId, window);
    }
    if (window.recorded < this.#kind.perWindow) {
      window.recorded++;
      this.#append(deviceId, this.#kind.action, detail);
      return true;
    }
    window.suppressed++;
    const open = window;
    open.timer ??= timersOf(this.#deps.clock).after(open.start + this.#kind.windowMs - now, () =>
      this.#close(deviceId, open),
    );
    return false;
  }

  /** Ends a window, summarising what it did not record. */
  #close(deviceId: string, window: Window): void {
    window.timer?.cancel();
    if (this.#windows.get(deviceId) === window) this.#windows.delete(deviceId);
    const { suppressed } = window;
    if (suppressed === 0) return;
    const { noun, windowMs } = this.#kind;
    const summary = `…and ${suppressed.toLocaleString('en-US')} more ${noun}${suppressed === 1 ? '' : 's'}`;
    if (this.#kind.logSummary) this.#deps.log.warn({ device_id: deviceId, suppressed }, summary);
    this.#append(deviceId, this.#kind.summaryAction, {
      summary,
      suppressed,
      window_s: windowMs / 1000,
    });
  }

  #append(deviceId: string, action: AuditAction, detail: Record<string, unknown>): void {
    try {
      this.#deps.audit.append({
        at: this.#deps.clock.now(),
        actor: `device:${deviceId}`,
        action,
        device_id: deviceId,
        detail,
      });
    } catch (err) {
      this.#deps.log.warn({ err, device_id: deviceId }, `could not audit a ${this.#kind.noun}`);
    }
  }
}

/**
 * One set of windows per audit store and kind, shared by the WebSocket gateway and the REST
 * routes (both record for the same device).
 */
export function auditWindowsFor(deps: AuditWindowDeps, kind: AuditWindowKind): AuditWindows {
  let byKind = shared.get(deps.audit);
  if (!byKind) {
    byKind = new Map();
    shared.set(deps.audit, byKind);
  }
  let windows = byKind.get(kind);
  if (!windows) {
    windows = new AuditWindows(deps, kind);
    byKind.set(kind, windows);
  }
  return windows;
}

const shared = new WeakMap<AuditStore, Map<AuditWindowKind, AuditWindows>>();
