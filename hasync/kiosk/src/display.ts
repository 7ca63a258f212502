import type { Connection } from 'home-assistant-js-websocket';
import { h } from './dom.ts';

/** One entry of the dim schedule: between `from` and `to` (local "HH:MM"), this brightness. */
export interface DimPeriod {
  readonly from: string;
  readonly to: string;
  /** 10–100 (percent). */
  readonly brightness: number;
}

/** The admin's wall-display settings for this device (hasync/display/subscribe). */
export interface DisplaySettings {
  /** Seconds without a touch or key before the screensaver; 0 = never. */
  readonly screensaver_after_s: number;
  readonly dim_schedule: readonly DimPeriod[];
}

type DisplayEvent = { display?: unknown; action?: unknown };

/** Until HAsync says otherwise (or when it does not know the command): no screensaver, no dimming. */
export const DEFAULT_DISPLAY: DisplaySettings = { screensaver_after_s: 0, dim_schedule: [] };
/** How long "identify" flashes the screen. */
export const IDENTIFY_MS = 4000;
const DIM_CHECK_MS = 30_000;
/** The rest of a waking gesture (its click or keyup) comes within this; it is swallowed. */
const WAKE_SWALLOW_MS = 1000;
const ACTIVITY = ['pointerdown', 'keydown', 'wheel', 'touchstart'] as const;

const minutes = (hhmm: string): number | undefined => {
  const m = /^(\d{1,2}):(\d{2})$/.exec(hhmm);
  return m ? Number(m[1]) * 60 + Number(m[2]) : undefined;
};

/** Minutes since midnight at `now` on the wall clock of `timeZone` (the browser's if undefined). */
function minuteOfDay(now: Date, timeZone: string | undefined): number {
  try {
    const parts = new Intl.DateTimeFormat('en-GB', {
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      ...(timeZone ? { timeZone } : {}),
    }).formatToParts(now);
    const part = (type: string) => Number(parts.find((p) => p.type === type)?.value);
    return part('hour') * 60 + part('minute');
  } catch {
    return now.getHours() * 60 + now.getMinutes();
  }
}

/**
 * The brightness the schedule asks for at `now` on Home Assistant's clock (`timeZone`, from
 * get_config; HAsync's dim windows are in HA's time zone); 100 outside every period.
 */
export function scheduledBrightness(
  schedule: readonly DimPeriod[],
  now: Date,
  timeZone?: string,
): number {
  const at = minuteOfDay(now, timeZone);
  for (const period of schedule) {
    const from = minutes(period.from);
    const to = minutes(period.to);
    if (from === undefined || to === undefined) continue;
    // A period past midnight (22:00–06:00) wraps.
    const inside = from <= to ? at >= from && at < to : at >= from || at < to;
    if (inside) return Math.min(100, Math.max(10, period.brightness));
  }
  return 100;
}

function parseSettings(value: unknown): DisplaySettings | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { screensaver_after_s: after, dim_schedule: schedule } = value as Record<string, unknown>;
  const periods = Array.isArray(schedule)
    ? schedule.filter(
        (p): p is DimPeriod =>
          typeof p?.from === 'string' &&
          typeof p?.to === 'string' &&
          typeof p?.brightness === 'number',
      )
    : [];
  return {
    screensaver_after_s: typeof after === 'number' && after > 0 ? after : 0,
    dim_schedule: periods,
  };
}

/**
 * The wall-display side of a kiosk: a screensaver (a clock on a dimmed screen) after the idle
 * time the admin set, a dim schedule, and the admin's "reload" and "identify" buttons, all from
 * `hasync/display/subscribe` on the device's live connection. Any touch or key wakes the
 * screensaver, and that touch does nothing else (it does not toggle the tile under the finger).
 */
