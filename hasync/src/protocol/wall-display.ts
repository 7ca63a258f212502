/**
 * Wall-display settings and admin actions of a device (issue 16): what the admin API stores and
 * returns, and what the device WebSocket's `hasync/display/subscribe` delivers — types, limits and
 * the JSON schema, shared by storage, the admin routes and the gateway.
 */

/** A time of day, "HH:MM" on Home Assistant's wall clock. */
export const HH_MM_PATTERN = '^([01][0-9]|2[0-3]):[0-5][0-9]$';

export const MAX_SCREENSAVER_AFTER_S = 86_400;
export const MAX_DIM_WINDOWS = 8;
export const MIN_DIM_BRIGHTNESS = 10;
export const MAX_DIM_BRIGHTNESS = 100;

/** From `from` until `to` the screen runs at `brightness` % (`to` < `from` runs past midnight). */
export interface DimWindow {
  readonly from: string;
  readonly to: string;
  readonly brightness: number;
}

export interface DisplaySettings {
  /** Idle seconds before the screensaver (clock, dimmed screen); 0: never. */
  readonly screensaver_after_s: number;
  readonly dim_schedule: readonly DimWindow[];
}

/** A device's settings until an admin sets them. */
export const DEFAULT_DISPLAY: DisplaySettings = Object.freeze({
  screensaver_after_s: 0,
  dim_schedule: Object.freeze([]) as readonly DimWindow[],
});

/** What an admin may ask a device's screens to do now. */
export const DISPLAY_ACTIONS = ['reload', 'identify'] as const;
export type DisplayAction = (typeof DISPLAY_ACTIONS)[number];

/** The event of a `hasync/display/subscribe`: the settings (at once and on change) or an action. */
export type DisplayEvent =
  | { readonly display: DisplaySettings }
  | { readonly action: DisplayAction };

/** The settings' JSON schema (admin API: PATCH body and replies). */
export const DISPLAY_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  description:
    'Wall-display settings the kiosk applies: idle seconds before its screensaver (0: never) and ' +
    'up to 8 dim windows ("HH:MM" on Home Assistant\'s clock, `to` before `from` runs past ' +
    'midnight) with the brightness in % during each',
  properties: {
    screensaver_after_s: { type: 'integer', minimum: 0, maximum: MAX_SCREENSAVER_AFTER_S },
    dim_schedule: {
      type: 'array',
      maxItems: MAX_DIM_WINDOWS,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['from', 'to', 'brightness'],
        properties: {
          from: { type: 'string', pattern: HH_MM_PATTERN },
          to: { type: 'string', pattern: HH_MM_PATTERN },
          brightness: {
            type: 'integer',
            minimum: MIN_DIM_BRIGHTNESS,
            maximum: MAX_DIM_BRIGHTNESS,
          },
        },
      },
    },
  },
} as const;

const MINUTES_PER_DAY = 24 * 60;

function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

/**
 * Why a dim schedule that passed the schema still cannot be applied — an empty window
 * (`from` = `to`) or two windows that overlap (which brightness would win?) — or undefined.
 */
export function dimScheduleProblem(windows: readonly DimWindow[]): string | undefined {
  const owner = new Array<number>(MINUTES_PER_DAY).fill(-1);
  for (const [i, window] of windows.entries()) {
    const from = minutesOf(window.from);
    const to = minutesOf(window.to);
    if (from === to)
      return `dim_schedule entry ${i + 1} is empty: from and to are both ${window.from}`;
    const length = (to - from + MINUTES_PER_DAY) % MINUTES_PER_DAY;
    for (let k = 0; k < length; k++) {
      const minute = (from + k) % MINUTES_PER_DAY;
      const other = owner[minute] ?? -1;
      if (other >= 0)
        return `dim_schedule entries ${other + 1} and ${i + 1} overlap (both cover ${clock(minute)})`;
      owner[minute] = i;
    }
  }
  return undefined;
}

function clock(minute: number): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(Math.floor(minute / 60))}:${pad(minute % 60)}`;
}

/** "22:00–06:30 at 20%" */
export function describeDimWindow(window: DimWindow): string {
  return `${window.from}–${window.to} at ${window.brightness}%`;
}

/** "5 min", "1 h 30 min", "45 s" */
export function describeIdle(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  const parts = [h > 0 ? `${h} h` : '', m > 0 ? `${m} min` : '', s > 0 ? `${s} s` : ''];
  return parts.filter(Boolean).join(' ');
}
