import type { Connection } from 'home-assistant-js-websocket';
import { h } from './dom.ts';

/** The last 24 hours, as HA's more-info history shows by default. */
export const HISTORY_HOURS = 24;
const WIDTH = 600;
const HEIGHT = 160;
const SVG = 'http://www.w3.org/2000/svg';

/** One state in `history/stream`'s compressed form: state, and last changed/updated in seconds. */
interface Compressed {
  s: string;
  lu: number;
  lc?: number;
}

interface StreamEvent {
  states?: Record<string, Compressed[]>;
}

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>) {
  const el = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attrs)) el.setAttribute(key, String(value));
  return el;
}

const clock = (ms: number) =>
  new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });

/**
 * The history of one entity over the last 24 hours, drawn as SVG: a line for numbers (with the
 * lowest and highest value), coloured bands for states (a door open or closed). It reads
 * `history/stream` as HA's more-info does (HA: src/data/history.ts
 * subscribeHistoryStatesTimeWindow), so the graph keeps growing while the sheet is open. Where Home
 * Assistant has no history, HAsync answers unknown_command and the graph says so.
 */
export class HistoryGraph {
  readonly el = h('figure', { class: 'history', 'aria-label': 'History, last 24 hours' });
  readonly #entityId: string;
  readonly #unit: string;
  readonly #points: { at: number; state: string }[] = [];
  #unsubscribe: (() => Promise<void>) | undefined;
  #closed = false;

  constructor(entityId: string, unit: string) {
    this.#entityId = entityId;
    this.#unit = unit;
    this.el.append(h('figcaption', {}, 'Loading history…'));
  }

  async start(conn: Connection): Promise<void> {
    const start = new Date(Date.now() - HISTORY_HOURS * 3600_000);
    try {
      const unsubscribe = await conn.subscribeMessage<StreamEvent>((event) => this.#add(event), {
        type: 'history/stream',
        entity_ids: [this.#entityId],
        start_time: start.toISOString(),
        minimal_response: true,
        significant_changes_only: false,
        no_attributes: true,
      });
      if (this.#closed) void unsubscribe().catch(() => undefined);
      else this.#unsubscribe = unsubscribe;
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      this.#caption(
        code === 'unknown_command'
          ? 'Home Assistant keeps no history for this screen.'
          : 'History is not available.',
      );
    }
  }

  stop(): void {
    this.#closed = true;
    void this.#unsubscribe?.().catch(() => undefined);
  }

  #add(event: StreamEvent): void {
    for (const state of event.states?.[this.#entityId] ?? []) {
      this.#points.push({ at: (state.lc ?? state.lu) * 1000, state: state.s });
    }
    this.#points.sort((a, b) => a.at - b.at);
    this.#draw();
  }

  #caption(text: string): void {
    this.el.replaceChildren(h('figcaption', {}, text));
  }

  #draw(): void {
    const end = Date.now();
    const start = end - HISTORY_HOURS * 3600_000;
    const points = this.#points.filter((p) => p.at <= end);
    if (points.length === 0) {
      this.#caption('No changes in the last 24 hours.');
      return;
    }
    const x = (at: number) => ((Math.max(at, start) - start) / (end - start)) * WIDTH;
    const chart = svg('svg', {
      viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
      preserveAspectRatio: 'none',
      role: 'img',
    });
    const numbers = points.map((p) => Number(p.state)).filter((v) => Number.isFinite(v));
    const numeric = numbers.length > 0 && numbers.length >= points.length / 2;
    const labels = numeric ? this.#line(chart, points, x, numbers) : this.#bands(chart, points, x);
    chart.setAttribute('aria-label', labels);
    this.el.replaceChildren(
      chart,
      h(
        'figcaption',
        { class: 'history-axis' },
        h('span', {}, `${HISTORY_HOURS} h ago`),
        h('span', {}, labels),
        h('span', {}, `now, ${clock(end)}`),
      ),
    );
  }

  /** A stepped line from each value to the next (a sensor holds its value until it changes). */
  #line(
    chart: SVGSVGElement,
    points: { at: number; state: string }[],
    x: (at: number) => number,
    numbers: number[],
  ): string {
    const low = Math.min(...numbers);
    const high = Math.max(...numbers);
    const span = high - low || 1;
    const y = (v: number) => HEIGHT - 8 - ((v - low) / span) * (HEIGHT - 16);
    let d = '';
    let last: number | undefined;
    for (const p of points) {
      const v = Number(p.state);
      if (!Number.isFinite(v)) continue;
      d += last === undefined ? `M${x(p.at)} ${y(v)}` : `H${x(p.at)}V${y(v)}`;
      last = v;
    }
    d += `H${WIDTH}`;
    chart.append(svg('path', { d, class: 'history-line', 'vector-effect': 'non-scaling-stroke' }));
    const unit = this.#unit ? ` ${this.#unit}` : '';
    return `${low}${unit} – ${high}${unit}`;
  }

  /** One band per state, from when it began to when the next began. */
  #bands(
    chart: SVGSVGElement,
    points: { at: number; state: string }[],
    x: (at: number) => number,
  ): string {
    points.forEach((p, i) => {
      const from = x(p.at);
      const to = i + 1 < points.length ? x(points[i + 1]?.at ?? 0) : WIDTH;
      const on = !['off', 'closed', 'locked', 'unavailable', 'unknown', 'idle'].includes(p.state);
      chart.append(
        svg('rect', {
          x: from,
          y: 0,
          width: Math.max(to - from, 1),
          height: HEIGHT,
          class: on ? 'band on' : 'band',
          'data-state': p.state,
        }),
      );
    });
    const last = points.at(-1)?.state ?? '';
    return `${points.length} changes, now ${last}`;
  }
}