export class Display {
  readonly #dimmer = h('div', { class: 'dimmer', 'aria-hidden': 'true' });
  readonly #time = h('p', { class: 'saver-time' });
  readonly #date = h('p', { class: 'saver-date' });
  readonly #saver = h(
    'div',
    { class: 'screensaver', role: 'dialog', 'aria-label': 'Screensaver', hidden: true },
    this.#time,
    this.#date,
  );
  readonly #identify = h('div', { class: 'identify', role: 'status', hidden: true });
  #settings: DisplaySettings = DEFAULT_DISPLAY;
  #idle: ReturnType<typeof setTimeout> | undefined;
  #tick: ReturnType<typeof setInterval> | undefined;
  #dimCheck: ReturnType<typeof setInterval> | undefined;
  #swallowUntil = 0;
  #timeZone: string | undefined;
  readonly #onActivity = (event: Event) => this.#activity(event);
  /** Swallows the rest of the waking gesture: its pointerup and click, or its keyup. */
  readonly #onAfterWake = (event: Event) => {
    if (performance.now() >= this.#swallowUntil) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    if (event.type === 'click' || event.type === 'keyup') this.#swallowUntil = 0;
  };

  readonly #name: () => string;

  /** `name` is the device's name, shown while identifying. */
  constructor(name: () => string) {
    this.#name = name;
  }

  /** Adds the overlays and starts listening for activity; settings follow from `subscribe`. */
  start(): void {
    document.body.append(this.#dimmer, this.#saver, this.#identify);
    for (const type of ACTIVITY) window.addEventListener(type, this.#onActivity, true);
    for (const type of ['pointerup', 'click', 'keyup', 'mouseup']) {
      window.addEventListener(type, this.#onAfterWake, true);
    }
    this.#dimCheck = setInterval(() => this.#dim(), DIM_CHECK_MS);
    this.apply(DEFAULT_DISPLAY);
  }

  stop(): void {
    for (const type of ACTIVITY) window.removeEventListener(type, this.#onActivity, true);
    for (const type of ['pointerup', 'click', 'keyup', 'mouseup']) {
      window.removeEventListener(type, this.#onAfterWake, true);
    }
    clearTimeout(this.#idle);
    clearInterval(this.#tick);
    clearInterval(this.#dimCheck);
    this.#dimmer.remove();
    this.#saver.remove();
    this.#identify.remove();
  }

  /**
   * Subscribes on `conn` (the library subscribes again after each reconnect). A HAsync without
   * the command answers unknown_command: the defaults stay and the kiosk works as before.
   */
  async subscribe(conn: Connection): Promise<void> {
    try {
      const config = await conn.sendMessagePromise<{ time_zone?: unknown } | null>({
        type: 'get_config',
      });
      if (typeof config?.time_zone === 'string') this.#timeZone = config.time_zone;
    } catch {
      // Without HA's zone the browser's clock is the best guess; a kiosk usually shares it.
    }
    try {
      await conn.subscribeMessage<DisplayEvent>((event) => this.#event(event), {
        type: 'hasync/display/subscribe',
      });
    } catch {
      this.apply(DEFAULT_DISPLAY);
    }
  }

  apply(settings: DisplaySettings): void {
    this.#settings = settings;
    document.body.dataset.screensaverAfter = String(settings.screensaver_after_s);
    this.#dim();
    this.#restartIdle();
  }

  #event(event: DisplayEvent): void {
    const settings = parseSettings(event.display);
    if (settings) this.apply(settings);
    if (event.action === 'reload') location.reload();
    if (event.action === 'identify') this.#flash();
  }

  #flash(): void {
    this.#identify.textContent = this.#name();
    this.#identify.hidden = false;
    document.body.dataset.identify = 'on';
    setTimeout(() => {
      this.#identify.hidden = true;
      delete document.body.dataset.identify;
    }, IDENTIFY_MS);
  }

  #dim(): void {
    const brightness = scheduledBrightness(this.#settings.dim_schedule, new Date(), this.#timeZone);
    this.#dimmer.style.opacity = String((100 - brightness) / 100);
    // Dialogs sit in the top layer, above any overlay: they dim themselves (styles.css).
    document.body.style.setProperty('--dim', String(brightness / 100));
    document.body.dataset.brightness = String(brightness);
  }

  #restartIdle(): void {
    clearTimeout(this.#idle);
    const after = this.#settings.screensaver_after_s;
    if (after > 0 && this.#saver.hidden) {
      this.#idle = setTimeout(() => this.#sleep(), after * 1000);
    } else if (after === 0) this.#wake();
  }

  #activity(event: Event): void {
    if (this.#saver.hidden) {
      // A new press after waking is the user's: nothing of it is swallowed.
      if (event.type === 'pointerdown' || event.type === 'keydown') this.#swallowUntil = 0;
    } else {
      // The waking touch or key only wakes: it does not reach the tile under it.
      event.preventDefault();
      event.stopImmediatePropagation();
      this.#swallowUntil = performance.now() + WAKE_SWALLOW_MS;
      this.#wake();
    }
    this.#restartIdle();
  }

  #sleep(): void {
    if (document.querySelector('dialog[open]')) {
      // A sheet or question is open: someone is mid-way; wait another idle period.
      this.#restartIdle();
      return;
    }
    this.#saver.hidden = false;
    document.body.dataset.screensaver = 'on';
    this.#clock();
    this.#tick = setInterval(() => this.#clock(), 1000);
  }

  #wake(): void {
    clearInterval(this.#tick);
    this.#saver.hidden = true;
    delete document.body.dataset.screensaver;
  }

  #clock(): void {
    const now = new Date();
    this.#time.textContent = now.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
    this.#date.textContent = now.toLocaleDateString([], {
      weekday: 'long',
      day: 'numeric',
      month: 'long',
    });
  }
}
