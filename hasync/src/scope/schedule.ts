/**
 * When a device may be used: an optional end date (`expires_at`) and an optional weekly schedule
 * of windows in Home Assistant's time zone. Pure: the clock and the zone are arguments.
 */

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** One window: on these days, from `from` until `to` ("HH:MM", local); `to` ≤ `from` runs past midnight. */
export interface ScheduleWindow {
  readonly days: readonly Weekday[];
  readonly from: string;
  readonly to: string;
}

/** null: any time. */
export type Schedule = readonly ScheduleWindow[] | null;

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
