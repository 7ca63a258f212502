import { fail, type Validator } from './vol.ts';

/** Home Assistant's `config_validation` helpers for ids (helpers/config_validation.py). */

const ENTITY_ID = /^(?!.+__)(?!_)[\da-z_]+(?<!_)\.(?!_)[\da-z_]+(?<!_)$/;

/** core.py `valid_entity_id`. */
export function validEntityId(entityId: string): boolean {
  return ENTITY_ID.test(entityId);
}

/** `cv.ensure_list_csv`: a comma-separated string becomes a list of trimmed parts. */
function ensureListCsv(value: unknown): unknown[] {
  if (typeof value === 'string') return value.split(',').map((s) => s.trim());
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

function entityIdOf(value: unknown, path: readonly (string | number)[]): string {
  if (typeof value !== 'string' && typeof value !== 'number') {
    return fail('expected str', path);
  }
  const lowered = String(value).toLowerCase();
  if (validEntityId(lowered)) return lowered;
  return fail(`Entity ID ${String(value)} is an invalid entity ID`, path);
}

/** `cv.entity_ids`: a list or comma-separated string of valid, lower-cased entity ids. */
export const entityIds: Validator = (value, path) =>
  ensureListCsv(value).map((v) => entityIdOf(v, path));

/** `cv.comp_entity_ids`: like `entity_ids`, or the words `all` / `none`. */
export const compEntityIds: Validator = (value, path) => {
  if (typeof value === 'string' && ['all', 'none'].includes(value.toLowerCase())) {
    return value.toLowerCase();
  }
  try {
    return entityIds(value, path);
  } catch {
    return fail('not a valid value', path);
  }
};

/** `vol.Any(ENTITY_MATCH_NONE, vol.All(cv.ensure_list, [str]))` for device/area/floor/label ids. */
export const idList: Validator = (value, path) => {
  if (value === 'none') return value;
  const list = value === undefined || value === null ? [] : Array.isArray(value) ? value : [value];
  return list.map((v) => (typeof v === 'string' ? v : fail('not a valid value', path)));
};
