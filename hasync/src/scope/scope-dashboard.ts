/**
 * A household dashboard as one device may see it (design §5c): every card, badge and view that
 * references an entity outside the device's scope is removed, an entity list keeps its in-scope
 * rows, and views that end empty are dropped. Pure: no I/O, no clock.
 *
 * Allow-list, not deny-list: only Home Assistant's own card types are kept, and only the keys of a
 * dashboard and of a view that Home Assistant's frontend reads. A card of any other type (custom
 * cards, energy cards, iframes) is kept only when it references no entity at all; strategies
 * (generated from anything in the home) never.
 * HA frontend 20240307.0: src/data/lovelace/config/{types,view,card,badge}.ts,
 * src/panels/lovelace/cards/*.ts, src/panels/lovelace/entity-rows/*.ts.
 */

type Json = Record<string, unknown>;

/** What the filter needs to know about the device and the home. */
export interface DashboardScope {
  /** The entity ids the device may see. */
  readonly scope: ReadonlySet<string>;
  /** Whether an id names an entity of the home (in scope or not): used to spot ids in text. */
  isEntity(id: string): boolean;
  /** The areas the device's scope reaches (an area card shows its area's name and entities). */
  readonly areas: ReadonlySet<string>;
}

/** Keys of a dashboard config kept (HA: LovelaceConfig; `strategy` dashboards are not). */
const DASHBOARD_KEYS = ['title', 'background'];
/** Keys of a view kept besides its cards, badges and sections (HA: LovelaceViewConfig). */
const VIEW_KEYS = [
  'title',
  'path',
  'icon',
  'theme',
  'background',
  'type',
  'subview',
  'back_path',
  'max_columns',
  'dense_section_placement',
];

/** Cards that hold other cards in `cards`. */
const STACKS = new Set(['vertical-stack', 'horizontal-stack', 'grid']);
/** Cards whose `entities` is a list of rows (strings or `{entity}` objects). */
const ROW_CARDS = new Set([
  'entities',
  'glance',
  'history-graph',
  'logbook',
  'map',
  'statistics-graph',
  'calendar',
  'entity-filter',
]);
/** Home Assistant's other cards, kept when every entity they reference is in scope. */
const PLAIN_CARDS = new Set([
  'alarm-panel',
  'area',
  'button',
  'conditional',
  'entity',
  'gauge',
  'humidifier',
  'light',
  'markdown',
  'media-control',
  'picture',
  'picture-elements',
  'picture-entity',
  'picture-glance',
  'plant-status',
  'sensor',
  'statistic',
  'thermostat',
  'tile',
  'todo-list',
  'weather-forecast',
]);
/** Keys whose string value (or list of strings) is an entity id, or ids separated by commas. */
const ENTITY_KEYS = new Set(['entity', 'entity_id', 'entities', 'camera_image']);

/** An id-shaped token at every word start (overlapping: `states.light.x` yields `light.x`). */
const ID_TOKENS = /(?<![a-z0-9_])(?=([a-z_][a-z0-9_]*\.[a-z0-9_]+))/g;

/**
 * The dashboard as the device may see it. Never empty: when nothing remains, one empty view, so
 * that the frontend shows an empty dashboard rather than failing.
 */
export function scopeDashboard(config: unknown, ds: DashboardScope): Json {
  const source = isObject(config) ? config : {};
  const out = pickKeys(source, DASHBOARD_KEYS);
  const views = Array.isArray(source.views) ? source.views : [];
  const kept = views.flatMap((view) => {
    const scoped = scopeView(view, ds);
    return scoped ? [scoped] : [];
  });
  return { ...out, views: kept.length > 0 ? kept : [{ cards: [] }] };
}

/** The view with its out-of-scope cards, sections and badges removed; undefined if none remain. */
function scopeView(view: unknown, ds: DashboardScope): Json | undefined {
  // A view strategy generates cards from anything in the home: not kept.
  if (!isObject(view) || 'strategy' in view || 'visible' in view) return undefined;
  const out = pickKeys(view, VIEW_KEYS);
  if (out.type !== undefined && typeof out.type !== 'string') return undefined;
  const cards = scopeCards(view.cards, ds);
  const badges = scopeBadges(view.badges, ds);
  const sections = scopeCards(view.sections, ds, true);
  if (cards.length + badges.length + sections.length === 0) return undefined;
  if (cards.length > 0) out.cards = cards;
  if (badges.length > 0) out.badges = badges;
  if (sections.length > 0) out.sections = sections;
  if (hasOutsideRef(out, ds)) return undefined;
  return out;
}

function scopeCards(cards: unknown, ds: DashboardScope, sections = false): Json[] {
  if (!Array.isArray(cards)) return [];
  return cards.flatMap((card) => {
    const scoped = sections ? scopeSection(card, ds) : scopeCard(card, ds);
    return scoped ? [scoped] : [];
  });
}

/** A section of a sections view: a grid of cards (HA 2024.3 `LovelaceSectionConfig`). */
function scopeSection(section: unknown, ds: DashboardScope): Json | undefined {
  if (!isObject(section) || 'strategy' in section) return undefined;
  const out = withCards(section, ds);
  return out && !hasOutsideRef(out, ds) ? out : undefined;
}

function withCards(container: Json, ds: DashboardScope): Json | undefined {
  const cards = scopeCards(container.cards, ds);
  return cards.length > 0 ? { ...container, cards } : undefined;
}

