/**
 * The household rules of a device as the admin API carries them (design §5b): when a device may
 * be used (a weekly schedule in Home Assistant's time zone) — types only, shared by storage, the
 * pure scope rules and the admin routes.
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
