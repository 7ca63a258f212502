import {
  MAX_DATA_DEPTH,
  MAX_DATA_VALUES,
  MAX_FILTER_GLOBS,
  MAX_FILTER_ITEMS,
  MAX_MESSAGE_DEPTH,
} from '../protocol/device-ws.ts';

/**
 * Size limits on one device message, checked before its schema and before anything is queued, so
 * that no validator, filter or upstream call ever sees an oversized value. Each refusal names the
 * limit. Home Assistant has none of these (it trusts its users); HAsync's devices are not trusted.
 */

type Message = Record<string, unknown>;

interface Shape {
  /** Deepest nesting found, stopping once past `maxDepth`. */
  depth: number;
  /** Values counted, stopping once past `maxValues`. */
  values: number;
}

/** Walks a JSON value without recursion, stopping as soon as either limit is passed. */
function measure(root: unknown, maxDepth: number, maxValues: number): Shape {
  const shape: Shape = { depth: 0, values: 0 };
  const stack: [unknown, number][] = [[root, 1]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop() as [unknown, number];
    shape.values++;
    if (depth > shape.depth) shape.depth = depth;
    if (shape.depth > maxDepth || shape.values > maxValues) return shape;
    if (typeof value !== 'object' || value === null) continue;
    for (const child of Array.isArray(value) ? value : Object.values(value))
      stack.push([child, depth + 1]);
  }
  return shape;
}

function checkData(name: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  // The object itself is not one of its values.
  const shape = measure(value, MAX_DATA_DEPTH, MAX_DATA_VALUES + 1);
  if (shape.depth > MAX_DATA_DEPTH)
    return `${name} is nested deeper than the limit of ${MAX_DATA_DEPTH} levels`;
  if (shape.values > MAX_DATA_VALUES + 1)
    return `${name} holds more than the limit of ${MAX_DATA_VALUES} values`;
  return undefined;
}

function listLength(value: unknown): number {
  if (typeof value === 'string') return value.split(',').length;
  return Array.isArray(value) ? value.length : 0;
}

function checkList(name: string, value: unknown, max: number): string | undefined {
  const length = listLength(value);
  return length > max ? `${name} has ${length} entries, more than the limit of ${max}` : undefined;
}

function checkFilter(name: string, value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const filter = value as Message;
  return (
    checkList(`${name}.entities`, filter.entities, MAX_FILTER_ITEMS) ??
    checkList(`${name}.domains`, filter.domains, MAX_FILTER_ITEMS) ??
    checkList(`${name}.entity_globs`, filter.entity_globs, MAX_FILTER_GLOBS)
  );
}

/**
 * The first limit `message` breaks, as a message for an `invalid_format` error, or undefined.
 * `type` is the message's command type (any string; unknown commands only get the depth check).
 */
export function checkLimits(type: string, message: Message): string | undefined {
  if (measure(message, MAX_MESSAGE_DEPTH, Number.POSITIVE_INFINITY).depth > MAX_MESSAGE_DEPTH)
    return `Message is nested deeper than the limit of ${MAX_MESSAGE_DEPTH} levels`;
  if (type === 'call_service')
    return checkData('service_data', message.service_data) ?? checkData('target', message.target);
  if (type === 'subscribe_entities') {
    return (
      checkList('entity_ids', message.entity_ids, MAX_FILTER_ITEMS) ??
      checkFilter('include', message.include) ??
      checkFilter('exclude', message.exclude)
    );
  }
  if (type === 'history/stream' || type === 'logbook/event_stream')
    return checkList('entity_ids', message.entity_ids, MAX_FILTER_ITEMS);
  return undefined;
}
