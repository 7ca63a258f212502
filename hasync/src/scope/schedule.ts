/**
 * When a device may be used: an optional end date (`expires_at`) and an optional weekly schedule
 * of windows in Home Assistant's time zone. Pure: the clock and the zone are arguments.
 */

import {
  type Schedule,
  type ScheduleWindow,
  WEEKDAYS,
  type Weekday,
} from '../protocol/household-rules.ts';

export type { Schedule, ScheduleWindow, Weekday } from '../protocol/household-rules.ts';
export { WEEKDAYS };

const HH_MM = /^([01]\d|2[0-3]):([0-5]\d)$/;

function minutes(hhmm: string): number {
  const match = HH_MM.exec(hhmm);
  if (!match) throw new RangeError(`not a time of day: ${hhmm}`);
  return Number(match[1]) * 60 + Number(match[2]);
}

/** The weekday and minute of the day at `epochMs` on the wall clock of `timeZone` (DST included). */
export function localTime(epochMs: number, timeZone: string): { day: Weekday; minute: number } {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(epochMs));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  const day = get('weekday').toLowerCase().slice(0, 3) as Weekday;
  return { day, minute: Number(get('hour')) * 60 + Number(get('minute')) };
}

function previousDay(day: Weekday): Weekday {
  return WEEKDAYS[(WEEKDAYS.indexOf(day) + 6) % 7] ?? 'sun';
}

/**
 * Whether the wall clock of `timeZone` at `epochMs` falls in a window. A window from 22:00 to
 * 06:00 on "fri" covers Friday night until Saturday 06:00. Times are wall-clock: on the night
 * clocks go back, 01:30 happens twice and is inside a 01:00–02:00 window both times; on the night
 * they go forward, a window inside the skipped hour never opens.
 */
export function withinSchedule(schedule: Schedule, epochMs: number, timeZone: string): boolean {
  if (schedule === null) return true;
  const { day, minute } = localTime(epochMs, timeZone);
  return schedule.some((window) => {
    const from = minutes(window.from);
    const to = minutes(window.to);
    if (from < to) return window.days.includes(day) && minute >= from && minute < to;
    // Past midnight: the evening part on the listed day, the morning part on the day after.
    return (
      (window.days.includes(day) && minute >= from) ||
      (window.days.includes(previousDay(day)) && minute < to)
    );
  });
}

/** Whether an end date has passed (null: never expires). */
export function expired(expiresAt: string | null, epochMs: number): boolean {
  return expiresAt !== null && Date.parse(expiresAt) <= epochMs;
}

/** Whether a device may control an entity it sees: not view-only by entity or by domain. */
export function controllable(
  rule: { readonly view_only?: readonly string[]; readonly view_only_domains?: readonly string[] },
  entityId: string,
): boolean {
  const domain = entityId.slice(0, entityId.indexOf('.'));
  return !(rule.view_only?.includes(entityId) || rule.view_only_domains?.includes(domain));
}

const DAY_NAMES: Record<Weekday, string> = {
  mon: 'Mon',
  tue: 'Tue',
  wed: 'Wed',
  thu: 'Thu',
  fri: 'Fri',
  sat: 'Sat',
  sun: 'Sun',
};

function describeDays(days: readonly Weekday[]): string {
  const set = new Set(days);
  const is = (list: readonly Weekday[]) =>
    set.size === list.length && list.every((d) => set.has(d));
  if (set.size === WEEKDAYS.length) return 'daily';
  if (is(['mon', 'tue', 'wed', 'thu', 'fri'])) return 'weekdays';
  if (is(['sat', 'sun'])) return 'weekends';
  return WEEKDAYS.filter((day) => set.has(day))
    .map((day) => DAY_NAMES[day])
    .join(', ');
}

/**
 * The schedule in words, as a kiosk shows it when it is closed out: "Available weekdays
 * 09:00–17:00", "Available Sat, Sun 10:00–12:00; daily 20:00–21:00"; "Not available" for none.
 */
export function describeSchedule(schedule: readonly ScheduleWindow[]): string {
  if (schedule.length === 0) return 'Not available';
  const windows = schedule.map((w) => `${describeDays(w.days)} ${w.from}–${w.to}`);
  return `Available ${windows.join('; ')}`;
}

/** Why a device may not be used right now, or that it may. */
export type DeviceAccess =
  | { readonly ok: true }
  | { readonly ok: false; readonly rule: 'expired' | 'schedule'; readonly reason: string };

/**
 * Whether a device may be used at `epochMs`: not past its end date and inside its schedule, read
 * on the wall clock of `timeZone` (Home Assistant's; an unknown zone reads as UTC). The reason is
 * for the device: "device expired", or the schedule in words.
 */
export function deviceAccess(
  rule: { readonly expires_at: string | null; readonly schedule: Schedule },
  epochMs: number,
  timeZone: string | undefined,
): DeviceAccess {
  if (expired(rule.expires_at, epochMs))
    return { ok: false, rule: 'expired', reason: 'device expired' };
  if (rule.schedule === null) return { ok: true };
  if (withinSchedule(rule.schedule, epochMs, knownZone(timeZone))) return { ok: true };
  return { ok: false, rule: 'schedule', reason: describeSchedule(rule.schedule) };
}

function knownZone(timeZone: string | undefined): string {
  if (!timeZone) return 'UTC';
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone });
    return timeZone;
  } catch {
    return 'UTC';
  }
}
