import type { HomeView } from '../cache/home-view.ts';
import { domainOf } from '../protocol/home-assistant.ts';
import type { Clock } from '../shared/clock.ts';
import type { Logger } from '../shared/logger.ts';
import type { AuditStore } from '../storage/audit-store.ts';

/**
 * Which successful calls of a device the activity log records, in words ("Hall tablet unlocked
 * Front Door"): the ones that open a home or change its alarm.
 *
 * - `lock`: lock, unlock, open.
 * - `alarm_control_panel`: every arm mode, disarm, trigger.
 * - `cover` of device class garage, gate, door or window: open, close, toggle, set position
 *   (blinds, shades, curtains, awnings and shutters are comfort, not access, and are left out).
 * - `homeassistant.turn_on|turn_off|toggle` on those covers, which Home Assistant turns into
 *   open, close and toggle (locks and alarm panels have no turn_on/turn_off: nothing happens).
 */
export const SENSITIVE_COVER_CLASSES: ReadonlySet<string> = new Set([
  'garage',
  'gate',
  'door',
  'window',
]);

/** What each sensitive service did: a verb before the entity names, or words around `{}`. */
const VERBS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  lock: { lock: 'locked', unlock: 'unlocked', open: 'opened' },
  alarm_control_panel: {
    alarm_disarm: 'disarmed',
    alarm_arm_home: 'armed {} (home)',
    alarm_arm_away: 'armed {} (away)',
    alarm_arm_night: 'armed {} (night)',
    alarm_arm_vacation: 'armed {} (vacation)',
    alarm_arm_custom_bypass: 'armed {} (custom bypass)',
    alarm_trigger: 'triggered',
  },
  cover: {
    open_cover: 'opened',
    close_cover: 'closed',
    toggle: 'toggled',
    set_cover_position: 'moved {} to {position}%',
  },
  homeassistant: { turn_on: 'opened', turn_off: 'closed', toggle: 'toggled' },
};

/** Sensitive calls recorded in full per device and window; the rest are counted in one row. */
export const SENSITIVE_CALLS_RECORDED_PER_WINDOW = 30;
export const SENSITIVE_CALL_WINDOW_MS = 60_000;

/** A successful call as the one call path (device-calls.ts) saw it: what it did it to. */
export interface PerformedCall {
  readonly domain: string;
  readonly service: string;
  readonly serviceData: Readonly<Record<string, unknown>>;
  readonly entityIds: readonly string[];
}

function isSensitiveEntity(home: HomeView, entityId: string): boolean {
  const domain = domainOf(entityId);
  if (domain === 'lock' || domain === 'alarm_control_panel') return true;
  if (domain !== 'cover') return false;
  const deviceClass = home.state(entityId)?.attributes.device_class;
  return typeof deviceClass === 'string' && SENSITIVE_COVER_CLASSES.has(deviceClass);
}

/** The entities of the call whose change is sensitive (for homeassistant.*: the covers only). */
function sensitiveTargets(home: HomeView, call: PerformedCall): string[] {
  return call.entityIds.filter(
    (id) =>
      isSensitiveEntity(home, id) && (call.domain !== 'homeassistant' || domainOf(id) === 'cover'),
  );
}

function nameOf(home: HomeView, entityId: string): string {
  const name = home.state(entityId)?.attributes.friendly_name;
  return typeof name === 'string' && name ? name : entityId;
}

/**
 * Made on the first sensitive call, not at import: constructing any Intl formatter maps ICU's
 * locale data, about 7 MB of RSS in a process that has not needed it yet.
 */
let list: Intl.ListFormat | undefined;
function listFormat(): Intl.ListFormat {
  list ??= new Intl.ListFormat('en', { style: 'long', type: 'conjunction' });
  return list;
}

/**
 * The call in words — "unlocked Front Door", "armed Alarm (away)", "moved Garage Door to 40%" —
 * or undefined when it is not sensitive. Names are Home Assistant's friendly names.
 */
