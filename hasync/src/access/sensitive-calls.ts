import type { HomeView } from '../cache/home-view.ts';
import { domainOf } from '../protocol/home-assistant.ts';
import { type AuditWindowDeps, type AuditWindowKind, auditWindowsFor } from './audit-windows.ts';

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

interface SensitiveDeps extends AuditWindowDeps {
  readonly home: HomeView;
}

/** Successful sensitive calls: an audit row each, up to the window's limit. */
const SENSITIVE_CALLS: AuditWindowKind = {
  perWindow: SENSITIVE_CALLS_RECORDED_PER_WINDOW,
  windowMs: SENSITIVE_CALL_WINDOW_MS,
  action: 'sensitive_call',
  summaryAction: 'sensitive_calls_summary',
  noun: 'sensitive call',
  logSummary: false,
};

/**
 * The recorder of one device's successful calls: sensitive ones reach the audit log in words,
 * rate-limited per device (AuditWindows) so that thousands of unlocks a second cannot fill the disk.
 */
export function sensitiveCallRecorder(
  deps: SensitiveDeps,
  device: { readonly id: string; readonly name: string },
): (call: PerformedCall) => void {
  const windows = auditWindowsFor(deps, SENSITIVE_CALLS);
  return (call) => {
    const words = sensitiveCallWords(deps.home, call);
    if (!words) return;
    const recorded = windows.record(device.id, {
      words,
      text: `${device.name} ${words}`,
      domain: call.domain,
      service: call.service,
      entity_ids: sensitiveTargets(deps.home, call),
    });
    if (recorded) deps.log.info({ device_id: device.id, words }, 'sensitive call');
  };
}
