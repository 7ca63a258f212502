import { pyRepr } from './py-repr.ts';

/**
 * A small model of voluptuous, the schema library behind Home Assistant's WebSocket commands and
 * service schemas, kept to what the demo home needs. Messages and paths are voluptuous's own, so
 * `str(err)` and `humanize_error` come out as Home Assistant sends them.
 */

export type Path = readonly (string | number)[];

/** voluptuous.Invalid: a message and the path of the offending value. */
export class Invalid extends Error {
  readonly msg: string;
  readonly path: Path;
  constructor(msg: string, path: Path = []) {
    const where = path.length === 0 ? '' : ` @ data${path.map((p) => `[${pyRepr(p)}]`).join('')}`;
    super(`${msg}${where}`);
    this.name = 'Invalid';
    this.msg = msg;
    this.path = path;
  }
}

/** voluptuous.MultipleInvalid: `str()` is the first error, as in voluptuous. */
export class MultipleInvalid extends Invalid {
  readonly errors: readonly Invalid[];
  constructor(errors: readonly Invalid[]) {
    const first = errors[0] ?? new Invalid('invalid');
    super(first.msg, first.path);
    this.errors = errors;
  }
}

/** A validator returns the (possibly coerced) value or throws `Invalid` at `path`. */
export type Validator = (value: unknown, path: Path) => unknown;

export interface Field {
  readonly v: Validator;
  readonly required?: boolean;
  readonly default?: unknown;
}

export type Fields = Readonly<Record<string, Field>>;

export const req = (v: Validator): Field => ({ v, required: true });
export const opt = (v: Validator, fallback?: unknown): Field =>
  fallback === undefined ? { v } : { v, default: fallback };

/** A dict schema; extra keys are refused unless `allowExtra` (voluptuous PREVENT_EXTRA default). */
export function dict(fields: Fields, allowExtra = false): Validator {
  return (value, path) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new Invalid('expected a dictionary', path);
    }
    const out: Record<string, unknown> = {};
    const errors: Invalid[] = [];
    for (const [key, item] of Object.entries(value)) {
      const field = fields[key];
      const at = [...path, key];
      if (!field) {
        if (allowExtra) out[key] = item;
        else errors.push(new Invalid('extra keys not allowed', at));
        continue;
      }
      try {
        out[key] = field.v(item, at);
      } catch (err) {
        errors.push(...dictValueErrors(err, at));
      }
    }
    for (const [key, field] of Object.entries(fields)) {
      if (key in out || key in value) continue;
      if (field.required) errors.push(new Invalid('required key not provided', [...path, key]));
      else if (field.default !== undefined) out[key] = field.default;
    }
    if (errors.length > 0) throw new MultipleInvalid(errors);
    return out;
  };
}

/** voluptuous adds "for dictionary value" to errors raised by the value's own validator. */
function dictValueErrors(err: unknown, at: Path): Invalid[] {
  if (err instanceof MultipleInvalid) return [...err.errors];
  if (!(err instanceof Invalid)) throw err;
  if (err.path.length > at.length) return [err];
  return [new Invalid(`${err.msg} for dictionary value`, at)];
}

/** Python type checks: `str`, `bool`, `dict`, `list`; `int` admits bool as Python does. */
export const str: Validator = (v, p) => (typeof v === 'string' ? v : fail('expected str', p));
export const bool: Validator = (v, p) => (typeof v === 'boolean' ? v : fail('expected bool', p));
export const anyDict: Validator = (v, p) =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? v : fail('expected dict', p);
export const int: Validator = (v, p) =>
  typeof v === 'boolean' || (typeof v === 'number' && Number.isInteger(v))
    ? v
    : fail('expected int', p);

/** `{str: int}`, as `supported_features` declares its `features`. */
export function mapOf(value: Validator): Validator {
  return (v, p) => {
    const obj = anyDict(v, p) as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(obj)) {
      try {
        out[key] = value(item, [...p, key]);
      } catch (err) {
        throw new MultipleInvalid(dictValueErrors(err, [...p, key]));
      }
    }
    return out;
  };
}

/** `vol.All(vol.Coerce(int|float), vol.Range(min, max))`; `clamp` is `vol.Clamp` instead. */
export function number(kind: 'int' | 'float', min: number, max: number, clamp = false): Validator {
  return (v, p) => {
    const n = coerceNumber(v, kind);
    if (n === undefined) return fail(`expected ${kind}`, p);
    if (clamp) return Math.min(max, Math.max(min, n));
    if (n > max) return fail(`value must be at most ${max}`, p);
    if (n < min) return fail(`value must be at least ${min}`, p);
    return n;
  };
}

function coerceNumber(v: unknown, kind: 'int' | 'float'): number | undefined {
  const n = typeof v === 'boolean' ? Number(v) : typeof v === 'string' ? Number(v.trim()) : v;
  if (typeof n !== 'number' || !Number.isFinite(n) || (typeof v === 'string' && v.trim() === '')) {
    return undefined;
  }
  if (kind === 'float') return n;
  if (typeof v === 'string' && !Number.isInteger(n)) return undefined;
  return Math.trunc(n);
}

/** `cv.boolean`. */
export const cvBoolean: Validator = (v, p) => {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  const s = typeof v === 'string' ? v.toLowerCase().trim() : undefined;
  if (s !== undefined && ['1', 'true', 'yes', 'on', 'enable'].includes(s)) return true;
  if (s !== undefined && ['0', 'false', 'no', 'off', 'disable'].includes(s)) return false;
  return fail(`invalid boolean value ${String(v)}`, p);
};

/** `vol.Coerce(SomeStrEnum)` as Home Assistant's enums fail. */
export function strEnum(name: string, options: readonly string[]): Validator {
  return (v, p) =>
    typeof v === 'string' && options.includes(v)
      ? v
      : fail(`expected ${name} or one of ${options.map((o) => pyRepr(o)).join(', ')}`, p);
}

/** `vol.In(options)`. */
export function oneOf(options: readonly string[]): Validator {
  return (v, p) =>
    typeof v === 'string' && options.includes(v)
      ? v
      : fail(`value must be one of [${options.map((o) => pyRepr(o)).join(', ')}]`, p);
}

export function fail(msg: string, path: Path): never {
  throw new Invalid(msg, path);
}

/** voluptuous.humanize.humanize_error: each error with the offending value, sorted. */
export function humanizeError(data: unknown, err: Invalid): string {
  const errors = err instanceof MultipleInvalid ? err.errors : [err];
  return errors
    .map((e) => `${e.message}. Got ${truncate(pyRepr(itemAt(data, e.path)))}`)
    .sort()
    .join('\n');
}

function truncate(s: string): string {
  return s.length > 500 ? `${s.slice(0, 497)}...` : s;
}

function itemAt(data: unknown, path: Path): unknown {
  let cur = data;
  for (const key of path) {
    if (typeof cur !== 'object' || cur === null) return undefined;
    cur = (cur as Record<string, unknown>)[key as string];
  }
  return cur;
}