/** The card as the device may see it, or undefined when it must go. */
export function scopeCard(card: unknown, ds: DashboardScope): Json | undefined {
  if (!isObject(card) || typeof card.type !== 'string') return undefined;
  const type = card.type;
  let out: Json | undefined = card;
  if (STACKS.has(type)) out = withCards(card, ds);
  else if (type === 'conditional') out = withInnerCard(card, ds);
  else if (ROW_CARDS.has(type)) out = withRows(card, ds);
  else if (type === 'area' && !ds.areas.has(String(card.area))) return undefined;
  else if (!PLAIN_CARDS.has(type)) return refs(card, ds).size === 0 ? card : undefined;
  if (!out || hasOutsideRef(out, ds)) return undefined;
  return out;
}

/** A conditional card keeps its inner card only if that card stays. */
function withInnerCard(card: Json, ds: DashboardScope): Json | undefined {
  const inner = scopeCard(card.card, ds);
  return inner ? { ...card, card: inner } : undefined;
}

/**
 * An entity list keeps its in-scope rows; it goes when no entity row remains. An entity-filter
 * card's inner `card` holds no entities (they come from the filter).
 */
function withRows(card: Json, ds: DashboardScope): Json | undefined {
  const rows = Array.isArray(card.entities) ? card.entities : [];
  const kept = rows.flatMap((row) => {
    const scoped = scopeRow(row, ds);
    return scoped === undefined ? [] : [scoped];
  });
  if (!kept.some((row) => refs(row, ds).size > 0)) return undefined;
  const out: Json = { ...card, entities: kept };
  if (card.type === 'entity-filter' && card.card !== undefined) {
    if (!isObject(card.card) || refs(card.card, ds).size > 0) return undefined;
  }
  return out;
}

/** A row of an entity list (also a badge): a string id, or an object. */
function scopeRow(row: unknown, ds: DashboardScope): unknown {
  if (typeof row === 'string') return ds.scope.has(row) ? row : undefined;
  if (!isObject(row)) return undefined;
  const type = typeof row.type === 'string' ? row.type : undefined;
  if (type === 'buttons') {
    const buttons = withRows({ ...row, type: 'entities' }, ds);
    return buttons ? { ...buttons, type } : undefined;
  }
  if (type === 'conditional') {
    const inner = scopeRow(row.row, ds);
    if (inner === undefined) return undefined;
    return hasOutsideRef({ ...row, row: inner }, ds) ? undefined : { ...row, row: inner };
  }
  if (type !== undefined && isCustom(type)) return refs(row, ds).size === 0 ? row : undefined;
  // Home Assistant's rows (entity, attribute, button, call-service, section, divider, weblink).
  return hasOutsideRef(row, ds) ? undefined : row;
}

/** Badges: strings or `{entity}` objects, filtered as rows; an entity-filter badge as its list. */
function scopeBadges(badges: unknown, ds: DashboardScope): unknown[] {
  if (!Array.isArray(badges)) return [];
  return badges.flatMap((badge) => {
    if (isObject(badge) && badge.type === 'entity-filter') {
      const kept = withRows(badge, ds);
      return kept ? [kept] : [];
    }
    const scoped = scopeRow(badge, ds);
    return scoped === undefined || (isObject(scoped) && refs(scoped, ds).size === 0)
      ? []
      : [scoped];
  });
}

/** Keys whose value is a path in the frontend (HA: ActionConfig navigation_path, view back_path). */
const NAVIGATION_KEYS = new Set(['navigation_path', 'back_path']);

/**
 * The dashboard with its links to its own views retargeted from where Home Assistant serves it
 * (`/<url_path>/<view>`) to where a device sees it, its default dashboard (`/<at>/<view>`). A link
 * to a view the device does not have shows the first view (HA frontend hui-root.ts: an unknown view
 * path selects index 0); a link to another dashboard, which a device has no panel for, shows the
 * default one (partial-panel-resolver.ts beforeRender). Pure; other values are kept as they are.
 */
export function retargetNavigation(value: unknown, urlPath: string, at: string): unknown {
  const from = `/${urlPath}`;
  if (Array.isArray(value)) return value.map((item) => retargetNavigation(item, urlPath, at));
  if (!isObject(value)) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => {
      if (NAVIGATION_KEYS.has(key) && typeof item === 'string') {
        const rest = item.slice(from.length);
        const own = item.startsWith(from) && (rest === '' || /^[/?#]/.test(rest));
        return [key, own ? `/${at}${rest}` : item];
      }
      return [key, retargetNavigation(item, urlPath, at)];
    }),
  );
}

function isCustom(type: string): boolean {
  return type.startsWith('custom:');
}

function hasOutsideRef(value: unknown, ds: DashboardScope): boolean {
  for (const id of refs(value, ds)) if (!ds.scope.has(id)) return true;
  return false;
}

/**
 * Every entity id the value references: the values of entity keys (whether or not such an entity
 * exists), and any entity id of the home written in any text (templates, markdown, service data).
 */
export function refs(value: unknown, ds: DashboardScope, out = new Set<string>()): Set<string> {
  if (typeof value === 'string') {
    for (const match of value.matchAll(ID_TOKENS)) {
      const id = match[1] as string;
      if (ds.isEntity(id)) out.add(id);
    }
  } else if (Array.isArray(value)) {
    for (const item of value) refs(item, ds, out);
  } else if (isObject(value)) {
    for (const [key, item] of Object.entries(value)) {
      if (ENTITY_KEYS.has(key)) entityValues(item, out);
      refs(item, ds, out);
    }
  }
  return out;
}

function entityValues(value: unknown, out: Set<string>): void {
  const values = typeof value === 'string' ? value.split(',') : Array.isArray(value) ? value : [];
  for (const item of values) {
    if (typeof item === 'string' && item.trim() !== '') out.add(item.trim());
  }
}

function pickKeys(source: Json, keys: readonly string[]): Json {
  return Object.fromEntries(keys.filter((k) => k in source).map((k) => [k, source[k]]));
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
