import type { HomeView } from '../cache/home-view.ts';
import { type DisplaySettings, describeDimWindow, describeIdle } from '../protocol/wall-display.ts';
import { describeSchedule } from '../scope/schedule.ts';
import type { NewAuditEntry } from '../storage/audit-store.ts';
import type { DeviceRecord } from '../storage/device-store.ts';

/**
 * Audit entries for an admin's change of a device, each naming what changed in plain words, as a
 * person reads the activity list: "added label Kids", "now view-only: Front door", "expires
 * 2026-12-31 23:00". Names come from Home Assistant's registries (ids when unknown); times are
 * written on Home Assistant's wall clock.
 */

export type AuditPart = Pick<NewAuditEntry, 'action' | 'detail'>;

type ListKey = 'areas' | 'floors' | 'labels' | 'domains' | 'entities' | 'excluded';
type RuleListKey = 'view_only' | 'view_only_domains' | 'pin_domains';

function friendlyName(home: HomeView, entityId: string): string {
  const name = home.state(entityId)?.attributes.friendly_name;
  return typeof name === 'string' && name ? name : entityId;
}

function namer(home: HomeView, key: ListKey | RuleListKey): (id: string) => string {
  switch (key) {
    case 'areas':
      return (id) => home.areas().get(id)?.name ?? id;
    case 'floors':
      return (id) => home.floors().get(id)?.name ?? id;
    case 'labels':
      return (id) => home.labels().get(id)?.name ?? id;
    case 'entities':
    case 'excluded':
    case 'view_only':
      return (id) => friendlyName(home, id);
    default:
      return (id) => id;
  }
}

/** What each list's additions and removals are called. */
const WORDS: Record<ListKey | RuleListKey, readonly [added: string, removed: string]> = {
  areas: ['added area', 'removed area'],
  floors: ['added floor', 'removed floor'],
  labels: ['added label', 'removed label'],
  domains: ['added domain', 'removed domain'],
  entities: ['added entity', 'removed entity'],
  excluded: ['excluded', 'no longer excluded'],
  view_only: ['now view-only:', 'controllable again:'],
  view_only_domains: ['now view-only: every', 'controllable again: every'],
  pin_domains: ['action PIN needed for', 'action PIN no longer needed for'],
};

function listChanges(
  home: HomeView,
  key: ListKey | RuleListKey,
  before: readonly string[],
  after: readonly string[],
): string[] {
  const name = namer(home, key);
  const [added, removed] = WORDS[key];
  return [
    ...after.filter((id) => !before.includes(id)).map((id) => `${added} ${name(id)}`),
    ...before.filter((id) => !after.includes(id)).map((id) => `${removed} ${name(id)}`),
  ];
}

/** "2026-12-31 23:00" on Home Assistant's wall clock (UTC when its zone is not known). */
export function wallClock(iso: string, timeZone: string | undefined): string {
  const format = (zone: string) =>
    new Intl.DateTimeFormat('sv-SE', {
      timeZone: zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).format(new Date(iso));
  try {
    return format(timeZone ?? 'UTC');
  } catch {
    return `${format('UTC')} UTC`;
  }
}

function ruleChanges(home: HomeView, before: DeviceRecord, after: DeviceRecord, pinSet: boolean) {
  const changes = [
    ...listChanges(home, 'view_only', before.view_only, after.view_only),
    ...listChanges(home, 'view_only_domains', before.view_only_domains, after.view_only_domains),
  ];
  if (before.expires_at !== after.expires_at) {
    changes.push(
      after.expires_at === null
        ? 'no longer expires'
        : `expires ${wallClock(after.expires_at, home.config()?.time_zone)}`,
    );
  }
  if (JSON.stringify(before.schedule) !== JSON.stringify(after.schedule)) {
    changes.push(
      after.schedule === null
        ? 'no schedule: usable at any time'
        : `schedule: ${describeSchedule(after.schedule)}`,
    );
  }
  if (!before.has_action_pin && after.has_action_pin) changes.push('action PIN set');
  else if (before.has_action_pin && !after.has_action_pin) changes.push('action PIN removed');
  else if (pinSet && after.has_action_pin) changes.push('action PIN changed');
  changes.push(...listChanges(home, 'pin_domains', before.pin_domains, after.pin_domains));
  if (before.dashboard !== after.dashboard) {
    changes.push(
      after.dashboard === null
        ? 'dashboard generated from the scope'
        : `dashboard: ${after.dashboard}`,
    );
  }
  return changes;
}

const SELECTORS: readonly ListKey[] = [
  'areas',
  'floors',
  'labels',
  'domains',
  'entities',
  'excluded',
];

/**
 * The entries for one change: renamed, read-only, re-scoped (selectors and single entities, with
 * the rule before and after) and the household rules; `pinSet` says a new PIN was given (the PIN
 * itself is never audited).
 */
export function auditEntries(
  home: HomeView,
  before: DeviceRecord,
  after: DeviceRecord,
  pinSet: boolean,
): AuditPart[] {
  const entries: AuditPart[] = [];
  if (before.name !== after.name) {
    entries.push({ action: 'device_renamed', detail: { from: before.name, to: after.name } });
  }
  if (before.read_only !== after.read_only) {
    entries.push({ action: 'device_read_only_changed', detail: { read_only: after.read_only } });
  }
  const scopeChanges = SELECTORS.flatMap((key) => listChanges(home, key, before[key], after[key]));
  if (scopeChanges.length > 0) {
    const rule = (d: DeviceRecord) => Object.fromEntries(SELECTORS.map((key) => [key, d[key]]));
    entries.push({
      action: 'device_rescoped',
      detail: { changes: scopeChanges, from: rule(before), to: rule(after) },
    });
  }
  const changes = ruleChanges(home, before, after, pinSet);
  if (changes.length > 0) entries.push({ action: 'device_rules_changed', detail: { changes } });
  const display = displayChanges(before.display, after.display);
  if (display.length > 0)
    entries.push({ action: 'device_display_changed', detail: { changes: display } });
  return entries;
}

/** The wall-display changes in words: "screensaver after 5 min", "dim schedule: 22:00–06:00 at 20 %". */
export function displayChanges(before: DisplaySettings, after: DisplaySettings): string[] {
  const changes: string[] = [];
  if (before.screensaver_after_s !== after.screensaver_after_s) {
    changes.push(
      after.screensaver_after_s === 0
        ? 'screensaver off'
        : `screensaver after ${describeIdle(after.screensaver_after_s)}`,
    );
  }
  if (JSON.stringify(before.dim_schedule) !== JSON.stringify(after.dim_schedule)) {
    changes.push(
      after.dim_schedule.length === 0
        ? 'no dim schedule'
        : `dim schedule: ${after.dim_schedule.map(describeDimWindow).join(', ')}`,
    );
  }
  return changes;
}
