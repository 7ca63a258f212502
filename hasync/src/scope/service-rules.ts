import type { EntityEntry, HassService, HassState } from '../protocol/home-assistant.ts';
import type { TargetIds } from './call-targets.ts';

/**
 * What a service's description (Home Assistant's `get_services`) allows a device to send: which
 * entities it acts on (`target` filters) and which `service_data` keys it takes (`fields`, each
 * with a selector). Everything not described is refused. Pure: no I/O.
 */

type Filter = {
  domain?: string[];
  integration?: string;
  device_class?: string[];
  supported_features?: number[];
};

/** Selectors whose values name entities, devices, areas, floors or labels: resolved, then scoped. */
const NAMING_SELECTORS = new Set(['entity', 'device', 'area', 'floor', 'label', 'target']);
/**
 * Selectors whose values are plain data (numbers, text, colours, times, choices, objects of
 * those). Any other selector (action, condition, trigger, template, config_entry, addon,
 * conversation_agent, backup_location, media, statistic, …) can reach beyond one entity and is
 * refused to devices.
 */
const PLAIN_SELECTORS = new Set([
  'boolean',
  'color_rgb',
  'color_temp',
  'constant',
  'country',
  'date',
  'datetime',
  'duration',
  'icon',
  'language',
  'location',
  'number',
  'object',
  'select',
  'text',
  'theme',
  'time',
]);
const TEMPLATE = /\{\{|\{%|\{#/;
const NAMING_KEY: Record<string, keyof TargetIds> = {
  entity: 'entity_id',
  device: 'device_id',
  area: 'area_id',
  floor: 'floor_id',
  label: 'label_id',
};

function filtersOf(target: unknown): Filter[] {
  const entity = (target as { entity?: unknown } | null)?.entity;
  if (entity === undefined) return [{}];
  return (Array.isArray(entity) ? entity : [entity]).filter(
    (f): f is Filter => typeof f === 'object' && f !== null,
  );
}

/** Whether an entity service is described: the service has a `target`. */
export function isEntityService(description: HassService): boolean {
  return description.target !== undefined && description.target !== null;
}

/**
 * Whether the service's target filters admit this entity (domain, integration, device class,
 * supported features), as Home Assistant's target selector filters entities.
 * HA: homeassistant/helpers/selector.py EntityFilterSelectorConfig; frontend filterSelectorEntities
 */
export function targetAdmits(
  description: HassService,
  entityId: string,
  state: HassState | undefined,
  entry: EntityEntry | undefined,
): boolean {
  const domain = entityId.slice(0, entityId.indexOf('.'));
  const features = Number(state?.attributes.supported_features ?? 0);
  const deviceClass = state?.attributes.device_class;
  return filtersOf(description.target).some(
    (f) =>
      (!f.domain || f.domain.includes(domain)) &&
      (!f.integration || f.integration === entry?.platform) &&
      (!f.device_class || f.device_class.includes(String(deviceClass))) &&
      (!f.supported_features ||
        f.supported_features.some((feature) => (features & feature) === feature)),
  );
}

/** A string, or a string anywhere inside a value, that Home Assistant would render or expand. */
export function forbiddenValue(value: unknown, depth = 0): string | undefined {
  if (depth > 32) return 'service data is nested too deeply';
  if (typeof value === 'string') {
    if (TEMPLATE.test(value)) return 'templates are not allowed';
    const lower = value.trim().toLowerCase();
    if (lower === 'all' || lower === 'none') return `"${lower}" is not allowed`;
    return undefined;
  }
  if (Array.isArray(value)) {
    for (const item of value) {
      const found = forbiddenValue(item, depth + 1);
      if (found) return found;
    }
    return undefined;
  }
  if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      const found = forbiddenValue(key, depth + 1) ?? forbiddenValue(item, depth + 1);
      if (found) return found;
    }
  }
  return undefined;
}

type FieldSpec = { selector?: Record<string, unknown> | null; fields?: Record<string, FieldSpec> };

/** The described fields, with Home Assistant 2024.8+ sections (`{fields: {...}}`) flattened. */
function describedFields(description: HassService): Map<string, FieldSpec> {
  const out = new Map<string, FieldSpec>();
  const walk = (fields: Record<string, FieldSpec> | undefined) => {
    for (const [key, spec] of Object.entries(fields ?? {})) {
      if (spec && typeof spec === 'object' && spec.fields && !spec.selector) walk(spec.fields);
      else out.set(key, spec ?? {});
    }
  };
  walk(description.fields as Record<string, FieldSpec>);
  return out;
}

function idsOf(value: unknown): string[] | undefined {
  const list = Array.isArray(value) ? value : [value];
  return list.every((id) => typeof id === 'string') ? (list as string[]) : undefined;
}

/** The ids one naming field's value holds, under the target key they stand for. */
function namedIds(selector: string, value: unknown, into: TargetIds): string | undefined {
  if (selector === 'target') {
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      return 'a target field must be an object';
    for (const [key, ids] of Object.entries(value)) {
      const list = idsOf(ids);
      if (!(key in into) || !list) return `target key ${key.slice(0, 64)} is not supported`;
      into[key as keyof TargetIds].push(...list);
    }
    return undefined;
  }
  const list = idsOf(value);
  if (!list) return 'ids must be strings or lists of strings';
  const key = NAMING_KEY[selector];
  if (key) into[key].push(...list);
  return undefined;
}

export type DataVerdict =
  | { readonly ok: true; readonly named: TargetIds }
  | { readonly ok: false; readonly reason: string; readonly invalidFormat?: true };

/**
 * Checks `service_data` (target keys already taken out) against the service's described fields:
 * every key described, no template or "all"/"none" anywhere, only plain or naming selectors. The
 * ids that naming fields hold come back so the caller can require them inside the scope.
 */
export function checkServiceData(
  description: HassService,
  data: Readonly<Record<string, unknown>>,
): DataVerdict {
  const fields = describedFields(description);
  const named: TargetIds = {
    entity_id: [],
    device_id: [],
    area_id: [],
    floor_id: [],
    label_id: [],
  };
  for (const [key, value] of Object.entries(data)) {
    const spec = fields.get(key);
    // Home Assistant's own schemas refuse keys they do not describe, in these words (str(vol.Invalid)).
    if (!spec)
      return {
        ok: false,
        reason: `extra keys not allowed @ data['${key.slice(0, 64)}']`,
        invalidFormat: true,
      };
    const forbidden = forbiddenValue(value);
    if (forbidden) return { ok: false, reason: `field ${key}: ${forbidden}` };
    const selector = Object.keys(spec.selector ?? {})[0];
    if (selector === undefined) {
      if (typeof value === 'object' && value !== null)
        return { ok: false, reason: `field ${key} takes a plain value` };
      continue;
    }
    if (NAMING_SELECTORS.has(selector)) {
      const problem = namedIds(selector, value, named);
      if (problem) return { ok: false, reason: `field ${key}: ${problem}` };
      continue;
    }
    if (!PLAIN_SELECTORS.has(selector))
      return { ok: false, reason: `field ${key} (${selector}) is not available to devices` };
  }
  return { ok: true, named };
}
