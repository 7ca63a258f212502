import type { HomeModel } from './home-model.ts';
import type { NoiseSpec } from './seed-attributes.ts';

/** Fast rates tick every 50 ms with several changes; slow rates tick once per change. */
const FAST_TICK_MS = 50;

/** A small seeded PRNG (mulberry32), so a demo home drifts the same way every run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Gentle sensor drift at `rate` changes per second, spread over the noisy sensors. */
export class SensorNoise {
  readonly #model: HomeModel;
  readonly #specs: Map<string, NoiseSpec>;
  readonly #ids: string[];
  readonly #random: () => number;
  #rate: number;
  #carry = 0;
  #timer: NodeJS.Timeout | undefined;

  constructor(model: HomeModel, specs: Map<string, NoiseSpec>, rate: number, random: () => number) {
    this.#model = model;
    this.#specs = specs;
    this.#ids = [...specs.keys()];
    this.#rate = rate;
    this.#random = random;
  }

  start(): void {
    if (this.#rate <= 0 || this.#ids.length === 0 || this.#timer) return;
    const tickMs = this.#rate >= 1000 / FAST_TICK_MS ? FAST_TICK_MS : Math.round(1000 / this.#rate);
    this.#timer = setInterval(() => this.#tick(tickMs), tickMs);
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
    this.#carry = 0;
  }

  setRate(rate: number): void {
    this.stop();
    this.#rate = rate;
    this.start();
  }

  #tick(tickMs: number): void {
    this.#carry += (this.#rate * tickMs) / 1000;
    const count = Math.floor(this.#carry);
    this.#carry -= count;
    for (let i = 0; i < count; i++) this.nudge();
  }

  /** Moves one random sensor by a small step within its bounds. */
  nudge(): void {
    const entityId = this.#ids[Math.floor(this.#random() * this.#ids.length)];
    const spec = entityId === undefined ? undefined : this.#specs.get(entityId);
    const current = entityId === undefined ? undefined : this.#model.states.get(entityId);
    if (!entityId || !spec || !current) return;
    const value = Number(current.state);
    const base = Number.isFinite(value) ? value : spec.min;
    this.#model.set(entityId, drift(base, spec, this.#random()).toFixed(1), current.attributes);
  }
}

/** A step of up to `spec.step` either way, reflected at the bounds, always visible at 0.1. */
function drift(base: number, spec: NoiseSpec, random: number): number {
  let delta = (random * 2 - 1) * spec.step;
  if (Math.abs(delta) < 0.1) delta = delta < 0 ? -0.1 : 0.1;
  const next = base + delta;
  if (next > spec.max || next < spec.min)
    return Math.min(spec.max, Math.max(spec.min, base - delta));
  return next;
}
