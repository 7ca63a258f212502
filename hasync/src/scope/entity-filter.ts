/**
 * helpers/entityfilter.py `convert_include_exclude_filter` as `subscribe_entities` uses it since
 * Home Assistant 2024.9: `include`/`exclude` with `domains`, `entities` and `entity_globs`.
 * Returns undefined for an empty filter (everything passes).
 */

export interface FilterSpec {
  domains: string[];
  entities: string[];
  entity_globs: string[];
}

function globRegex(globs: string[]): RegExp | undefined {
  if (globs.length === 0) return undefined;
  const parts = globs.map((g) =>
    g
      .split('')
      .map((ch) => (ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
      .join(''),
  );
  return new RegExp(`^(?:${parts.join('|')})$`);
}

export function entityFilter(
  include: FilterSpec,
  exclude: FilterSpec,
): ((entityId: string) => boolean) | undefined {
  const incD = new Set(include.domains);
  const incE = new Set(include.entities);
  const excD = new Set(exclude.domains);
  const excE = new Set(exclude.entities);
  const incG = globRegex(include.entity_globs);
  const excG = globRegex(exclude.entity_globs);
  const haveInclude = incD.size > 0 || incE.size > 0 || incG !== undefined;
  const haveExclude = excD.size > 0 || excE.size > 0 || excG !== undefined;
  const domain = (id: string) => id.slice(0, id.indexOf('.'));
  if (!haveInclude && !haveExclude) return undefined;
  if (haveInclude && !haveExclude) {
    return (id) => incE.has(id) || incD.has(domain(id)) || Boolean(incG?.test(id));
  }
  if (!haveInclude && haveExclude) {
    return (id) => !(excE.has(id) || excD.has(domain(id)) || Boolean(excG?.test(id)));
  }
  if (incD.size > 0 || incG) {
    return (id) =>
      incE.has(id) ||
      (!excE.has(id) && (Boolean(incG?.test(id)) || (incD.has(domain(id)) && !excG?.test(id))));
  }
  if (excD.size > 0 || excG) {
    return (id) => (excD.has(domain(id)) || excG?.test(id) ? incE.has(id) : !excE.has(id));
  }
  return (id) => incE.has(id);
}
