import type { HomeView } from '../cache/home-view.ts';
import { domainOf, type HassState } from '../protocol/home-assistant.ts';
import { resolveScope, type ScopeRule } from './resolve-scope.ts';

/**
 * A state as a device may see it. Attributes that list other entities (a group's members, a media
 * player's group, a person's trackers, a zone's persons) keep only the entities in the device's
 * scope; the `access_token` of cameras and media players is dropped, and an `entity_picture` that
 * points at Home Assistant's own image proxies is rewritten by `picture` to HAsync's, so a device
 * never holds a credential of Home Assistant (where HA's state had an `access_token`, the device's
 * own picture token stands in its place, so the frontend's live camera view loads through HAsync). Pure: states without such attributes come back as
 * they are (the same object), so Home Assistant's wire form is kept wherever nothing needs hiding.
 */

/**
 * A device's scope as its states are shaped: the entity ids it may see and, when it has an action
 * PIN, the domains whose calls need it (`pinDomains`). Sessions and routes pass the scope they
 * already hold, so a rule that changes what states say travels with it.
 */
export interface StateScope extends ReadonlySet<string> {
  readonly pinDomains?: ReadonlySet<string>;
}

/**
 * The `code_format` that makes Home Assistant's frontend ask for a code before a call (HA:
 * components/lock/__init__.py LockEntity.code_format is a regular expression the frontend's code
 * dialog checks the input against; components/alarm_control_panel/const.py CodeFormat.NUMBER shows
 * a keypad). A PIN is 4–8 digits.
 */
const CODE_FORMATS: Readonly<Record<string, string>> = {
  lock: '^\\d{4,8}$',
  alarm_control_panel: 'number',
};

/** Attributes whose value is a list of entity ids (HA: group, media_player, person, zone). */
const ENTITY_LIST_ATTRIBUTES = ['entity_id', 'group_members', 'device_trackers', 'persons'];
const HA_PICTURE = /^\/api\/(camera_proxy|camera_proxy_stream|media_player_proxy|image_proxy)\//;

/** Rewrites Home Assistant's image URL of an entity to one a device may use. */
export type PictureRewriter = (entityId: string, url: string) => string;

/** Whether a state may look different from one scope to another (see `scopeState`). */
export function needsScoping(state: HassState | undefined): boolean {
  if (!state) return false;
  return Object.hasOwn(CODE_FORMATS, domainOf(state.entity_id)) || needsOtherScoping(state);
}

/** The code format this scope makes the state advertise; undefined: the state's own. */
function codeFormat(state: HassState, scope: StateScope): string | undefined {
  const domain = domainOf(state.entity_id);
  return scope.pinDomains?.has(domain) && Object.hasOwn(CODE_FORMATS, domain)
    ? CODE_FORMATS[domain]
    : undefined;
}

/**
 * The state as this scope may see it; also, for a lock or alarm panel whose domain needs the
 * device's action PIN, a `code_format` so that Home Assistant's frontend and the kiosk ask for it.
 */
export function scopeState(
  state: HassState,
  scope: StateScope,
  picture: PictureRewriter,
): HassState {
  const code = codeFormat(state, scope);
  if (code === undefined && !needsOtherScoping(state)) return state;
  const attributes: Record<string, unknown> = { ...state.attributes };
  if (code !== undefined) attributes.code_format = code;
  delete attributes.access_token;
  for (const key of ENTITY_LIST_ATTRIBUTES) {
    const value = attributes[key];
    if (Array.isArray(value)) attributes[key] = value.filter((id) => scope.has(String(id)));
  }
  const url = attributes.entity_picture;
  if (typeof url === 'string' && HA_PICTURE.test(url)) {
    const rewritten = picture(state.entity_id, url);
    attributes.entity_picture = rewritten;
    // HA's frontend builds a camera's live (MJPEG) view from `access_token`
    // (src/data/camera.ts computeMJPEGStreamUrl): it gets this device's picture token instead.
    if ('access_token' in state.attributes) {
      const token = new URLSearchParams(rewritten.split('?')[1]).get('token');
      if (token) attributes.access_token = token;
    }
  }
  return { ...state, attributes };
}

/** Whether the state's picture URL is rewritten, so it differs from one device to another. */
export function rewritesPicture(state: HassState | undefined): boolean {
  const picture = state?.attributes.entity_picture;
  return typeof picture === 'string' && HA_PICTURE.test(picture);
}

function needsOtherScoping(state: HassState): boolean {
  const attributes = state.attributes;
  if ('access_token' in attributes) return true;
  if (rewritesPicture(state)) return true;
  return ENTITY_LIST_ATTRIBUTES.some((key) => Array.isArray(attributes[key]));
}

/** A device's rule as far as what it sees goes: its scope, and its action PIN's domains. */
export interface DeviceRule extends ScopeRule {
  readonly has_action_pin?: boolean;
  readonly pin_domains?: readonly string[];
}

/** The domains whose calls need the device's action PIN: none while it has no PIN. */
export function pinDomainsOf(rule: DeviceRule): readonly string[] {
  return rule.has_action_pin ? (rule.pin_domains ?? []) : [];
}

/** The device's scope, carrying its action PIN's domains (see `StateScope`). */
export function deviceScope(rule: DeviceRule, home: HomeView): StateScope {
  const pinDomains = pinDomainsOf(rule);
  const scope = resolveScope(rule, home);
  return pinDomains.length > 0 ? Object.assign(scope, { pinDomains: new Set(pinDomains) }) : scope;
}