export function sensitiveCallWords(home: HomeView, call: PerformedCall): string | undefined {
  const verb = VERBS[call.domain]?.[call.service];
  if (!verb) return undefined;
  const entities = sensitiveTargets(home, call);
  if (entities.length === 0) return undefined;
  const names = listFormat().format(entities.map((id) => nameOf(home, id)));
  const words = verb.includes('{}') ? verb.replace('{}', names) : `${verb} ${names}`;
  return words.replace('{position}', String(call.serviceData.position));
}

interface SensitiveDeps {
  readonly log: Logger;
  readonly audit: AuditStore;
  readonly clock: Clock;
  readonly home: HomeView;
}

interface CallWindow {
  readonly start: number;
  recorded: number;
  more: number;
  timer?: NodeJS.Timeout;
}

/**
 * Per-device windows of recorded calls, so that a device sending thousands of unlocks a second
 * cannot fill the disk: past the limit, calls are counted and summarised once the window ends.
 */
class SensitiveCallLog {
  readonly #deps: SensitiveDeps;
  readonly #windows = new Map<string, CallWindow>();

  constructor(deps: SensitiveDeps) {
    this.#deps = deps;
  }

  record(device: { id: string; name: string }, call: PerformedCall): void {
    const words = sensitiveCallWords(this.#deps.home, call);
    if (!words) return;
    const now = this.#deps.clock.now();
    let window = this.#windows.get(device.id);
    if (window && now - window.start >= SENSITIVE_CALL_WINDOW_MS) {
      this.#close(device.id, window);
      window = undefined;
    }
    if (!window) {
      window = { start: now, recorded: 0, more: 0 };
      this.#windows.set(device.id, window);
    }
    if (window.recorded >= SENSITIVE_CALLS_RECORDED_PER_WINDOW) {
      window.more++;
      const open = window;
      open.timer ??= setTimeout(
        () => this.#close(device.id, open),
        open.start + SENSITIVE_CALL_WINDOW_MS - now,
      ).unref();
      return;
    }
    window.recorded++;
    this.#deps.log.info({ device_id: device.id, words }, 'sensitive call');
    this.#append(device.id, 'sensitive_call', {
      words,
      text: `${device.name} ${words}`,
      domain: call.domain,
      service: call.service,
      entity_ids: sensitiveTargets(this.#deps.home, call),
    });
  }

  /** Ends a window, writing the count of the calls it did not record. */
  #close(deviceId: string, window: CallWindow): void {
    clearTimeout(window.timer);
    if (this.#windows.get(deviceId) === window) this.#windows.delete(deviceId);
    const { more } = window;
    if (more === 0) return;
    const summary = `…and ${more.toLocaleString('en-US')} more sensitive call${more === 1 ? '' : 's'}`;
    this.#append(deviceId, 'sensitive_calls_summary', {
      summary,
      suppressed: more,
      window_s: SENSITIVE_CALL_WINDOW_MS / 1000,
    });
  }

  #append(
    deviceId: string,
    action: 'sensitive_call' | 'sensitive_calls_summary',
    detail: Record<string, unknown>,
  ): void {
    try {
      this.#deps.audit.append({
        at: this.#deps.clock.now(),
        actor: `device:${deviceId}`,
        action,
        device_id: deviceId,
        detail,
      });
    } catch (err) {
      // The call already happened: a full disk must not turn it into a failure.
      this.#deps.log.warn({ err, device_id: deviceId }, 'could not audit a sensitive call');
    }
  }
}

/** One log per audit store, shared by the WebSocket gateway and the REST routes. */
const logs = new WeakMap<AuditStore, SensitiveCallLog>();

/** The recorder of one device's successful calls: sensitive ones reach the audit log in words. */
export function sensitiveCallRecorder(
  deps: SensitiveDeps,
  device: { readonly id: string; readonly name: string },
): (call: PerformedCall) => void {
  let log = logs.get(deps.audit);
  if (!log) {
    log = new SensitiveCallLog(deps);
    logs.set(deps.audit, log);
  }
  const own = log;
  return (call) => own.record(device, call);
}
